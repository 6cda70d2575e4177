"""RDF profiles for ckanext-dcat (``ckanext.dcat.rdf.profiles`` and
``ckanext.dcat.structured_data.profiles`` in config/ckan.ini).

ckanext-dcat builds every profile for the dataset type ``dataset`` and, when scheming is
loaded, fails unless scheming has a schema of that type. Our catalogue has three types and no
``dataset``, so these profiles start without a schema and serialize each dataset with the
schema of its own type.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import EuropeanDCATAP3Profile, SchemaOrgProfile
from ckanext.scheming.helpers import scheming_dataset_schemas


def _schema(dataset_type: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("scheming_dataset_schema_show")({}, {"type": dataset_type})
    except tk.ObjectNotFound:
        return None


class _OwnTypeSchema:
    _dataset_schema: dict[str, Any] | None

    def __init__(self, graph, dataset_type: str = "dataset", compatibility_mode: bool = False):
        schema = _schema(dataset_type)
        # The parent looks the schema up itself; give it a type it knows, or none at all.
        known = dataset_type if schema else next(iter(scheming_dataset_schemas()), dataset_type)
        super().__init__(graph, dataset_type=known, compatibility_mode=compatibility_mode)
        self._use_schema(schema)

    def _use_schema(self, schema: dict[str, Any] | None) -> None:
        self._dataset_schema = schema
        self._form_languages = schema.get("form_languages") if schema else None

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref) -> None:
        self._use_schema(_schema(dataset_dict.get("type", "dataset")))
        super().graph_from_dataset(dataset_dict, dataset_ref)


class LampangPovertyDCATAP3Profile(_OwnTypeSchema, EuropeanDCATAP3Profile):
    """DCAT-AP 3 for the catalogue's RDF endpoints (``/catalog.ttl``, ``/dataset/<id>.rdf``)."""


class LampangPovertySchemaOrgProfile(_OwnTypeSchema, SchemaOrgProfile):
    """schema.org JSON-LD embedded in dataset pages (``structured_data`` plugin)."""
