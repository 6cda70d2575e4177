"""Validators of what readers type in their own calendar (re-exported by logic.validators)."""
from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context

from . import dates


def lampangpoverty_date(value: Any, context: Context) -> Any:
    """A date as Thai users type it (28/11/2569, 28/11/2026, ๒๘/๑๑/๒๕๖๙, 2026-11-28),
    stored as ISO yyyy-mm-dd (C.E.)."""
    if value is None or value == "" or isinstance(value, datetime.date):
        return value.isoformat()[:10] if isinstance(value, datetime.date) else value
    try:
        return dates.parse(str(value)).isoformat()
    except dates.Unreadable as e:
        raise tk.Invalid(tk._(e.message) % {"value": e.value}) from None
