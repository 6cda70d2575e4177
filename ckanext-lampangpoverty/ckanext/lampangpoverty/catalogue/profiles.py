"""RDF profiles for ckanext-dcat (``ckanext.dcat.rdf.profiles`` and
``ckanext.dcat.structured_data.profiles`` in config/ckan.ini).

ckanext-dcat builds every profile for the dataset type ``dataset`` and, when scheming is
loaded, fails unless scheming has a schema of that type. Our catalogue has three types and no
``dataset``, so these profiles start without a schema and serialize each dataset with the
schema of its own type.
"""
from __future__ import annotations

import re
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS, XSD

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import EuropeanDCATAP3Profile, RDFProfile, SchemaOrgProfile
from ckanext.scheming.helpers import scheming_dataset_schemas

from ..quality import dcat as quality_dcat
from . import dcat_output, licences

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
               "UNKNOWN": "ไม่ทราบ", "HOURLY": "ชั่วโมง", "CONT": "ตามเวลาจริง",
               "UPDATE_CONT": "ตามเวลาจริง", "IRREG": "อื่นๆ", "OTHER": "อื่นๆ"}
# DCAT-AP values (extras after ckanext-dcat's parsing) -> our field names.
FIELDS = {"temporal_start": "reference_period_start", "temporal_end": "reference_period_end",
          "contact_name": "maintainer", "contact_email": "maintainer_email",
          "access_rights": "accessible_condition", "publisher_name": "data_source"}
_INTERVAL = re.compile(r"/|\s+(?:-|\u2013|to|ถึง)\s+")
# EU language vocabulary / ISO 639 -> GD-Catalog data_language.
LANGUAGES = {"tha": "ไทย", "th": "ไทย", "eng": "อังกฤษ", "en": "อังกฤษ", "zho": "จีน",
             "zh": "จีน", "msa": "มลายู", "ms": "มลายู", "mya": "พม่า", "my": "พม่า",
             "lao": "ลาว", "lo": "ลาว", "khm": "เขมร", "km": "เขมร", "jpn": "ญี่ปุ่น",
             "ja": "ญี่ปุ่น", "kor": "เกาหลี", "ko": "เกาหลี", "fra": "ฝรั่งเศส", "fr": "ฝรั่งเศส",
             "deu": "เยอรมัน", "de": "เยอรมัน", "ara": "อารบิก", "ar": "อารบิก"}


def _first_publication() -> str | None:
    """When the catalogue's first public record was created (its dct:issued)."""
    found = tk.get_action("package_search")({"ignore_auth": True}, {
        "rows": 1, "sort": "metadata_created asc", "fl": "metadata_created"})["results"]
    return found[0]["metadata_created"] if found else None


def site_languages() -> list[str]:
    """The languages a record's texts are chosen in: the site's, Thai first."""
    offered = tk.config.get("ckan.locale_order") or tk.config.get("ckan.locales_offered") or []
    if isinstance(offered, str):
        offered = offered.split()
    default = tk.config.get("ckan.locale_default") or "en"
    return list(dict.fromkeys([default, *offered]))


class _Reading:
    """DCAT read for our catalogue: of a multilingual text, the literal in the site's
    languages (Thai, then English), else one without a language, else the first; keywords
    of that one language only; an interval written as text; the licence the distributions
    share."""

    g: Graph

    def _pick(self, literals: list[Literal]) -> list[Literal]:
        """The literals of the best language present."""
        if not literals:
            return []
        for lang in [*site_languages(), None]:
            chosen = [o for o in literals if (o.language or None) == lang
                      or (lang and o.language and o.language.split("-")[0] == lang)]
            if chosen:
                return chosen
        first = literals[0].language
        return [o for o in literals if o.language == first]

    def _object_value(self, subject, predicate, multilingual=False):
        if multilingual:
            return super()._object_value(subject, predicate, multilingual)  # type: ignore[misc]
        objects = list(self.g.objects(subject, predicate))
        literals = [o for o in objects if isinstance(o, Literal)]
        if literals and len(literals) == len(objects):
            return str(self._pick(literals)[0])
        return super()._object_value(subject, predicate)  # type: ignore[misc]

    def _keywords(self, dataset_ref):
        literals = [o for o in self.g.objects(dataset_ref, DCAT.keyword)
                    if isinstance(o, Literal)]
        keywords: list[str] = []
        for word in self._pick(literals):
            keywords.extend(k.strip() for k in str(word).split(",") if k.strip())
        return list(dict.fromkeys(keywords))

    def _interval_text(self, dataset_ref) -> tuple[str | None, str | None]:
        """A dct:temporal given as text: "2019-01-01/2019-12-31", "2019/2020", "2019"."""
        for o in self.g.objects(dataset_ref, DCTERMS.temporal):
            if not isinstance(o, Literal):
                continue
            parts = [p.strip() for p in _INTERVAL.split(str(o)) if p.strip()]
            if parts and all(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", p) for p in parts):
                start, end = parts[0], parts[-1]
                return (start if len(start) == 10 else start[:4] + "-01-01",
                        end if len(end) == 10 else end[:4] + "-12-31")
        return None, None

    def _shared_licence(self, dataset_ref) -> str | None:
        """The licence id of the dataset, or the one all its distributions share."""
        found = set()
        for owner in [dataset_ref, *self.g.objects(dataset_ref, DCAT.distribution)]:
            for o in self.g.objects(owner, DCTERMS.license):
                names = [str(o), *map(str, self.g.objects(o, DCTERMS.title))]
                found.add(next(filter(None, map(licences.license_id, names)), str(o)))
        return found.pop() if len(found) == 1 else None


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


class LampangPovertyDCATAP3Profile(_Reading, _OwnTypeSchema, EuropeanDCATAP3Profile):
    """DCAT-AP 3 for the catalogue's RDF endpoints (``/catalog.ttl``, ``/dataset/<id>.rdf``),
    and, when harvesting, DCAT-AP read into our fields (GD-Catalog names where they exist)."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        super().graph_from_dataset(dataset_dict, dataset_ref)
        dcat_output.dataset(self.g, dataset_ref, dataset_dict)
        add_quality(self.g, dataset_ref, dataset_dict)

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None,
                           catalog_ref: URIRef) -> None:
        super().graph_from_catalog(catalog_dict, catalog_ref)
        modified = self._last_catalog_modification()
        dcat_output.catalogue(self.g, catalog_ref, modified, _first_publication())

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        extras = {e["key"]: e["value"] for e in dataset_dict.get("extras", [])}
        if not extras.get("temporal_start"):
            start, end = self._interval_text(dataset_ref)
            if start:
                extras.update({"temporal_start": start, "temporal_end": end})
                dataset_dict["extras"] += [{"key": "temporal_start", "value": start},
                                           {"key": "temporal_end", "value": end}]
        for theirs, ours in FIELDS.items():
            value = dataset_dict.get(theirs, extras.get(theirs))
            if value and not dataset_dict.get(ours):
                dataset_dict[ours] = value[:10] if ours.startswith("reference_period") else value
        frequency = str(dataset_dict.get("frequency", extras.get("frequency")) or "")
        code = frequency.rstrip("/").rsplit("/", 1)[-1].upper()
        if code in FREQUENCIES:
            dataset_dict["update_frequency_unit"] = FREQUENCIES[code]
        languages = [LANGUAGES.get(str(v).rstrip("/").rsplit("/", 1)[-1].lower(), "อื่นๆ")
                     for v in self.g.objects(dataset_ref, DCTERMS.language)]
        if languages:
            dataset_dict["data_language"] = list(dict.fromkeys(languages))
        if not dataset_dict.get("license_id"):
            dataset_dict["license_id"] = self._shared_licence(dataset_ref) or ""
        # ckanext-dcat puts this site's own address as a dataset's homepage when the
        # catalogue gives none: it says nothing about the dataset.
        dataset_dict["extras"] = [e for e in dataset_dict["extras"] if not (
            e["key"] == "homepage" and e["value"] == tk.config.get("ckan.site_url"))]
        return dataset_dict


class LampangPovertySchemaOrgProfile(_OwnTypeSchema, SchemaOrgProfile):
    """schema.org JSON-LD embedded in dataset pages (``structured_data`` plugin)."""
