"""Validators, registered through IValidators (``tk.get_validator(name)``).

``tag_name_validator`` and ``tag_string_convert`` deliberately replace CKAN's validators of
the same names: CKAN accepts only ``\\w`` characters in tags, and Python's ``\\w`` leaves out
the combining vowel and tone marks (Unicode category M) that nearly every Thai word carries,
so CKAN refuses tags such as "เมืองลำปาง". Ours accept those marks and nothing else new.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validators as core
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

__all__ = ["tag_name_validator", "tag_string_convert"]

_TAG_CHAR = re.compile(r"[\w \-.]")


def _tag_char_ok(ch: str) -> bool:
    return bool(_TAG_CHAR.match(ch)) or unicodedata.category(ch).startswith("M")


def tag_name_validator(value: Any, context: Context) -> Any:
    """Letters (with their combining marks), digits, spaces, ``-``, ``_`` and ``.``."""
    if not all(_tag_char_ok(ch) for ch in value):
        raise tk.Invalid(tk._(
            'Tag "%s" can only contain letters, digits, spaces (" "), hyphens ("-"), '
            'underscores ("_") or dots (".")') % value)
    return value


def tag_string_convert(key: FlattenKey, data: FlattenDataDict,
                       errors: FlattenErrorDict, context: Context) -> Any:
    """A comma-separated tag string (or a list) into ``tags``, each validated."""
    value = data[key]
    if isinstance(value, str):
        tags = [t.strip() for t in value.split(",") if t.strip()]
    else:
        tags = value
    first = max([int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"] + [-1]) + 1
    for num, tag in enumerate(tags, start=first):
        data[("tags", num, "name")] = tag
    for tag in tags:
        core.tag_length_validator(tag, context)
        tag_name_validator(tag, context)
