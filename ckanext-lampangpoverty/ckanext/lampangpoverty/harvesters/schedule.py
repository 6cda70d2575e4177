"""Running harvests unattended: an hourly frequency, the scheduler's pass, and finishing jobs
that stopped moving.

ckanext-harvest 1.6.3 knows MANUAL, MONTHLY, WEEKLY, BIWEEKLY, DAILY and ALWAYS. HOURLY is
added to its list (the same list object its validator and form read) and to its next-run
calculation. Its own timeout (``ckan.harvest.timeout``, whole minutes, measured from the
last finished object) leaves the unfinished objects of a timed-out job in FETCH or IMPORT
forever; :py:func:`finish_stuck_jobs` also closes those, with a reason, and counts the
start of a fetch or import as movement, so a long import is not taken for a dead one.
"""
from __future__ import annotations

import datetime
import importlib.metadata
import json
import logging
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ..lib.clock import utcnow

log = logging.getLogger(__name__)

HOURLY = "HOURLY"
OPEN_STATES = ("WAITING", "FETCH", "IMPORT")
# The ckanext-harvest release whose internals add_hourly() and the consumers
# (harvesters/queue.py) change; any other release must be checked against them first.
HARVEST_VERSION = "1.6.3"


def check_harvest_version() -> None:
    """Refuse to start on a ckanext-harvest release our changes to it were not made for."""
    found = importlib.metadata.version("ckanext-harvest")
    if found != HARVEST_VERSION:
        raise RuntimeError(
            f"ckanext-lampangpoverty changes ckanext-harvest {HARVEST_VERSION}'s frequency "
            f"list, next-run calculation and consumers, but ckanext-harvest {found} is "
            "installed: check harvesters/schedule.py and harvesters/queue.py against it, then "
            "update HARVEST_VERSION")


def add_hourly() -> None:
    from ckanext.harvest import model as harvest_model
    from ckanext.harvest.logic.action import update

    check_harvest_version()
    if HOURLY not in harvest_model.UPDATE_FREQUENCIES:
        harvest_model.UPDATE_FREQUENCIES.insert(1, HOURLY)
    if not getattr(update._calculate_next_run, "knows_hourly", False):
        original = update._calculate_next_run

        def calculate_next_run(frequency: str) -> datetime.datetime:
            if frequency == HOURLY:
                return utcnow() + datetime.timedelta(hours=1)
            return original(frequency)

        calculate_next_run.knows_hourly = True  # type: ignore[attr-defined]
        update._calculate_next_run = calculate_next_run


def last_movement(job) -> datetime.datetime:
    """The latest moment anything of the job happened: created, gathered, or any of its
    objects gathered, started or finished fetching or importing."""
    from ckanext.harvest.model import HarvestObject

    columns = [HarvestObject.gathered, HarvestObject.fetch_started, HarvestObject.fetch_finished,
               HarvestObject.import_started, HarvestObject.import_finished]
    latest = model.Session.query(*[sa.func.max(c) for c in columns]).filter(
        HarvestObject.harvest_job_id == job.id).one()
    moments = [m for m in (job.created, job.gather_started, job.gather_finished, *latest) if m]
    return max(moments)


def finish_stuck_jobs(stuck_after: int | None = None) -> list[str]:
    """Finish, as failed, every running job that has not moved for ``stuck_after`` seconds
    (``ckanext.lampangpoverty.harvest.stuck_after``); its unfinished objects are marked
    errored with the reason. Returns the ids of the jobs finished."""
    from ckanext.harvest.model import (
        HarvestGatherError,
        HarvestJob,
        HarvestObject,
        HarvestObjectError,
    )

    stuck_after = stuck_after or tk.config["ckanext.lampangpoverty.harvest.stuck_after"]
    finished = []
    for job in model.Session.query(HarvestJob).filter(HarvestJob.status == "Running"):
        idle = (utcnow() - last_movement(job)).total_seconds()
        if idle < stuck_after:
            continue
        reason = tk._("The job made no progress for %(idle)s s (limit %(limit)s s): a "
                      "consumer stopped or the source hung. It was finished as failed; the "
                      "next run harvests the records it did not finish.") % {
            "idle": int(idle), "limit": stuck_after}
        for obj in (model.Session.query(HarvestObject)
                    .filter(HarvestObject.harvest_job_id == job.id)
                    .filter(HarvestObject.state.in_(OPEN_STATES))):
            obj.state, obj.report_status = "ERROR", "errored"
            model.Session.add(HarvestObjectError(object=obj, message=reason, stage="Import"))
        model.Session.add(HarvestGatherError(job=job, message=reason))
        job.status, job.finished = "Finished", utcnow()
        model.Session.commit()
        log.warning("harvest job %s of source %s finished as failed: no progress for %ds",
                    job.id, job.source_id, idle)
        finished.append(job.id)
    return finished


def run_pass(user: str) -> None:
    """One scheduler pass: close stuck jobs, then let ckanext-harvest create the jobs that
    are due, mark completed ones finished and resubmit lost queue items."""
    finish_stuck_jobs()
    tk.get_action("harvest_jobs_run")({"user": user}, {})


# Report status of a harvest object -> the name our summary gives it.
COUNTS = {"added": "added", "updated": "updated", "not modified": "unchanged",
          "deleted": "withdrawn"}


def job_summary(job_id: str) -> dict[str, Any]:
    """What a job did, from ckanext-harvest's own job and report: counts of added, updated,
    unchanged, withdrawn and errored records, each error with its record and reason, the
    warnings of records imported with a value left out, and whether the job failed (its
    gather recorded an error)."""
    job = tk.get_action("harvest_job_show")(_context(), {"id": job_id})
    report = tk.get_action("harvest_job_report")(_context(), {"id": job_id})
    counts = {ours: job["stats"].get(theirs, 0) for theirs, ours in COUNTS.items()}
    counts["errored"] = len(report["object_errors"])
    records = _records_of(list(report["object_errors"]))
    errors = [{"guid": entry["guid"], "record": records.get(object_id), "stage": error["type"],
               "message": error["message"]}
              for object_id, entry in report["object_errors"].items()
              for error in entry["errors"]]
    gather_errors = [e["message"] for e in reversed(report["gather_errors"])]
    if job["status"] != "Finished":
        outcome = "running" if job["status"] == "Running" else "waiting"
    else:
        outcome = "failed" if gather_errors else "succeeded"
    return {"id": job["id"], "source_id": job["source_id"], "status": job["status"],
            "outcome": outcome, "created": job["created"],
            "gather_started": job["gather_started"], "finished": job["finished"],
            "counts": counts, "gather_errors": gather_errors, "errors": errors,
            "warnings": _warnings_of(job["id"])}


def _context() -> Context:
    # ckanext-harvest's job dictization reads this flag (not a key of CKAN's Context).
    return {"ignore_auth": True, "return_error_summary": False}  # type: ignore[typeddict-unknown-key]


def _records_of(object_ids: list[str]) -> dict[str, str | None]:
    """The record (package id) of each harvest object, in one query."""
    from ckanext.harvest.model import HarvestObject

    if not object_ids:
        return {}
    rows = (model.Session.query(HarvestObject.id, HarvestObject.package_id)
            .filter(HarvestObject.id.in_(object_ids)))
    return {object_id: package_id for object_id, package_id in rows}


def _warnings_of(job_id: str) -> list[dict[str, Any]]:
    """Each record's warnings (values left out, a dataset another source brought in)."""
    from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

    from .importing import WARNINGS
    from .labels import render

    rows = (model.Session.query(HarvestObject.guid, HarvestObject.package_id,
                                HarvestObjectExtra.value)
            .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
            .filter(HarvestObject.harvest_job_id == job_id)
            .filter(HarvestObjectExtra.key == WARNINGS)
            .order_by(HarvestObject.guid))
    return [{"guid": guid, "record": package_id, "message": render(stored)}
            for guid, package_id, value in rows for stored in json.loads(value)]


def _iso(moment: datetime.datetime | str | None) -> str | None:
    # ckanext-harvest sometimes stores a job's finish time from a dictized job (a string).
    return moment.isoformat() if isinstance(moment, datetime.datetime) else moment


def harvest_info(package_id: str) -> dict[str, Any] | None:
    """Where a harvested record comes from and when it was last harvested."""
    from ckanext.harvest.model import HarvestObject

    obj = (model.Session.query(HarvestObject)
           .filter(HarvestObject.package_id == package_id)
           .filter(HarvestObject.state == "COMPLETE")
           .order_by(HarvestObject.import_finished.desc().nullslast(),
                     HarvestObject.gathered.desc()).first())
    if obj is None or obj.source is None:
        return None
    source = model.Package.get(obj.source.id)
    return {"source_id": obj.source.id, "source_title": obj.source.title,
            "source_name": source.name if source else obj.source.id,
            "source_url": obj.source.url, "guid": obj.guid,
            "last_harvested": _iso(obj.import_finished or obj.gathered)}
