"""What every Lampang harvester shares.

- The source config is a JSON object checked key by key on save, and refused when the
  target type requires a field neither the harvester nor ``defaults`` gives
  (:py:mod:`.checks`).
- A gather hands :py:meth:`RecordHarvester.plan` every record of the source, mapped into our
  type (:py:mod:`.mapping`); each record is new, changed, unchanged (settled at once, never
  queued) or, when the gather was complete and not empty, withdrawn because the source no
  longer lists it. Whatever goes wrong in a gather, the job fails with the reason and
  changes nothing: it never stays running.
- The import (:py:mod:`.importing`) keeps one record per source identifier and one per
  remote dataset across sources.
"""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, ClassVar

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestObject

from . import checks
from .importing import ImportStage, content_of, record_id
from .mapping import Target, build

log = logging.getLogger(__name__)

HOUSEHOLD_UNITS = ("person", "household")
MIN_RECORDS_FOR_SHARE = 10     # below this, any share of a source may be withdrawn

__all__ = ["HOUSEHOLD_UNITS", "RecordHarvester", "content_of", "digest", "record_id"]


def digest(package: dict) -> str:
    return hashlib.sha256(json.dumps(package, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


class RecordHarvester(ImportStage, HarvesterBase):
    """A harvester whose records become records of our catalogue types."""

    kind = ""                     # lampangpoverty_<kind>
    title = ""
    description = ""
    checks: ClassVar[dict[str, checks.Check]] = {}   # the harvester's own keys and checks

    def info(self) -> dict[str, str]:
        # Shown as given on ckanext-harvest's source form: translated here.
        return {"name": f"lampangpoverty_{self.kind}", "title": tk._(self.title),
                "description": tk._(self.description)}

    # Config --------------------------------------------------------------------------------
    def validate_config(self, config: str | None) -> str:
        if not config or not config.strip():
            config = "{}"
        data = checks.parse(config, {**checks.COMMON_CHECKS, **self.checks})
        checks.check_required(data, self.given(data))
        return config

    def given(self, config: dict[str, Any]) -> set[str]:
        """The required fields this harvester fills for every record with this config."""
        return {"title", "notes"}

    @staticmethod
    def source_config(source) -> dict:
        return json.loads(source.config or "{}")

    # Gather --------------------------------------------------------------------------------
    def gather_stage(self, harvest_job) -> list[str] | None:
        """The harvester's gather (:py:meth:`gather`), failing the job with the reason on
        any error at all (a parser's IndexError included), so that no job stays running and
        nothing is changed."""
        try:
            return self.gather(harvest_job)
        except Exception as e:
            model.Session.rollback()
            log.exception("harvest job %s: gather failed", harvest_job.id)
            self._save_gather_error(
                tk._("The source could not be read (%(error)s: %(detail)s); nothing was "
                     "changed") % {"error": type(e).__name__, "detail": str(e)[:300]},
                harvest_job)
            return None

    def gather(self, harvest_job) -> list[str] | None:
        raise NotImplementedError

    def map(self, raw: dict[str, Any], config: dict[str, Any], target: Target, *,
            fallbacks: dict[str, Any] | None = None, base_url: str | None = None,
            identities: list[str] | None = None) -> dict[str, Any]:
        """One planned record: the package of our type, its warnings, its addresses."""
        package, warnings = build(raw, config, target, fallbacks=fallbacks, base_url=base_url)
        return {"package": package, "warnings": warnings, "identities": identities or []}

    @staticmethod
    def current(source_id: str) -> dict[str, tuple[HarvestObject, bool]]:
        """The source's records as last imported: guid -> (current harvest object, whether
        its record is active, i.e. neither withdrawn nor deleted by hand)."""
        objects = {o.guid: o for o in model.Session.query(HarvestObject)
                   .filter(HarvestObject.harvest_source_id == source_id)
                   .filter(HarvestObject.current == sa.true())}
        ids = [o.package_id for o in objects.values() if o.package_id]
        active = {pid for pid, in model.Session.query(model.Package.id)
                  .filter(model.Package.id.in_(ids)).filter(model.Package.state == "active")}
        return {guid: (o, o.package_id in active) for guid, o in objects.items()}

    @staticmethod
    def last_listing(source_id: str, job_id: str) -> set[str]:
        """What the source listed at its last gather that got as far as planning (a failed
        gather plans nothing), withdrawals left out."""
        last = (model.Session.query(HarvestObject.harvest_job_id)
                .filter(HarvestObject.harvest_source_id == source_id)
                .filter(HarvestObject.harvest_job_id != job_id)
                .order_by(HarvestObject.gathered.desc()).limit(1).scalar())
        if last is None:
            return set()
        return {guid for guid, in model.Session.query(HarvestObject.guid)
                .filter(HarvestObject.harvest_job_id == last)
                .filter(sa.not_(HarvestObject.content.like('{"withdraw"%')))}

    def _truncated(self, job, listed: set[str], current: dict) -> str | None:
        """Why this listing looks cut short (a source that suddenly lists far fewer
        records than last time, or than are active here), or None."""
        share = tk.config["ckanext.lampangpoverty.harvest.max_withdraw_share"]
        before = self.last_listing(job.source.id, job.id)
        active = {guid for guid, (_obj, is_active) in current.items() if is_active}
        for known in (before, active):
            missing = len(known - listed)
            if len(known) >= MIN_RECORDS_FOR_SHARE and missing > share * len(known):
                return tk._("The source no longer lists %(gone)s of its %(count)s records "
                            "(more than %(share)s%%); it looks truncated, so nothing was "
                            "changed. If the records really are gone, raise "
                            "ckanext.lampangpoverty.harvest.max_withdraw_share.") % {
                    "gone": missing, "count": len(known), "share": int(share * 100)}
        return None

    def plan(self, job, records: dict[str, dict], unchanged: set[str] | frozenset = frozenset(),
             listed: set[str] | None = None, current: dict | None = None) -> list[str] | None:
        """Create this job's harvest objects. ``records``: guid -> :py:meth:`map` result,
        for what the gather read in full; ``unchanged``: guids the gather found unchanged
        without reading them (settled at once); ``listed``: every guid the source lists
        (default: both); ``current``: :py:meth:`current`, when the gather already read it.
        Returns the ids to queue: new and changed records, and the withdrawals of active
        records the source no longer lists; None (the job failed, nothing changed) when the
        source dropped more than ``max_withdraw_share`` of its records."""
        source = job.source
        current = current if current is not None else self.current(source.id)
        listed = listed if listed is not None else set(records) | set(unchanged)
        problem = self._truncated(job, listed, current)
        if problem:
            self._save_gather_error(problem, job)
            return None
        gone = [guid for guid, (_previous, active) in current.items()
                if active and listed and guid not in listed]
        queued, settled = [], []

        def settle(guid: str, previous, digest_value: str | None) -> None:
            settled.append(HarvestObject(
                guid=guid, job=job, source=source, package_id=previous.package_id,
                state="COMPLETE", report_status="not modified",
                content=json.dumps({"digest": digest_value})))

        for guid in unchanged:
            previous, _active = current[guid]
            settle(guid, previous, content_of(previous).get("digest"))
        for guid, planned in records.items():
            content = {"digest": digest(planned["package"]), **planned}
            previous, active = current.get(guid, (None, False))
            if active and content_of(previous).get("digest") == content["digest"]:
                settle(guid, previous, content["digest"])
                continue
            queued.append(HarvestObject(guid=guid, job=job, source=source,
                                        content=json.dumps(content, ensure_ascii=False)))
        queued += [HarvestObject(guid=guid, job=job, source=source,
                                 content=json.dumps({"withdraw": True})) for guid in gone]
        model.Session.add_all(settled + queued)
        model.Session.commit()
        log.info("harvest job %s: %d to import or withdraw, %d unchanged",
                 job.id, len(queued), len(settled))
        return [o.id for o in queued]

    # Fetch and import ----------------------------------------------------------------------
    def fetch_stage(self, harvest_object) -> bool:
        return True     # every harvester fetches in its gather

    def prepare(self, data: dict, config: dict, existing) -> dict:
        """Last changes before the record is saved. A household-level record arrives
        private; once it exists, its organisation decides (the publication gate lets it go
        public only with a passing release), and later runs keep that choice."""
        if data.get("unit_of_observation") in HOUSEHOLD_UNITS or config.get("mode") == "microdata":
            data["private"] = existing.private if existing is not None else True
        else:
            data["private"] = bool(config.get("private"))
        return data

    def after_import(self, package_id: str, config: dict, harvest_object) -> str | None:
        """Work after the record is saved (a household table handed to the gate). Returns
        why it failed, or None."""
        return None
