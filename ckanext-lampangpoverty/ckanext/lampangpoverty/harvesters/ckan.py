"""``lampangpoverty_ckan``: a CKAN 2.9+ portal, plain or with Thailand's GD-Catalog metadata
(ckanext-thai_gdc), mapped into one of our types.

The gather pages through the portal's ``package_search`` (sorted by id, so paging is stable)
and checks that it received as many records as the portal counted: a truncated or failed
listing ends the job as failed and withdraws nothing. A record whose ``metadata_modified``
and mapping did not change is settled as unchanged without being queued.

Source config (JSON, every key optional)::

    {"type": "poverty-dataset",            # or agency-resource, policy-proposal
     "organizations": ["lampang-pao"],     # filters of the portal's search
     "groups": ["poverty"], "tags": ["ความยากจน"], "q": "จปฐ",
     "defaults": {"area_codes": ["5201"], "unit_of_observation": "tambon"},
     "private": false}
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from . import base, http

PAGE = 1000

# GD-Catalog's smallest unit of collection (data_collect) -> our unit of observation.
UNITS = {"บุคคล": "person", "ครัวเรือน/ครอบครัว": "household"}


def _check_query(value: Any, config: dict) -> str:
    return base.check_text(value, config)


class CkanHarvester(base.RecordHarvester):
    kind = "ckan"
    title = "CKAN portal (GD-Catalog)"
    description = ("A CKAN 2.9+ catalogue, plain or with Thailand's GD-Catalog fields; "
                   "its datasets become records of our types.")
    page = PAGE
    checks = {"organizations": base.check_strings, "groups": base.check_strings,
              "tags": base.check_strings, "q": _check_query}

    def gather_stage(self, harvest_job) -> list[str] | None:
        config = self.source_config(harvest_job.source)
        base_url = harvest_job.source.url.rstrip("/")
        policy = http.Policy.from_config()
        params = {"q": config.get("q") or "*:*", "fq": _filters(config), "rows": self.page,
                  "sort": "id asc", "include_private": "false"}
        records: dict[str, dict] = {}
        start, count = 0, None
        try:
            while count is None or start < count:
                url = f"{base_url}/api/3/action/package_search?" + urlencode(
                    {**params, "start": start})
                result = _result(url, http.fetch(url, policy))
                count = result["count"]
                page = result["results"]
                if not page:
                    break
                for raw in page:
                    records[raw["id"]] = self.map_record(raw, config)
                start += len(page)
        except (http.FetchError, ValueError, KeyError, TypeError) as e:
            self.fail(harvest_job, tk._("The portal's listing could not be read: %s") % e)
            return None
        if len(records) != count:
            self.fail(harvest_job, tk._("The portal counted %(count)s datasets but listed "
                                        "%(listed)s; nothing was changed")
                      % {"count": count, "listed": len(records)})
            return None
        if not records:
            self.fail(harvest_job, tk._("The portal listed no datasets; nothing was withdrawn"))
            return None
        return self.plan(harvest_job, records)

    def get_original_url(self, harvest_object_id: str) -> str | None:
        from ckanext.harvest.model import HarvestObject

        obj = HarvestObject.get(harvest_object_id)
        return f"{obj.source.url.rstrip('/')}/dataset/{obj.guid}" if obj else None

    def map_record(self, raw: dict, config: dict) -> dict:
        extras = {e.get("key"): e.get("value") for e in raw.get("extras") or []}
        collect = raw.get("data_collect", extras.get("data_collect"))
        if collect in UNITS and not raw.get("unit_of_observation"):
            # What the portal says of its data wins over the source config's defaults.
            raw = {**raw, "unit_of_observation": UNITS[collect]}
        fallbacks: dict[str, Any] = {
            "notes": raw.get("notes") or raw.get("title"),
        }
        if config.get("type", "poverty-dataset") == "poverty-dataset":
            fallbacks.update({
                "poverty_source": "other", "data_type": "ข้อมูลประเภทอื่นๆ",
                "access_level": "public", "area_codes": ["52"],
                "data_source": (raw.get("organization") or {}).get("title"),
                "reference_period_start": _period_start(raw, extras),
            })
        package = self.to_package(raw, config, fallbacks)
        package["title"] = raw.get("title") or raw.get("name")
        package["name"] = raw.get("name")
        package["metadata_modified_at_source"] = raw.get("metadata_modified")
        return package

    def prepare(self, data: dict, config: dict, existing) -> dict:
        data.pop("metadata_modified_at_source", None)
        data = super().prepare(data, config, existing)
        if data.get("private") and data.get("unit_of_observation") in base.HOUSEHOLD_UNITS:
            # Household-level files are never linked from here: they reach the public only
            # as a release of the disclosure gate.
            data["resources"] = []
        return data


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
                         % {"url": url, "start": start})
    if not isinstance(answer, dict) or not answer.get("success"):
        raise ValueError(tk._("%s did not answer as a CKAN action API") % url)
    result = answer["result"]
    if not isinstance(result.get("count"), int) or not isinstance(result.get("results"), list):
        raise ValueError(tk._("%s answered without count and results") % url)
    return result


def _period_start(raw: dict, extras: dict) -> str:
    """The reference period starts on 1 January of the first year of data (Buddhist era in
    GD-Catalog), else on the day the dataset was created at the source."""
    year = raw.get("first_year_of_data", extras.get("first_year_of_data"))
    try:
        year = int(str(year).strip())
        return f"{year - 543 if year > 2400 else year:04d}-01-01"
    except ValueError:
        return str(raw.get("metadata_created") or "")[:10]
