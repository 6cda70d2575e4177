"""``lampangpoverty_dcat``: a DCAT catalogue (RDF/XML, Turtle, JSON-LD; paged with Hydra),
read by ckanext-dcat's RDF harvester and parser with our profile
``lampangpoverty_dcat_ap_3``, which maps DCAT-AP into our fields.

What differs from ckanext-dcat's ``dcat_rdf_harvester``: pages are fetched through our safe
HTTP (timeouts, size limit, no internal addresses) and parsed without any remote fetch
(:py:mod:`.rdfsafe`); an unreadable page, a dataset without identifier or an empty catalogue
fails the job and withdraws nothing (ckanext-dcat deletes every harvested dataset when a
catalogue comes back empty); records keep one id per identifier and are withdrawn, not
deleted for good. Areas come only from a dataset's ``dct:spatial`` when it names an area of
Lampang, or from the config: a German or US dataset is never placed in Lampang by itself.

Config (JSON; ``defaults`` must give what DCAT does not, for poverty datasets
``unit_of_observation`` and ``area_codes``)::

    {"type": "poverty-dataset", "rdf_format": "text/turtle",
     "defaults": {"area_codes": ["5201"], "unit_of_observation": "amphoe"}}
"""
from __future__ import annotations

from typing import Any, ClassVar

import ckan.plugins.toolkit as tk
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.dcat.processors import RDFParser

from ..catalogue.types import POVERTY_DATASET
from . import base, checks, http, identity, rdfsafe
from .labels import N_
from .mapping import Target

PROFILES = ["lampangpoverty_dcat_ap_3"]
MAX_PAGES = 1000
# Dates a DCAT dataset may carry, in the order they stand for the start of its data.
PERIOD_STARTS = ("temporal_start", "issued", "modified", "created")


class DcatHarvester(base.RecordHarvester, DCATRDFHarvester):
    kind = "dcat"
    title = N_("DCAT catalogue (DCAT-AP)")
    description = N_("A DCAT or DCAT-AP catalogue in RDF; its datasets become records of "
                     "our types.")
    checks: ClassVar[dict[str, checks.Check]] = {"rdf_format": checks.check_text}

    def given(self, config: dict[str, Any]) -> set[str]:
        # The reference period starts at the dataset's first date (temporal coverage,
        # issued, modified); a dataset without any date is refused with the field named.
        given = super().given(config)
        if checks.target_type(config) == POVERTY_DATASET:
            given |= {"poverty_source", "data_type", "access_level", "reference_period_start"}
        return given

    def gather(self, harvest_job) -> list[str] | None:
        source = harvest_job.source
        config = self.source_config(source)
        policy = http.Policy.from_config()
        records: dict[str, dict] = {}
        target = Target(config)
        url: str | None = source.url
        seen: set[str] = set()
        try:
            while url and url not in seen and len(seen) < MAX_PAGES:
                seen.add(url)
                parser = self._parse(url, http.fetch(url, policy), config)
                for dataset in parser.datasets():
                    guid = self._get_guid(dataset, source_url=source.url)
                    if not guid:
                        raise ValueError(tk._("a dataset has no identifier: %s")
                                         % (dataset.get("title") or "?"))
                    records[guid] = self.map_record(dataset, config, target, url)
                url = parser.next_page()
        except (http.FetchError, ValueError) as e:
            self._save_gather_error(tk._("The catalogue could not be read: %s") % e, harvest_job)
            return None
        if not records:
            self._save_gather_error(
                tk._("The catalogue lists no datasets; nothing was withdrawn"), harvest_job)
            return None
        return self.plan(harvest_job, records)

    @staticmethod
    def _parse(url: str, body: bytes, config: dict[str, Any]) -> RDFParser:
        """The page parsed with nothing fetched; any parser failure (rdflib raises
        IndexError or AssertionError on a cut Turtle file) is a ValueError naming the page."""
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ValueError(tk._("%(url)s is not UTF-8 text (%(error)s)")
                             % {"url": url, "error": e}) from e
        rdf_format = config.get("rdf_format") or _format_of(url, text)
        remote = rdfsafe.remote_contexts(text)
        if remote:
            raise ValueError(tk._("%(url)s names the JSON-LD context %(context)s by address; "
                                  "contexts are never fetched, the catalogue must embed it")
                             % {"url": url, "context": remote[0]})
        parser = RDFParser(profiles=PROFILES)
        try:
            with rdfsafe.no_network():
                parser.parse(text, _format=rdf_format)
        except rdfsafe.RemoteFetchRefused as e:
            raise ValueError(tk._("%(url)s made the parser fetch %(what)s; nothing is "
                                  "fetched while reading RDF") % {"url": url, "what": e}) from e
        except Exception as e:
            raise ValueError(tk._("%(url)s is not readable RDF (%(error)s: %(detail)s)")
                             % {"url": url, "error": type(e).__name__,
                                "detail": str(e)[:200]}) from e
        return parser

    def map_record(self, dataset: dict, config: dict, target: Target,
                   page_url: str = "") -> dict[str, Any]:
        extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
        start = next((str(extras.get(k) or dataset.get(k))[:10] for k in PERIOD_STARTS
                      if extras.get(k) or dataset.get(k)), None)
        fallbacks: dict[str, Any] = {"notes": dataset.get("notes") or dataset.get("title")}
        if start:
            fallbacks["reference_period_start"] = start
        if target.type == POVERTY_DATASET:
            fallbacks.update({"poverty_source": "other", "data_type": "ข้อมูลประเภทอื่นๆ",
                              "access_level": "public"})
        spatial = extras.get("spatial_text") or extras.get("spatial_uri")
        if spatial and "area_codes" in target.fields and not dataset.get("area_codes"):
            dataset = {**dataset, "area_codes": spatial}
        planned = self.map(dataset, config, target, fallbacks=fallbacks, base_url=page_url,
                           identities=identity.of([extras.get("uri"), extras.get("identifier")]))
        package = planned["package"]
        package["title"] = dataset.get("title") or dataset.get("name")
        package["name"] = dataset.get("name") or package["title"]
        return planned


def _format_of(url: str, text: str) -> str | None:
    lowered = url.split("?")[0].lower()
    for suffix, rdf_format in ((".ttl", "turtle"), (".jsonld", "json-ld"), (".json", "json-ld"),
                               (".n3", "n3"), (".nt", "nt"), (".rdf", "xml"), (".xml", "xml")):
        if lowered.endswith(suffix):
            return rdf_format
    start = text.lstrip()[:1]
    if start in ("{", "["):
        return "json-ld"
    if start == "<" and not text.lstrip().startswith("<http"):
        return "xml"
    return "turtle" if start in ("@", "<", "#") or text.lstrip().lower().startswith(
        ("prefix", "base")) else None
