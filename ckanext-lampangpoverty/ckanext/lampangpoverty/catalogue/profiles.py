"""RDF profiles for ckanext-dcat (``ckanext.dcat.rdf.profiles`` and
``ckanext.dcat.structured_data.profiles`` in config/ckan.ini).

ckanext-dcat builds every profile for the dataset type ``dataset`` and, when scheming is
loaded, fails unless scheming has a schema of that type. Our catalogue has three types and no
``dataset``, so these profiles start without a schema and serialize each dataset with the
schema of its own type.
"""
from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import EuropeanDCATAP3Profile, RDFProfile, SchemaOrgProfile
from ckanext.scheming.helpers import scheming_dataset_schemas


def _schema(dataset_type: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("scheming_dataset_schema_show")({}, {"type": dataset_type})
    except tk.ObjectNotFound:
        return None


class _OwnTypeSchema(RDFProfile):
    _dataset_schema: dict[str, Any] | None

    def __init__(self, graph: Graph, dataset_type: str = "dataset",
                 compatibility_mode: bool = False) -> None:
        schema = _schema(dataset_type)
        # The parent looks the schema up itself; give it a type it knows, or none at all.
        known = dataset_type if schema else next(iter(scheming_dataset_schemas()), dataset_type)
        super().__init__(graph, dataset_type=known, compatibility_mode=compatibility_mode)
        self._use_schema(schema)

    def _use_schema(self, schema: dict[str, Any] | None) -> None:
        self._dataset_schema = schema
        self._form_languages = schema.get("form_languages") if schema else None

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        self._use_schema(_schema(dataset_dict.get("type", "dataset")))
        super().graph_from_dataset(dataset_dict, dataset_ref)


# EU frequency vocabulary (dct:accrualPeriodicity) -> GD-Catalog update_frequency_unit.
FREQUENCIES = {"ANNUAL": "ปี", "ANNUAL_2": "ครึ่งปี", "QUARTERLY": "ไตรมาส", "MONTHLY": "เดือน",
               "WEEKLY": "สัปดาห์", "DAILY": "วัน", "NEVER": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
               "UNKNOWN": "ไม่ทราบ"}
# DCAT-AP values (extras after ckanext-dcat's parsing) -> our field names.
FIELDS = {"temporal_start": "reference_period_start", "temporal_end": "reference_period_end",
          "contact_name": "maintainer", "contact_email": "maintainer_email",
          "access_rights": "accessible_condition", "publisher_name": "data_source"}


class LampangPovertyDCATAP3Profile(_OwnTypeSchema, EuropeanDCATAP3Profile):
    """DCAT-AP 3 for the catalogue's RDF endpoints (``/catalog.ttl``, ``/dataset/<id>.rdf``),
    and, when harvesting, DCAT-AP read into our fields (GD-Catalog names where they exist)."""

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        extras = {e["key"]: e["value"] for e in dataset_dict.get("extras", [])}
        for theirs, ours in FIELDS.items():
            value = dataset_dict.get(theirs, extras.get(theirs))
            if value and not dataset_dict.get(ours):
                dataset_dict[ours] = value[:10] if ours.startswith("reference_period") else value
        frequency = str(dataset_dict.get("frequency", extras.get("frequency")) or "")
        code = frequency.rstrip("/").rsplit("/", 1)[-1].upper()
        if code in FREQUENCIES:
            dataset_dict["update_frequency_unit"] = FREQUENCIES[code]
        return dataset_dict


class LampangPovertySchemaOrgProfile(_OwnTypeSchema, SchemaOrgProfile):
    """schema.org JSON-LD embedded in dataset pages (``structured_data`` plugin)."""
