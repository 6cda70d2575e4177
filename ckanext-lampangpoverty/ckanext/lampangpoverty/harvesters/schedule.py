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
import logging
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

log = logging.getLogger(__name__)

HOURLY = "HOURLY"
OPEN_STATES = ("WAITING", "FETCH", "IMPORT")


def add_hourly() -> None:
    from ckanext.harvest import model as harvest_model
    from ckanext.harvest.logic.action import update

    if HOURLY not in harvest_model.UPDATE_FREQUENCIES:
        harvest_model.UPDATE_FREQUENCIES.insert(1, HOURLY)
    if not getattr(update._calculate_next_run, "knows_hourly", False):
        original = update._calculate_next_run

        def calculate_next_run(frequency: str) -> datetime.datetime:
            if frequency == HOURLY:
                return datetime.datetime.utcnow() + datetime.timedelta(hours=1)
            return original(frequency)

        calculate_next_run.knows_hourly = True
        update._calculate_next_run = calculate_next_run


def _now() -> datetime.datetime:
    return datetime.datetime.utcnow()


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
    from ckanext.harvest.model import (HarvestGatherError, HarvestJob, HarvestObject,
                                       HarvestObjectError)

    stuck_after = stuck_after or tk.config["ckanext.lampangpoverty.harvest.stuck_after"]
    finished = []
    for job in model.Session.query(HarvestJob).filter(HarvestJob.status == "Running"):
        idle = (_now() - last_movement(job)).total_seconds()
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
        job.status, job.finished = "Finished", _now()
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
          "deleted": "withdrawn", "errored": "errored"}


def job_summary(job) -> dict[str, Any]:
    """Counts of added, updated, unchanged, withdrawn and errored records, each error with
    its record and reason, and whether the job failed (its gather recorded an error)."""
    from ckanext.harvest.model import HarvestObject, HarvestObjectError

    counts = dict.fromkeys(COUNTS.values(), 0)
    for status, count in (model.Session.query(HarvestObject.report_status, sa.func.count())
                          .filter(HarvestObject.harvest_job_id == job.id)
                          .group_by(HarvestObject.report_status)):
        if status in COUNTS:
            counts[COUNTS[status]] += count
    errors = [{"guid": obj.guid, "record": obj.package_id, "stage": err.stage,
               "message": err.message}
              for err, obj in (model.Session.query(HarvestObjectError, HarvestObject)
                               .join(HarvestObject,
                                     HarvestObjectError.harvest_object_id == HarvestObject.id)
                               .filter(HarvestObject.harvest_job_id == job.id)
                               .order_by(HarvestObjectError.created))]
    gather_errors = [e.message for e in job.get_gather_errors()]
    if job.status != "Finished":
        outcome = "running" if job.status == "Running" else "waiting"
    else:
        outcome = "failed" if gather_errors else "succeeded"
    return {"id": job.id, "source_id": job.source_id, "status": job.status, "outcome": outcome,
            "created": _iso(job.created), "gather_started": _iso(job.gather_started),
            "finished": _iso(job.finished), "counts": counts, "gather_errors": gather_errors,
            "errors": errors}


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
