"""RDF profiles for ckanext-dcat (``ckanext.dcat.rdf.profiles`` and
``ckanext.dcat.structured_data.profiles`` in config/ckan.ini).

ckanext-dcat builds every profile for the dataset type ``dataset`` and, when scheming is
loaded, fails unless scheming has a schema of that type. Our catalogue has three types and no
``dataset``, so these profiles start without a schema and serialize each dataset with the
schema of its own type.
"""
from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS, XSD

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import EuropeanDCATAP3Profile, RDFProfile, SchemaOrgProfile
from ckanext.scheming.helpers import scheming_dataset_schemas

from ..quality import dcat as quality_dcat

DQV = Namespace("http://www.w3.org/ns/dqv#")


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


def add_quality(graph: Graph, dataset_ref: URIRef, dataset_dict: dict[str, Any]) -> None:
    """Issue 15's terms: dct:accrualPeriodicity from the update frequency, dcat:version as the
    date the data last changed (unless the record has a version), the quality score and its
    parts as dqv:QualityMeasurement of metrics under <site>/quality/metric/."""
    uri = quality_dcat.frequency_uri(dataset_dict.get("update_frequency_unit"),
                                     dataset_dict.get("update_frequency_interval"))
    if uri and not any(graph.objects(dataset_ref, DCTERMS.accrualPeriodicity)):
        graph.add((dataset_ref, DCTERMS.accrualPeriodicity, URIRef(uri)))
        graph.add((URIRef(uri), RDF.type, DCTERMS.Frequency))
    quality = dataset_dict.get("quality") or {}
    changed = (quality.get("freshness") or {}).get("last_changed")
    if changed and not any(graph.objects(dataset_ref, DCAT.version)):
        graph.add((dataset_ref, DCAT.version, Literal(changed[:10])))
    site = tk.config["ckan.site_url"].rstrip("/")
    graph.bind("dqv", DQV)
    for metric, value, datatype in quality_dcat.measurements(quality):
        metric_ref = URIRef(f"{site}/quality/metric/{metric}")
        en, th, _kind = quality_dcat.METRICS[metric]
        graph.add((metric_ref, RDF.type, DQV.Metric))
        graph.add((metric_ref, SKOS.prefLabel, Literal(en, lang="en")))
        graph.add((metric_ref, SKOS.prefLabel, Literal(th, lang="th")))
        graph.add((metric_ref, DQV.expectedDataType, XSD[datatype]))
        measurement = BNode()
        graph.add((dataset_ref, DQV.hasQualityMeasurement, measurement))
        graph.add((measurement, RDF.type, DQV.QualityMeasurement))
        graph.add((measurement, DQV.isMeasurementOf, metric_ref))
        graph.add((measurement, DQV.computedOn, dataset_ref))
        graph.add((measurement, DQV.value, Literal(value, datatype=XSD[datatype])))


class LampangPovertyDCATAP3Profile(_OwnTypeSchema, EuropeanDCATAP3Profile):
    """DCAT-AP 3 for the catalogue's RDF endpoints (``/catalog.ttl``, ``/dataset/<id>.rdf``),
    and, when harvesting, DCAT-AP read into our fields (GD-Catalog names where they exist)."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        super().graph_from_dataset(dataset_dict, dataset_ref)
        add_quality(self.g, dataset_ref, dataset_dict)

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
