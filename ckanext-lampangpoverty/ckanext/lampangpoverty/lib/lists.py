"""The one reader of list values: form input, API input and stored fields give a list as a
list, as JSON text (``["5201", "5208"]``, how scheming stores multiple choices) or as
comma-separated text."""
from __future__ import annotations

import json
from typing import Any


def as_list(value: Any) -> list[str]:
    """The items of ``value`` as stripped, non-empty strings.

    Raises ValueError when ``value`` looks like a JSON list but is not valid JSON.
    """
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        items: Any = value
    elif isinstance(value, str) and value.strip().startswith("["):
        items = json.loads(value)
        if not isinstance(items, list):
            raise ValueError("not a JSON list")
    else:
        items = str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def stored_list(value: Any) -> list[str]:
    """Like :func:`as_list`, for values already stored: a malformed one reads as empty."""
    try:
        return as_list(value)
    except ValueError:
        return []
