"""Checks an area indicator table against its Table Schema, row by row.

Frictionless reads and checks each cell against the schema's types and constraints; on top
come the checks a schema cannot say: area codes of Lampang (old codes become current ones),
a year written in C.E., a unit that is not the indicator's, a count that is not whole, two
rows for the same area, year and indicator. Every problem is kept with its row (numbered as
in a spreadsheet: the header is row 1) and column; messages are made in the reader's
language when shown (:func:`messages.describe`), so a stored report reads in Thai and English.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from frictionless import Schema

from ..catalogue import areas
from . import indicators

CE_YEARS = range(1900, 2200)
BE_OFFSET = 543


@dataclass(frozen=True)
class RowError:
    row: int          # as in a spreadsheet: the header is row 1 (1 for header problems)
    column: str       # "" when the problem is the whole table
    code: str
    value: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code,
                "value": self.value, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        return cls(row=data["row"], column=data["column"], code=data["code"],
                   value=data.get("value", ""), params=data.get("params") or {})



@dataclass(frozen=True)
class Figure:
    area_code: str
    year: int
    indicator: str
    value: float
    unit: str
    source: str


@dataclass
class Result:
    figures: list[Figure]
    errors: list[RowError]
    rows: int

    @property
    def ok(self) -> bool:
        return not self.errors


@cache
def _schema() -> Schema:
    return Schema.from_descriptor(indicators.table_schema())


def normalise(name: Any) -> str:
    return str(name or "").replace("\ufeff", "").strip().lower()


def check_header(header: list[str]) -> list[RowError]:
    names = [normalise(h) for h in header]
    known = indicators.field_names()
    errors = [RowError(1, name, "missing_column") for name in indicators.required_fields()
              if name not in names]
    errors += [RowError(1, name or "?", "unknown_column") for name in names if name not in known]
    errors += [RowError(1, name, "repeated_column") for i, name in enumerate(names)
               if name in names[:i]]
    return errors


def _cell(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _closest(raw: str) -> str:
    """The known indicator a mistyped one most likely means (a shortened name too:
    ``tpmap_livng`` is ``tpmap_living_conditions``), or "" when none is close."""
    text = raw.strip().lower()

    def score(code: str) -> float:
        whole = difflib.SequenceMatcher(None, text, code).ratio()
        start = difflib.SequenceMatcher(None, text, code[:len(text)]).ratio()
        return max(whole, start)

    best = max(indicators.indicators(), key=score)
    return best if score(best) >= 0.75 else ""


def _field_errors(row: int, name: str, raw: str, notes: dict[str, str]) -> list[RowError]:
    if name == "area_code":
        return []  # the area check below says more than the pattern
    if "required" in notes:
        return [RowError(row, name, "required")]
    if "type" in notes:
        return [RowError(row, name, "type", raw, {"type": _schema().get_field(name).type})]
    if name == "year" and raw.isdigit() and int(raw) in CE_YEARS:
        return [RowError(row, name, "ce_year", raw, {"be": int(raw) + BE_OFFSET})]
    if name == "year":
        return [RowError(row, name, "year_range", raw)]
    if name == "value" and "minimum" in notes:
        return [RowError(row, name, "negative", raw)]
    if name == "indicator" and "enum" in notes:
        return [RowError(row, name, "unknown_indicator", raw, {"suggest": _closest(raw)})]
    if name == "unit" and "enum" in notes:
        return [RowError(row, name, "unknown_unit", raw,
                         {"units": ", ".join(indicators.units())})]
    return [RowError(row, name, "constraint", raw, {"notes": sorted(notes)})]


def _area(row: int, raw: str) -> tuple[str | None, list[RowError]]:
    if not raw:
        return None, [RowError(row, "area_code", "required")]
    try:
        return areas.resolve(raw), []
    except areas.UnknownAreaCode as e:
        return None, [RowError(row, "area_code", "area", raw, {"current": e.current or ""})]


def _row(row: int, cells: dict[str, str]) -> tuple[Figure | None, list[RowError]]:
    """One data row: its figure, or what is wrong with it."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for name in indicators.field_names():
        raw = cells.get(name, "")
        value, notes = _schema().get_field(name).read_cell(raw)
        if notes:
            errors += _field_errors(row, name, raw, notes)
        values[name] = value
    code, area_errors = _area(row, cells.get("area_code", ""))
    errors += area_errors
    spec = indicators.indicators().get(values["indicator"] or "")
    unit = values["unit"]
    if spec is not None and unit in indicators.units() and unit != spec.unit:
        errors.append(RowError(row, "unit", "wrong_unit", unit,
                               {"indicator": spec.code, "expected": spec.unit}))
    number = values["value"]
    if (spec is not None and spec.unit != "baht_per_person_year"
            and isinstance(number, Decimal) and number != number.to_integral_value()):
        errors.append(RowError(row, "value", "not_whole", cells.get("value", ""),
                               {"indicator": spec.code}))
    if errors or code is None:
        return None, errors
    return Figure(code, int(values["year"]), values["indicator"], float(number), unit,
                  values["source"] or ""), []


def check_table(header: list[str], rows: list[list[Any]]) -> Result:
    """Check a whole table (``rows`` as read, in order). The result holds every figure only
    when there is no error at all."""
    errors = check_header(header)
    if any(e.code in ("missing_column", "repeated_column") for e in errors):
        return Result([], errors, len(rows))
    names = [normalise(h) for h in header]
    if not rows:
        return Result([], [*errors, RowError(1, "", "empty")], 0)
    figures: list[Figure] = []
    first_seen: dict[tuple[str, int, str], int] = {}
    for index, raw_row in enumerate(rows):
        row = index + 2
        cells = {name: _cell(raw_row[i]) if i < len(raw_row) else ""
                 for i, name in enumerate(names)}
        if not any(cells.values()):
            continue  # a blank line, as spreadsheets leave at the end
        figure, row_errors = _row(row, cells)
        errors += row_errors
        if figure is None:
            continue
        key = (figure.area_code, figure.year, figure.indicator)
        if key in first_seen:
            errors.append(RowError(row, "indicator", "duplicate", figure.indicator,
                                   {"first": first_seen[key], "area": figure.area_code,
                                    "year": figure.year}))
            continue
        first_seen[key] = row
        figures.append(figure)
    return Result(figures if not errors else [], errors, len(rows))
