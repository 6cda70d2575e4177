"""``lampangpoverty_dcat``: a DCAT catalogue (RDF/XML, Turtle, JSON-LD; paged with Hydra),
read by ckanext-dcat's RDF harvester and parser with our profile
``lampangpoverty_dcat_ap_3``, which maps DCAT-AP into our fields.

What differs from ckanext-dcat's ``dcat_rdf_harvester``: pages are fetched through our safe
HTTP (timeouts, size limit, no internal addresses); an unreadable page, a dataset without
identifier or an empty catalogue fails the job and withdraws nothing (ckanext-dcat deletes
every harvested dataset when a catalogue comes back empty); records keep one id per
identifier and are withdrawn, not deleted for good.

Config (JSON, every key optional)::

    {"type": "poverty-dataset", "rdf_format": "text/turtle",
     "defaults": {"area_codes": ["5201"], "unit_of_observation": "amphoe"}}
"""
from __future__ import annotations

from typing import Any, ClassVar

import ckan.plugins.toolkit as tk
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.dcat.processors import RDFParser, RDFParserException

from ..catalogue.types import POVERTY_DATASET
from . import base, http
from .labels import N_

PROFILES = ["lampangpoverty_dcat_ap_3"]
MAX_PAGES = 1000


class DcatHarvester(base.RecordHarvester, DCATRDFHarvester):
    kind = "dcat"
    title = N_("DCAT catalogue (DCAT-AP)")
    description = N_("A DCAT or DCAT-AP catalogue in RDF; its datasets become records of "
                     "our types.")
    checks: ClassVar[dict[str, base.Check]] = {"rdf_format": base.check_text}

    def gather_stage(self, harvest_job) -> list[str] | None:
        source = harvest_job.source
        config = self.source_config(source)
        policy = http.Policy.from_config()
        records: dict[str, dict] = {}
        url: str | None = source.url
        seen: set[str] = set()
        try:
            while url and url not in seen and len(seen) < MAX_PAGES:
                seen.add(url)
                parser = RDFParser(profiles=PROFILES)
                parser.parse(http.fetch(url, policy).decode("utf-8"),
                             _format=config.get("rdf_format") or _format_of(url))
                for dataset in parser.datasets():
                    guid = self._get_guid(dataset, source_url=source.url)
                    if not guid:
                        raise ValueError(tk._("a dataset has no identifier: %s")
                                         % (dataset.get("title") or "?"))
                    records[guid] = self.map_record(dataset, config)
                url = parser.next_page()
        except (http.FetchError, RDFParserException, UnicodeDecodeError, ValueError) as e:
            self._save_gather_error(tk._("The catalogue could not be read: %s") % e, harvest_job)
            return None
        if not records:
            self._save_gather_error(
                tk._("The catalogue lists no datasets; nothing was withdrawn"), harvest_job)
            return None
        return self.plan(harvest_job, records)

    def map_record(self, dataset: dict, config: dict) -> dict:
        extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
        issued = dataset.get("issued", extras.get("issued")) or ""
        fallbacks: dict[str, Any] = {"notes": dataset.get("notes") or dataset.get("title"),
                                     "reference_period_start": str(issued)[:10]}
        if base.target_type(config) == POVERTY_DATASET:
            fallbacks.update({"poverty_source": "other", "data_type": "ข้อมูลประเภทอื่นๆ",
                              "access_level": "public", "area_codes": ["52"]})
        package = self.to_package(dataset, config, fallbacks)
        package["title"] = dataset.get("title") or dataset.get("name")
        package["name"] = dataset.get("name") or package["title"]
        return package


def _format_of(url: str) -> str | None:
    lowered = url.split("?")[0].lower()
    for suffix, rdf_format in ((".ttl", "turtle"), (".jsonld", "json-ld"), (".n3", "n3"),
                               (".rdf", "xml"), (".xml", "xml")):
        if lowered.endswith(suffix):
            return rdf_format
    return None
