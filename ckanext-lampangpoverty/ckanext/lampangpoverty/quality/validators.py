"""Validators of the quality fields (registered with the others in logic/validators.py)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import labels, tableschema


def lampangpoverty_table_schema(value: Any) -> Any:
    """A resource's ``schema``: the name of a Table Schema shipped in ``schemas/`` or a
    Table Schema as JSON; anything else is refused with what is wrong with it."""
    if value in (None, ""):
        return value
    try:
        tableschema.load(str(value))
    except tableschema.SchemaProblem as e:
        raise tk.Invalid(labels.validation_message(
            {"message": {"code": e.code, "params": e.params}})) from e
    return str(value).strip()
