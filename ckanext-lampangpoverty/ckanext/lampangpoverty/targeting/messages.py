"""What each problem of an indicator table says, in the reader's language."""
from __future__ import annotations

from typing import TYPE_CHECKING

import ckan.plugins.toolkit as tk

if TYPE_CHECKING:
    from .check import RowError


def _what(error: RowError) -> str:
    p = {**error.params, "value": error.value, "column": error.column}
    texts = {
        "missing_column": lambda: tk._("the table has no column %(column)s") % p,
        "unknown_column": lambda: tk._(
            "%(column)s is not a column of the area indicator schema") % p,
        "repeated_column": lambda: tk._("the column %(column)s appears twice") % p,
        "empty": lambda: tk._("the table has no rows"),
        "required": lambda: tk._("a value is required"),
        "type": lambda: (tk._("%(value)s is not a whole number") if p.get("type") == "integer"
                         else tk._("%(value)s is not a number")) % p,
        "ce_year": lambda: tk._(
            "%(value)s is a year in C.E.; write the year in B.E. (%(be)s)") % p,
        "year_range": lambda: tk._(
            "%(value)s is not a year in B.E. between 2500 and 2700") % p,
        "negative": lambda: tk._("%(value)s is negative; figures cannot be below 0") % p,
        "unknown_indicator": lambda: (
            tk._("%(value)s is not a known indicator; did you mean %(suggest)s?")
            if p.get("suggest") else tk._("%(value)s is not a known indicator")) % p,
        "unknown_unit": lambda: tk._("%(value)s is not a unit; use one of %(units)s") % p,
        "wrong_unit": lambda: tk._(
            "%(indicator)s is counted in %(expected)s, not %(value)s") % p,
        "not_whole": lambda: tk._(
            "%(value)s is not a whole number; %(indicator)s is a count") % p,
        "area": lambda: (tk._("%(value)s is not a current area code of Lampang; use "
                              "%(current)s") if p.get("current")
                         else tk._("%(value)s is not an area code of Lampang province")) % p,
        "duplicate": lambda: tk._(
            "%(area)s, %(year)s, %(value)s is already given in row %(first)s") % p,
    }
    text = texts.get(error.code)
    return text() if text else tk._("%(value)s breaks the schema") % p


def describe(error: RowError) -> str:
    """``Row 5, column year: 2024 is a year in C.E. ...``"""
    if error.column and error.code not in ("empty",):
        return tk._("Row %(row)s, column %(column)s: %(what)s") % {
            "row": error.row, "column": error.column, "what": _what(error)}
    return tk._("Row %(row)s: %(what)s") % {"row": error.row, "what": _what(error)}
