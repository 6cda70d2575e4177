"""Frictionless Table Schemas a resource can declare (its ``schema`` field): the name of
one shipped in ``schemas/`` (any ``*.json`` there with a ``fields`` list: the BMN household
table, the area indicators, ...), or a Table Schema given as JSON."""
from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any

from frictionless import FrictionlessException, Schema

PACKAGE = "ckanext.lampangpoverty.schemas"


class SchemaProblem(Exception):
    """The declared schema is unknown or not a valid Table Schema (``code``, ``params``)."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code, self.params = code, params


@functools.cache
def shipped() -> dict[str, dict[str, Any]]:
    """name -> descriptor of every Table Schema shipped with the platform."""
    found = {}
    for entry in importlib.resources.files(PACKAGE).iterdir():
        if not entry.name.endswith(".json"):
            continue
        try:
            descriptor = json.loads(entry.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(descriptor, dict) and isinstance(descriptor.get("fields"), list):
            found[entry.name.removesuffix(".json")] = descriptor
    return dict(sorted(found.items()))


def choices() -> list[dict[str, str]]:
    """The shipped schemas as scheming choices (value: name, label: title)."""
    return [{"value": name, "label": str(d.get("title") or name)} for name, d in shipped().items()]


def _clean(descriptor: dict[str, Any]) -> dict[str, Any]:
    # Comments ("$comment") are not Table Schema properties; the gate's own field keys
    # (role, recode) are tolerated by frictionless as custom properties.
    return {k: v for k, v in descriptor.items() if not k.startswith("$")}


def load(value: str) -> tuple[str, Schema | None]:
    """(what the report calls the schema, the Schema) for a declared value; empty: none."""
    value = (value or "").strip()
    if not value:
        return "", None
    if value in shipped():
        descriptor, label = shipped()[value], value
    elif value.startswith("{"):
        try:
            descriptor = json.loads(value)
        except ValueError as e:
            raise SchemaProblem("schema_not_json", error=str(e)) from e
        if not isinstance(descriptor, dict):
            raise SchemaProblem("schema_not_json", error="not a JSON object")
        label = "declared"
    else:
        raise SchemaProblem("schema_unknown", name=value[:80],
                            known=", ".join(shipped()) or "-")
    try:
        return label, Schema.from_descriptor(_clean(descriptor))
    except FrictionlessException as e:
        raise SchemaProblem("schema_invalid", error=str(e.error.message)[:300]) from e
