"""The area indicators: the Frictionless Table Schema in ``schemas/area_indicators.json``
and the catalogue of indicators in ``schemas/area_indicators.yaml`` (unit, TPMAP dimension or
target group, labels). Both ship as package data of ``ckanext.lampangpoverty.schemas``."""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SCHEMA_NAME = "area_indicators"
DIMENSIONS = ("health", "living_conditions", "education", "income", "public_services")
HEADLINE = ("households_surveyed", "target_poor_households", "target_poor_persons",
            "average_income")


@dataclass(frozen=True)
class Indicator:
    code: str
    kind: str  # headline | dimension | group | bmn
    unit: str
    label: dict[str, str]
    dimension: str | None = None
    group: str | None = None
    additive: bool = True

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label["en"]


def _schemas_dir() -> Path:
    # schemas/ is installed as the package ckanext.lampangpoverty.schemas (setup.py).
    schemas = importlib.import_module("ckanext.lampangpoverty.schemas")
    return Path(str(schemas.__file__)).parent


def schema_path() -> Path:
    return _schemas_dir() / f"{SCHEMA_NAME}.json"


@cache
def table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema descriptor. Shared: do not modify."""
    with schema_path().open(encoding="utf-8") as f:
        return json.load(f)


@cache
def _catalogue() -> dict[str, Any]:
    with (_schemas_dir() / f"{SCHEMA_NAME}.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@cache
def indicators() -> dict[str, Indicator]:
    """Every indicator by code, in the catalogue's order. Shared: do not modify."""
    return {code: Indicator(code=code, kind=spec["kind"], unit=spec["unit"],
                            label=spec["label"], dimension=spec.get("dimension"),
                            group=spec.get("group"), additive=spec.get("additive", True))
            for code, spec in _catalogue()["indicators"].items()}


def units() -> dict[str, dict[str, str]]:
    return _catalogue()["units"]


def unit_label(unit: str, lang: str) -> str:
    labels = units().get(unit, {})
    return labels.get(lang) or labels.get("en") or unit


def field_names() -> list[str]:
    return [f["name"] for f in table_schema()["fields"]]


def required_fields() -> list[str]:
    return [f["name"] for f in table_schema()["fields"]
            if f.get("constraints", {}).get("required")]


@cache
def dimension_indicator(dimension: str) -> str:
    """The indicator counting the need in a TPMAP dimension."""
    return next(i.code for i in indicators().values()
                if i.kind == "dimension" and i.dimension == dimension)


@cache
def group_indicators() -> dict[str, str]:
    """target group -> the indicator counting its target poor. Shared: do not modify."""
    return {i.group: i.code for i in indicators().values() if i.kind == "group" and i.group}
