"""The fetch consumer's batch import: up to ``ckanext.lampangpoverty.harvest.fetch_batch``
waiting harvest objects imported in ONE database transaction, one SAVEPOINT per record.

ckanext-harvest's ``fetch_callback`` and ``fetch_and_import_stages`` commit six or seven
times per object (retry count, FETCH, fetch finished, IMPORT, state, report status, plus
the harvester's own). Here the same per-object bookkeeping (retry count, the job-finished
check, state, timestamps, current flag, report status, extras, errors) is written in the
batch's transaction and committed once with the records, so that a batch is either wholly
stored or, when the consumer dies, wholly still WAITING (the scheduler resubmits it).

While a record is imported, the session's ``commit`` only flushes and its ``rollback``
rolls back to that record's savepoint: CKAN's ``package_create``/``package_update`` roll
back the session on a validation error, ckanext-harvest's error helpers commit, and our
import stage does both as it would one record at a time. An exception that escapes the
harvester (a plugin hook raising) rolls back that record alone and is reported on its
object. Sources whose import hands work to other processes (microdata tables go to the
disclosure gate's background jobs, which must see committed rows) are imported one at a
time after the batch, as ckanext-harvest does.

The batch's records go to Solr in ONE request, after the last record and before the commit
(:py:class:`_SolrBatch`): a record rolled back takes its document out of that request. When
Solr refuses the request, the transaction is rolled back, the index is put back as the
database has it, and the batch is imported again one record at a time, each sent on its own,
so that only the record Solr refuses fails.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import SearchIndexError
from ckan.lib.search import common as search_common
from ckan.lib.search import index as search_index

from ..lib.clock import utcnow
from .activities import BatchActivities

log = logging.getLogger(__name__)

MAX_RETRIES = 5     # as ckanext-harvest's fetch_callback


class _RecordScope:
    """The session's commit and rollback, bent to the current record's savepoint."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.savepoint: Any = None

    def begin(self) -> None:
        self.savepoint = self.session.begin_nested()

    def rollback(self) -> None:
        if self.savepoint is not None and self.savepoint.is_active:
            self.savepoint.rollback()
        self.begin()      # what follows the rollback (the error, a retry) is kept

    def release(self) -> None:
        if self.savepoint is not None and self.savepoint.is_active:
            self.savepoint.commit()
        self.savepoint = None

    def discard(self) -> None:
        if self.savepoint is not None and self.savepoint.is_active:
            self.savepoint.rollback()
        self.savepoint = None


@contextlib.contextmanager
def _record_scopes() -> Iterator[_RecordScope]:
    session = model.Session()
    scope = _RecordScope(session)
    # Instance attributes shadow the Session's methods for this batch only; every caller
    # (CKAN's actions, ckanext-harvest's helpers, ours) goes through model.Session, whose
    # scoped proxy looks them up on this instance.
    session.commit = session.flush
    session.rollback = scope.rollback
    try:
        yield scope
    finally:
        del session.commit
        del session.rollback


class _SolrBatch:
    """Takes the place of the Solr connection CKAN's indexer opens for each record, so that
    the documents it builds (with every plugin's additions) are sent together; deletions go
    to Solr at once, as before."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []
        self.url = "(batched by the harvest fetch consumer)"

    def add(self, docs: list[dict[str, Any]], commit: bool = False, **_: Any) -> None:
        self.docs.extend(docs)

    def delete(self, q: str, commit: bool = False, **kwargs: Any) -> None:
        search_common.make_connection().delete(q=q, commit=commit, **kwargs)

    def mark(self) -> int:
        return len(self.docs)

    def drop(self, mark: int) -> None:
        """Forget what was added since ``mark`` (its record was rolled back)."""
        del self.docs[mark:]

    @contextlib.contextmanager
    def collecting(self) -> Iterator[None]:
        real = search_index.make_connection
        search_index.make_connection = lambda *a, **k: self
        try:
            yield
        finally:
            search_index.make_connection = real

    def send(self) -> None:
        """One request, no commit (Solr's soft commit makes it searchable)."""
        if not self.docs:
            return
        import pysolr

        try:
            search_common.make_connection().add(docs=self.docs, commit=False)
        except (pysolr.SolrError, OSError) as e:
            raise SearchIndexError(str(e)[:1000]) from e

    def restore(self) -> None:
        """After a refused request (Solr may have taken the documents before the one it
        refused): each record's document as the database has it, or none."""
        from ckan.logic import index_remove_package, index_update_package

        for package_id in dict.fromkeys(d["id"] for d in self.docs):
            try:
                if model.Package.get(package_id) is None:
                    index_remove_package(package_id)
                else:
                    index_update_package({"ignore_auth": True}, package_id,
                                         defer_commit=True)
            except SearchIndexError:
                log.exception("search index: record %s could not be put back", package_id)
        self.docs = []


def _harvesters() -> dict[str, Any]:
    import ckan.plugins as p
    from ckanext.harvest.interfaces import IHarvester
    return {h.info()["name"]: h for h in p.PluginImplementations(IHarvester)}


def batchable(harvester: Any, obj: Any) -> bool:
    from .base import RecordHarvester

    if not isinstance(harvester, RecordHarvester):
        return False
    return harvester.source_config(obj.source).get("mode") != "microdata"


def _admit(obj: Any) -> bool:
    """fetch_callback's checks, without its commits: False when the object is settled here
    (too many retries, or its job already finished) or was settled by another consumer."""
    from ckanext.harvest.model import HarvestJob

    if obj.state != "WAITING":
        return False      # imported meanwhile (a resubmitted duplicate of its message)
    obj.retry_times = (obj.retry_times or 0) + 1
    if obj.retry_times >= MAX_RETRIES:
        obj.state = "ERROR"
        log.error("Too many consecutive retries for object %s", obj.id)
        return False
    job = model.Session.get(HarvestJob, obj.harvest_job_id)
    if job is not None and job.status == "Finished":
        obj.state, obj.report_status = "ERROR", "errored"
        log.error("Job %s was aborted or timed out, object %s set to error", job.id, obj.id)
        return False
    return True


def _import(harvester: Any, obj: Any, scope: _RecordScope, solr: _SolrBatch,
            activities: BatchActivities) -> bool | str:
    """Import one object in a savepoint of its own; whatever escapes the harvester rolls
    back that record alone (its index documents and activity too) and is reported on its
    object."""
    from ckanext.harvest.model import HarvestObjectError

    from .importing import index_refused

    obj.fetch_started = obj.fetch_finished = obj.import_started = utcnow()
    obj.state = "IMPORT"
    scope.begin()
    mark = solr.mark()
    harvester.index_later = []
    activities.begin()
    try:
        result = harvester.import_stage(obj)
        # Indexed last, inside the savepoint: a record rolled back is never in the index.
        # The index's dict of the record is its activity's too (activities.py).
        for package_id in harvester.index_later if result else []:
            activities.index(package_id)
        activities.settle()
        scope.release()       # flushes: a refused row fails here, still in the savepoint
        activities.keep()
    except SearchIndexError as e:
        scope.discard()
        solr.drop(mark)
        activities.drop()
        model.Session.add(HarvestObjectError(object=obj, stage="Import",
                                             message=index_refused(e)))
        return False
    except Exception as e:
        scope.discard()
        solr.drop(mark)
        activities.drop()
        log.exception("harvest object %s: import raised", obj.id)
        model.Session.add(HarvestObjectError(
            object=obj, stage="Import",
            message=tk._("The record could not be saved (%(error)s: %(detail)s)") % {
                "error": type(e).__name__, "detail": str(e)[:300]}))
        return False
    finally:
        harvester.index_later = None
    return result


def _settle(obj: Any, result: bool | str) -> None:
    """State and report status as ckanext-harvest's fetch_and_import_stages sets them."""
    from ckanext.harvest.model import HarvestObject

    obj.import_finished = utcnow()
    if not result:
        obj.state, obj.report_status = "ERROR", "errored"
        return
    obj.state = "COMPLETE"
    if result == "unchanged":
        obj.report_status = "not modified"
    elif obj.current is False:
        obj.report_status = "deleted"
    elif not obj.report_status:
        others = (model.Session.query(HarvestObject.id)
                  .filter(HarvestObject.package_id == obj.package_id).limit(2).count())
        obj.report_status = "updated" if others == 2 else "added"


@contextlib.contextmanager
def _statements() -> Iterator[list[int]]:
    """Counts the SQL statements this process sends meanwhile (the consumer's log gives the
    count per batch: round trips are much of a record's import time)."""
    from sqlalchemy import event

    engine, count = model.meta.engine, [0]

    def counted(*_: Any) -> None:
        count[0] += 1
    event.listen(engine, "before_cursor_execute", counted)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", counted)


def import_batch(object_ids: list[str], one_request: bool = True) -> list[str]:
    """Import these harvest objects: the batchable ones in one transaction, committed once,
    their index documents sent in one request (``one_request``; else each record's on its
    own, inside its savepoint). Returns the ids it left alone (not our harvesters', or not
    batchable), for the caller to hand to ckanext-harvest's own fetch_callback one at a
    time."""
    with _statements() as count:
        settled, alone = _import_batch(object_ids, one_request)
    # Which consumer imported what: with several consumers (nodes) on one queue, each
    # object's line is in one consumer's log only (ids, never record contents).
    log.info("settled %d harvest objects in one transaction: %s", len(settled),
             " ".join(settled))
    log.info("batch of %d harvest objects, %d imported: %d SQL statements", len(object_ids),
             len(settled), count[0])
    return alone


def _import_batch(object_ids: list[str], one_request: bool) -> tuple[list[str], list[str]]:
    from ckanext.harvest.model import HarvestObject

    from .importing import record_id

    harvesters = _harvesters()
    # Row locks held until the batch commits: an object whose message was resubmitted while
    # another consumer's batch holds it is skipped here (that batch settles it, or, if its
    # consumer dies, leaves it WAITING for the scheduler to resubmit).
    objects = (model.Session.query(HarvestObject)
               .filter(HarvestObject.id.in_(object_ids))
               .filter(HarvestObject.state == "WAITING")
               .with_for_update(skip_locked=True).all())
    # Records in a fixed order, so that two consumers holding overlapping batches take
    # their advisory locks in the same order (no deadlock).
    objects.sort(key=lambda o: record_id(o.harvest_source_id or "", o.guid or ""))
    alone: list[str] = []
    solr = _SolrBatch()
    with _record_scopes() as scope, BatchActivities().collecting() as activities, \
            solr.collecting() if one_request else contextlib.nullcontext():
        for obj in objects:
            harvester = harvesters.get(obj.source.type) if obj.source else None
            if harvester is None or not batchable(harvester, obj):
                alone.append(obj.id)
            elif _admit(obj):
                _settle(obj, _import(harvester, obj, scope, solr, activities))
        activities.save()
    try:
        solr.send()
    except SearchIndexError:
        log.warning("search index refused a batch of %d records; importing them one at a "
                    "time", len(solr.docs), exc_info=True)
        model.Session.rollback()
        solr.restore()
        return [], import_batch(object_ids, one_request=False)
    model.Session.commit()
    return [o.id for o in objects if o.id not in alone], alone


__all__ = ["batchable", "import_batch"]
