"""Records as programs want them (``package_show`` and ``package_search`` called through the
API, the JSON Lines dump): numbers as JSON numbers, a C.E. twin beside every B.E. year,
``<field>_label`` with the Thai and English labels beside every coded field, timestamps with
their zone. Pages, forms, the search index and DCAT keep the record as CKAN stores it; the
derived keys are dropped again when a record comes back to ``package_create``/``_update``."""
from __future__ import annotations

import datetime
import json
import re
from functools import cache
from typing import Any

from ckanext.scheming.helpers import scheming_get_dataset_schema

from ..catalogue import areas
from ..catalogue.labels import choice_labels_by_language
from ..catalogue.types import DATASET_TYPES

LANGS = ("th", "en")
# Validators that make a field a number or a Buddhist Era year (their names in the YAML).
INTEGER = ("int_validator", "lampangpoverty_non_negative", "lampangpoverty_buddhist_year")
DECIMAL = ("lampangpoverty_non_negative_number",)
BUDDHIST_YEAR = "lampangpoverty_buddhist_year"
BE_OFFSET = 543
TIMESTAMPS = ("metadata_created", "metadata_modified")
RESOURCE_TIMESTAMPS = ("created", "last_modified", "metadata_modified")
LABEL_SUFFIX, CE_SUFFIX = "_label", "_ce"


@cache
def field_kinds(dataset_type: str) -> dict[str, dict[str, Any]]:
    """field -> what the API adds for it: ``number`` ("int"/"decimal"), ``buddhist_year``,
    ``coded`` (labels from its choices). Read from the type's scheming schema, so a field
    added there is handled without code."""
    schema = scheming_get_dataset_schema(dataset_type) or {}
    kinds: dict[str, dict[str, Any]] = {}
    for field in schema.get("dataset_fields", []):
        name = field["field_name"]
        validators = str(field.get("validators", "")).split()
        kind: dict[str, Any] = {}
        if any(v in INTEGER for v in validators):
            kind["number"] = "int"
        elif any(v in DECIMAL for v in validators):
            kind["number"] = "decimal"
        if BUDDHIST_YEAR in validators:
            kind["buddhist_year"] = True
        if field.get("choices") or field.get("choices_helper"):
            kind["coded"] = True
        if kind:
            kinds[name] = kind
    return kinds


def derived_keys(dataset_type: str) -> set[str]:
    """The keys the API adds to a record of this type (refused nowhere, dropped on save)."""
    keys: set[str] = set()
    for name, kind in field_kinds(dataset_type).items():
        if kind.get("coded"):
            keys.add(name + LABEL_SUFFIX)
        if kind.get("buddhist_year"):
            keys.add(name + CE_SUFFIX)
    return keys


def strip_derived(data_dict: dict[str, Any], dataset_type: Any) -> dict[str, Any]:
    """A record read from the API, ready to be saved again: without what the API added."""
    if dataset_type in DATASET_TYPES:
        for key in derived_keys(str(dataset_type)):
            data_dict.pop(key, None)
    return data_dict


def _number(value: Any, kind: str) -> Any:
    if isinstance(value, bool) or value is None or value == "":
        return value
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return value  # stored before the field was validated: left as it is
    if kind == "int" or number.is_integer():
        return int(number)
    return number


def _area_label(code: str) -> dict[str, str]:
    try:
        return {lang: areas.label(code, lang) for lang in LANGS}
    except areas.UnknownAreaCode:
        return {lang: code for lang in LANGS}


def _values(value: Any) -> tuple[list[str], bool]:
    """The codes of a field's value, and whether it is a list."""
    if isinstance(value, list):
        return [str(v) for v in value], True
    if isinstance(value, str) and value.startswith("["):
        try:
            loaded = json.loads(value)
            if isinstance(loaded, list):
                return [str(v) for v in loaded], True
        except ValueError:
            pass
    return [str(value)], False


def _labels(dataset_type: str, field: str, value: Any, seen: dict[Any, Any]) -> Any:
    codes, many = _values(value)
    if field == "area_codes":
        found = [_area_label(c) for c in codes]
    else:
        key = (dataset_type, field)
        if key not in seen:  # one look-up per field for a whole page of results
            seen[key] = choice_labels_by_language(dataset_type, field, LANGS)
        # a copy of each: the labels are shared by every answer of this worker
        found = [dict(seen[key].get(c) or {lang: c for lang in LANGS}) for c in codes]
    return found if many else found[0]


def with_zone(value: Any) -> Any:
    """A naive UTC timestamp as CKAN stores it -> ISO 8601 with ``+00:00``."""
    if not isinstance(value, str) or not re.match(r"\d{4}-\d\d-\d\dT", value):
        return value
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.isoformat()


def machine_record(pkg: dict[str, Any], seen: dict[Any, Any] | None = None) -> dict[str, Any]:
    """``pkg`` (a ``package_show`` result) with what programs need added (in place);
    ``seen`` keeps choice labels between the records of one answer."""
    seen = {} if seen is None else seen
    dataset_type = str(pkg.get("type"))
    for key in TIMESTAMPS:
        if key in pkg:
            pkg[key] = with_zone(pkg[key])
    for resource in pkg.get("resources") or []:
        for key in RESOURCE_TIMESTAMPS:
            if resource.get(key):
                resource[key] = with_zone(resource[key])
    if dataset_type not in DATASET_TYPES:
        return pkg
    for field, kind in field_kinds(dataset_type).items():
        value = pkg.get(field)
        if value in (None, "", []):
            continue
        if "number" in kind:
            value = pkg[field] = _number(value, kind["number"])
        if kind.get("buddhist_year") and isinstance(value, int):
            pkg[field + CE_SUFFIX] = value - BE_OFFSET
        if kind.get("coded"):
            pkg[field + LABEL_SUFFIX] = _labels(dataset_type, field, value, seen)
    return pkg
