"""Source configs, checked when the source is saved: every key known and well-formed, every
default a field of the target type with an allowed value, and every field the type requires
either given by the harvester or by the config, so that a source cannot be saved that would
fail all its records. Errors name the key (ckanext-harvest shows them beside the config)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import scheming_field_choices, scheming_get_dataset_schema

from ..catalogue import areas
from ..catalogue.types import DATASET_TYPES, POVERTY_DATASET
from ..lib.lists import as_list

Check = Callable[[Any, dict], Any]


def schema_fields(dataset_type: str) -> dict[str, dict[str, Any]]:
    schema = scheming_get_dataset_schema(dataset_type) or {}
    return {f["field_name"]: f for f in schema.get("dataset_fields", [])}


def required_fields(dataset_type: str) -> list[str]:
    return [name for name, f in schema_fields(dataset_type).items()
            if f.get("required") and name not in ("owner_org", "name")]


def choices(field: dict[str, Any]) -> set[str] | None:
    """The values a field allows (``choices`` or ``choices_helper``), None for any value."""
    found = scheming_field_choices(field)
    return None if found is None else {str(c["value"]) for c in found}


def allowed_value(field: dict[str, Any], item: str, allowed: set[str]) -> bool:
    """Whether ``item`` is among ``allowed``; an area field also takes old codes, which its
    validator turns into current ones."""
    if field.get("choices_helper") == "lampangpoverty_area_choices":
        try:
            areas.resolve(item)
        except areas.UnknownAreaCode:
            return False
        return True
    return item in allowed


def is_multiple(field: dict[str, Any]) -> bool:
    validators = str(field.get("validators") or "")
    return ("multiple" in validators or "area_codes" in validators
            or "multiple" in (field.get("form_attrs") or {}))


def target_type(config: dict[str, Any]) -> str:
    """The dataset type a source's records become."""
    return config.get("type", POVERTY_DATASET)


def check_type(value: Any, config: dict) -> str:
    if value not in DATASET_TYPES:
        raise ValueError(tk._("must be one of %s") % ", ".join(DATASET_TYPES))
    return value


def check_values(value: Any, dataset_type: str) -> dict:
    """Field values (defaults, a microdata dataset): fields of the type, allowed values."""
    if not isinstance(value, dict):
        raise ValueError(tk._("must be an object of field names and values"))
    fields = schema_fields(dataset_type)
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ValueError(tk._("not fields of %(type)s: %(fields)s")
                         % {"type": dataset_type, "fields": ", ".join(unknown)})
    for name, given in value.items():
        allowed = choices(fields[name])
        if not allowed:
            continue
        try:
            items = as_list(given) if is_multiple(fields[name]) else [str(given)]
        except ValueError:
            items = [str(given)]
        wrong = [item for item in items if not allowed_value(fields[name], item, allowed)]
        if wrong:
            shown = sorted(allowed)
            raise ValueError(tk._("%(field)s: %(value)s is not one of %(allowed)s")
                             % {"field": name, "value": ", ".join(wrong),
                                "allowed": ", ".join(shown[:30]) + (" …" if len(shown) > 30
                                                                    else "")})
    return value


def check_defaults(value: Any, config: dict) -> dict:
    return check_values(value, target_type(config))


def check_bool(value: Any, config: dict) -> bool:
    if not isinstance(value, bool):
        raise ValueError(tk._("must be true or false"))
    return value


def check_strings(value: Any, config: dict) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(tk._("must be a list of names"))
    return value


def check_text(value: Any, config: dict) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(tk._("must be a non-empty text"))
    return value


def check_positive_int(value: Any, config: dict) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(tk._("must be a whole number of 1 or more"))
    return value


COMMON_CHECKS: dict[str, Check] = {
    "type": check_type,
    "defaults": check_defaults,
    "private": check_bool,
}


def parse(config: str | None, checks: dict[str, Check]) -> dict:
    """The config as a dict after every key's check; ValueError names each wrong key."""
    try:
        data = json.loads(config or "{}")
    except ValueError as e:
        raise ValueError(tk._("The configuration is not valid JSON: %s") % e) from e
    if not isinstance(data, dict):
        raise ValueError(tk._("The configuration must be a JSON object"))
    errors = {}
    for key in data:
        if key not in checks:
            errors[key] = tk._("unknown key (known: %s)") % ", ".join(sorted(checks))
    for key, check in checks.items():
        if key in data and key not in errors:
            try:
                check(data[key], data)
            except ValueError as e:
                errors[key] = str(e)
    if errors:
        raise ValueError("; ".join(f"{key}: {message}" for key, message in errors.items()))
    return data


def check_required(config: dict, given: Iterable[str]) -> None:
    """Every field the target type requires is given by the harvester (``given``) or by
    the config's ``defaults``; otherwise the source would fail every record."""
    dataset_type = target_type(config)
    have = set(given) | set(config.get("defaults") or {})
    missing = [name for name in required_fields(dataset_type) if name not in have]
    if missing:
        raise ValueError(tk._("defaults: %(type)s requires %(fields)s, which this source "
                              "does not give; add them to \"defaults\"")
                         % {"type": dataset_type, "fields": ", ".join(missing)})
