"""``lampangpoverty_ckan``: a CKAN 2.9+ portal, plain or with Thailand's GD-Catalog metadata
(ckanext-thai_gdc), mapped into one of our types.

Incremental by ``metadata_modified``: the gather lists every dataset of the portal's
``package_search`` with only its id and ``metadata_modified`` (sorted by id, so paging is
stable) and checks that it received as many as the portal counted; a truncated or failed
listing ends the job as failed and withdraws nothing. Only datasets that are new, modified
since the last harvest, or withdrawn here and listed again are then read in full (50 per
request); the others are counted unchanged without being read or queued.

GD-Catalog fields are kept without loss: ours where the meaning is the same (``data_type``,
``objective``, ``geo_coverage``, ``update_frequency_unit``...), ``data_collect`` also read as
our unit of observation for person and household data, licence titles read as licence ids,
everything else kept as extras (:py:mod:`.mapping`). A record's address on the portal
(``<portal>/dataset/<id>``) is its identity across sources (:py:mod:`.identity`).

Source config (JSON; ``defaults`` must give what the portal does not, for poverty datasets
``unit_of_observation`` and ``area_codes``)::

    {"type": "poverty-dataset",            # or agency-resource, policy-proposal
     "organizations": ["lampang-pao"],     # filters of the portal's search
     "groups": ["poverty"], "tags": ["ความยากจน"], "q": "จปฐ",
     "defaults": {"area_codes": ["5201"], "unit_of_observation": "tambon"},
     "private": false}
"""
from __future__ import annotations

import json
from typing import Any, ClassVar
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from ..catalogue.types import POVERTY_DATASET
from ..disclosure import table
from ..gate import submission
from ..lib import values
from . import base, checks, http, identity
from .labels import N_
from .mapping import Target

PAGE = 1000

TABLE_FORMATS = ("csv", "xlsx")
TABLE_SUFFIXES = (".csv", ".xlsx")
# GD-Catalog's smallest unit of collection (data_collect) -> our unit of observation.
UNITS = {"บุคคล": "person", "ครัวเรือน/ครอบครัว": "household"}


class CkanHarvester(base.RecordHarvester):
    kind = "ckan"
    title = N_("CKAN portal (GD-Catalog)")
    description = N_("A CKAN 2.9+ catalogue, plain or with Thailand's GD-Catalog fields; "
                     "its datasets become records of our types.")
    page = PAGE
    batch = 50          # datasets read in full per request (ids in the query string)
    checks: ClassVar[dict[str, checks.Check]] = {
        "organizations": checks.check_strings, "groups": checks.check_strings,
        "tags": checks.check_strings, "q": checks.check_text}

    def given(self, config: dict[str, Any]) -> set[str]:
        given = super().given(config)
        if checks.target_type(config) == POVERTY_DATASET:
            given |= {"poverty_source", "data_type", "access_level", "reference_period_start"}
        return given

    def gather(self, harvest_job) -> list[str] | None:
        """List every dataset (id and metadata_modified only), then read in full only those
        that are new, changed since the last harvest, or withdrawn here and listed again."""
        source = harvest_job.source
        config = self.source_config(source)
        base_url = source.url.rstrip("/")
        policy = http.Policy.from_config()
        search = {"q": config.get("q") or "*:*", "fq": _filters(config),
                  "include_private": "false"}
        try:
            listing = self._listing(base_url, search, policy)
            if not listing:
                self._save_gather_error(
                    tk._("The portal listed no datasets; nothing was withdrawn"), harvest_job)
                return None
            # A record is unchanged if neither the portal's copy nor this source's config
            # (its defaults, its type) changed since it was imported, and it is active.
            stamp = base.digest(config)
            known = self.current(source.id)
            unchanged = {guid for guid, modified in listing.items() if guid in known
                         and known[guid][1] and _stamp_of(known[guid][0]) == [modified, stamp]}
            records, target = {}, Target(config)
            for raw in self._read(base_url, sorted(set(listing) - unchanged), policy):
                planned = self.map_record(raw, config, target, base_url)
                planned["package"]["harvest_stamp"] = [listing[raw["id"]], stamp]
                records[raw["id"]] = planned
        except _Truncated as e:
            self._save_gather_error(str(e), harvest_job)
            return None
        except (http.FetchError, ValueError, KeyError, TypeError) as e:
            self._save_gather_error(
                tk._("The portal's listing could not be read: %s") % e, harvest_job)
            return None
        return self.plan(harvest_job, records, unchanged=unchanged, listed=set(listing),
                         current=known)

    def _listing(self, base_url: str, search: dict, policy: http.Policy) -> dict[str, str]:
        """id -> metadata_modified of every dataset the search finds, checked against the
        portal's own count (a listing cut short must withdraw nothing)."""
        listing: dict[str, str] = {}
        start, count = 0, None
        while count is None or start < count:
            url = f"{base_url}/api/3/action/package_search?" + urlencode(
                {**search, "fl": "id,metadata_modified", "rows": self.page, "sort": "id asc",
                 "start": start})
            result = _result(url, http.fetch(url, policy))
            count, page = result["count"], result["results"]
            if not page:
                break
            for item in page:
                listing[item["id"]] = str(item.get("metadata_modified") or "")
            start += len(page)
        if len(listing) != count:
            raise _Truncated(tk._("The portal counted %(count)s datasets but listed "
                                  "%(listed)s; nothing was changed")
                             % {"count": count, "listed": len(listing)})
        return listing

    def _read(self, base_url: str, ids: list[str], policy: http.Policy):
        """The full datasets with these ids, a batch per request. A dataset deleted at the
        portal between listing and reading is skipped (withdrawn on the next run)."""
        for first in range(0, len(ids), self.batch):
            batch = set(ids[first:first + self.batch])
            url = f"{base_url}/api/3/action/package_search?" + urlencode(
                {"q": "*:*", "fq": "id:(" + " OR ".join(f'"{i}"' for i in sorted(batch)) + ")",
                 "rows": len(batch), "include_private": "false"})
            for raw in _result(url, http.fetch(url, policy))["results"]:
                if raw.get("id") in batch:
                    yield raw

    def get_original_url(self, harvest_object_id: str) -> str | None:
        from ckanext.harvest.model import HarvestObject

        obj = HarvestObject.get(harvest_object_id)
        return f"{obj.source.url.rstrip('/')}/dataset/{obj.guid}" if obj else None

    def map_record(self, raw: dict, config: dict, target: Target,
                   base_url: str = "") -> dict[str, Any]:
        extras = {e.get("key"): e.get("value") for e in raw.get("extras") or []}
        collect = raw.get("data_collect", extras.get("data_collect"))
        if collect in UNITS and not raw.get("unit_of_observation"):
            # What the portal says of its data wins over the source config's defaults.
            raw = {**raw, "unit_of_observation": UNITS[collect]}
        fallbacks: dict[str, Any] = {"notes": raw.get("notes") or raw.get("title")}
        if target.type == POVERTY_DATASET:
            fallbacks.update({
                "poverty_source": "other", "data_type": "ข้อมูลประเภทอื่นๆ",
                "access_level": "public",
                "data_source": (raw.get("organization") or {}).get("title"),
                "reference_period_start": _period_start(raw, extras),
            })
        planned = self.map(raw, config, target, fallbacks=fallbacks, base_url=base_url,
                           identities=identity.of([
                               identity.portal_dataset(base_url, raw["id"]),
                               extras.get("uri"), raw.get("uri")]))
        package = planned["package"]
        package["title"] = raw.get("title") or raw.get("name")
        package["name"] = raw.get("name")
        if package.get("unit_of_observation") in base.HOUSEHOLD_UNITS:
            # Household files are never linked; they are fetched and handed to the gate.
            package["household_files"] = [
                r for r in package.pop("resources", [])
                if r["format"].lower() in TABLE_FORMATS
                or r["url"].lower().split("?")[0].endswith(TABLE_SUFFIXES)]
        return planned

    def prepare(self, data: dict, config: dict, existing) -> dict:
        data.pop("harvest_stamp", None)
        data.pop("household_files", None)
        return super().prepare(data, config, existing)

    def after_import(self, package_id: str, config: dict, harvest_object) -> str | None:
        """A household-level dataset's tables go to the disclosure gate as uploads do:
        stored privately, roles proposed for the organisation to confirm; nothing of them
        is public until a release passes."""
        files = (base.content_of(harvest_object).get("package") or {}).get("household_files")
        policy = http.Policy.from_config()
        for resource in files or []:
            name = resource["url"].split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "table.csv"
            try:
                body = http.fetch(resource["url"], policy)
                df = table.read_bytes(body, name)
            except (http.FetchError, table.TableError) as e:
                return tk._("The household table could not be handed to the gate: %s") % e
            submission.submit(package_id, submission.store_bytes(body, name), name, len(body),
                             None, {}, self._get_user_name(), df=df)
        return None


class _Truncated(Exception):
    pass


def _stamp_of(obj) -> list | None:
    """The portal's metadata_modified and the config digest the record was imported with."""
    return (base.content_of(obj).get("package") or {}).get("harvest_stamp")


def _filters(config: dict) -> str:
    parts = []
    for key, field in (("organizations", "organization"), ("groups", "groups"),
                       ("tags", "tags")):
        values = config.get(key)
        if values:
            values = [values] if isinstance(values, str) else values
            parts.append(f"{field}:(" + " OR ".join(json.dumps(v, ensure_ascii=False)
                                                    for v in values) + ")")
    return " AND ".join(parts)


def _result(url: str, body: bytes) -> dict:
    try:
        answer = json.loads(body)
    except ValueError:
        start = body[:60].decode("utf-8", "replace").strip()
        raise ValueError(tk._("%(url)s did not answer with JSON (it began: %(start)s)")
                         % {"url": url, "start": start}) from None
    if not isinstance(answer, dict) or not answer.get("success"):
        raise ValueError(tk._("%s did not answer as a CKAN action API") % url)
    result = answer["result"]
    if not isinstance(result.get("count"), int) or not isinstance(result.get("results"), list):
        raise ValueError(tk._("%s answered without count and results") % url)
    return result


def _period_start(raw: dict, extras: dict) -> str:
    """The reference period starts on 1 January of the first year of data (Buddhist era in
    GD-Catalog, sometimes written in C.E. or with "พ.ศ."), else on the day the dataset was
    created at the source."""
    try:
        year = values.year_be(raw.get("first_year_of_data", extras.get("first_year_of_data")))
    except values.Unreadable:
        year = None
    if year:
        return f"{year - values.BE_OFFSET:04d}-01-01"
    return str(raw.get("metadata_created") or "")[:10]
