"""The daily freshness pass and what the quality scheduler does on each look: every record's
freshness and score recomputed from one query (records the hooks never saw are taken in on
the way), the rows that changed written in one statement, and only the records whose
status, score or flags changed reindexed; then the links that are due are queued, and the
weekly e-mail when its day has come."""
from __future__ import annotations

import datetime
import logging
import time
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import commit as solr_commit
from ckan.logic import index_update_package

from ..lib.clock import utcnow
from ..model import PackageQuality, QualityTask
from . import freshness, score, state

log = logging.getLogger(__name__)

FRESHNESS_TASK, DIGEST_TASK = "freshness", "digest"

_RECORDS = sa.text("""
WITH res AS (
  SELECT r.package_id,
         max(coalesce(q.data_changed, r.last_modified, r.created)) AS changed,
         array_agg(coalesce(q.link, 'unchecked')) AS links,
         array_agg(coalesce(q.validation, 'not_tabular')) AS validations,
         count(q.resource_id) AS known, count(*) AS total
  FROM resource r LEFT JOIN lampangpoverty_resource_quality q ON q.resource_id = r.id
  WHERE r.state = 'active' GROUP BY r.package_id)
SELECT p.id, p.metadata_created, p.extras ->> 'update_frequency_unit' AS unit,
       p.extras ->> 'update_frequency_interval' AS interval,
       p.extras ->> 'data_updated' AS declared,
       res.changed, res.links, res.validations, coalesce(res.known, 0) AS known,
       coalesce(res.total, 0) AS total, pq.package_id IS NOT NULL AS seen, pq.data_changed,
       pq.metadata_share, pq.freshness, pq.score, pq.parts, pq.due, pq.last_changed,
       pq.freshness_detail
FROM package p
LEFT JOIN res ON res.package_id = p.id
LEFT JOIN lampangpoverty_package_quality pq ON pq.package_id = p.id
WHERE p.state = 'active' AND p.type <> 'harvest' AND (
  :everything OR pq.package_id IS NULL OR coalesce(res.known, 0) < coalesce(res.total, 0)
  -- changed since it was last assessed (every save goes through package_update)
  OR p.metadata_modified > pq.computed
  -- or its status moves on today: fresh -> due -> overdue -> delinquent
  OR (pq.freshness = 'fresh' AND pq.due <= :now)
  OR (pq.freshness = 'due' AND (pq.freshness_detail ->> 'overdue')::timestamp <= :now)
  OR (pq.freshness = 'overdue' AND (pq.freshness_detail ->> 'delinquent')::timestamp <= :now))
""")
_COUNT = sa.text("SELECT count(*) FROM package p WHERE p.state = 'active' AND p.type <> 'harvest'")


def _assess(row: Any, now: datetime.datetime) -> dict[str, Any]:
    found = freshness.assess(row.unit, row.interval, {
        "declared": state.declared_date(row.declared), "resource": row.changed,
        "harvest": row.data_changed, "created": row.metadata_created}, now)
    links = score.links_part(row.links or [])
    checked = score.validation_part(row.validations or [])
    value, parts = score.combine(row.metadata_share, found.status, links, checked)
    return {"package_id": row.id, "freshness": found.status,
            "freshness_detail": found.detail(), "last_changed": found.last_changed,
            "due": found.due, "score": value, "parts": parts, "computed": now}


def _differs(row: Any, new: dict[str, Any]) -> tuple[bool, bool]:
    """(stored values differ, what the index holds differs)."""
    indexed = (row.freshness != new["freshness"] or row.score != new["score"]
               or state.flags(row.parts) != state.flags(new["parts"]))
    stored = indexed or (row.due, row.last_changed, row.freshness_detail, row.parts) != (
        new["due"], new["last_changed"], new["freshness_detail"], new["parts"])
    return stored, indexed


def freshness_pass(now: datetime.datetime | None = None, reindex: bool = True,
                   everything: bool = False) -> dict[str, Any]:
    """Assess every record: the query picks those whose status can have moved since they
    were last assessed (a threshold passed today, the record changed, never assessed) and
    they are recomputed (``everything``: all of them). Returns counts and seconds."""
    now = now or utcnow()
    started = time.monotonic()
    updates, to_index, unseen = [], [], []
    total = model.Session.execute(_COUNT).scalar() or 0
    recomputed = changed = 0
    for row in model.Session.execute(_RECORDS, {"now": now, "everything": everything}):
        recomputed += 1
        if not row.seen or row.known < row.total:
            unseen.append(row.id)           # the hooks never saw it: take it in fully
            continue
        new = _assess(row, now)
        stored, indexed = _differs(row, new)
        updates.append(new)       # "computed" moves on even when nothing else changed
        changed += stored
        if indexed:
            to_index.append(row.id)
    computed = time.monotonic()
    if updates:
        model.Session.execute(sa.update(PackageQuality), updates)
    for package_id in unseen:
        state.sync(package_id, harvested=False)
    model.Session.commit()
    to_index += unseen
    if reindex:
        for package_id in to_index:
            index_update_package({"ignore_auth": True}, package_id, defer_commit=True)
        if to_index:
            solr_commit()
    result = {"records": total, "recomputed": recomputed, "changed": changed,
              "taken_in": len(unseen),
              "reindexed": len(to_index) if reindex else 0,
              "compute_seconds": round(computed - started, 2),
              "seconds": round(time.monotonic() - started, 2)}
    log.info("freshness pass: %s", result)
    return result


def _due(name: str, every: datetime.timedelta, now: datetime.datetime) -> bool:
    task = model.Session.get(QualityTask, name)
    return task is None or task.finished is None or now - task.finished >= every


def _ran(name: str, started: datetime.datetime, message: str) -> None:
    task = QualityTask.get(name)
    task.started, task.finished, task.message = started, utcnow(), message
    model.Session.commit()


def tick(now: datetime.datetime | None = None) -> dict[str, Any]:
    """One look of the scheduler: the pass when due, links when due, the digest when due."""
    from . import digest, links

    now = now or utcnow()
    done: dict[str, Any] = {}
    pass_every = tk.config["ckanext.lampangpoverty.quality.pass_every"]
    digest_every = tk.config["ckanext.lampangpoverty.quality.digest_every"]
    if _due(FRESHNESS_TASK, datetime.timedelta(hours=pass_every), now):
        done["freshness"] = freshness_pass(now)
        _ran(FRESHNESS_TASK, now, str(done["freshness"]))
    due_links = links.due()
    if due_links:
        done["link_jobs"] = links.queue_resources(due_links, after_commit=False)
        model.Session.commit()
    if _due(DIGEST_TASK, datetime.timedelta(days=digest_every), now):
        done["digests"] = digest.queue_all()
        _ran(DIGEST_TASK, now, f"{done['digests']} organisations")
    return done
