"""Validation schemas of our actions."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Schema


def _json_object(value: Any, context) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise tk.Invalid(tk._("Not valid JSON"))
    if not isinstance(value, dict):
        raise tk.Invalid(tk._("Must be a JSON object"))
    return value


def microdata_upload() -> Schema:
    v = tk.get_validator
    return {"id": [v("not_empty"), v("unicode_safe")],
            "roles": [v("ignore_missing"), _json_object],
            "recodes": [v("ignore_missing"), _json_object],
            "household_column": [v("ignore_missing"), v("unicode_safe")]}


def microdata_roles_update() -> Schema:
    v = tk.get_validator
    return {"microdata_id": [v("not_empty"), v("unicode_safe")],
            "roles": [v("not_empty"), _json_object],
            "recodes": [v("ignore_missing"), _json_object],
            "household_column": [v("ignore_missing"), v("unicode_safe")]}


def access_request_create() -> Schema:
    v = tk.get_validator
    return {"id": [v("not_empty"), v("unicode_safe")],
            "purpose": [v("not_empty"), v("unicode_safe"), v("lampangpoverty_no_markup")],
            "institution": [v("not_empty"), v("unicode_safe"), v("lampangpoverty_no_markup")]}


def access_request_decide() -> Schema:
    v = tk.get_validator
    return {"request_id": [v("not_empty"), v("unicode_safe")],
            "decision": [v("not_empty"), v("one_of")(["approve", "refuse"])],
            "expires": [v("ignore_missing"), v("isodate")],
            "max_downloads": [v("ignore_missing"), v("int_validator"), v("is_positive_integer")],
            "reason": [v("ignore_missing"), v("unicode_safe"), v("lampangpoverty_no_markup")]}
