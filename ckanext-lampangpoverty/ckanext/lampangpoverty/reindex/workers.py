"""The parallel part of a reindex: batches of record ids indexed in forked worker processes,
each with its own database connection, each batch sent to Solr in one request."""
from __future__ import annotations

import ctypes
import logging
import multiprocessing
import signal
from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Engine

from ckan import model
from ckan.lib import search as search_lib
from ckan.lib.search import common as search_common
from ckan.lib.search import index as search_index

from ..catalogue import search
from ..logic import navl_fast
from ..model import PackageQuality
from . import bulk, harvested, progress

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # linux/prctl.h


class _Pending:
    """Takes the place of the Solr connection that CKAN's indexer opens for each record, so
    the documents CKAN builds (with every plugin's additions) go to Solr together; CKAN itself
    sends, and may commit, each document on its own."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []
        self.deletes: list[str] = []
        self.url = "(batched by ckan lampangpoverty reindex)"

    def add(self, docs: list[dict[str, Any]], commit: bool = False, **_: Any) -> None:
        self.docs.extend(docs)

    def delete(self, q: str, commit: bool = False, **_: Any) -> None:
        self.deletes.append(q)

    def send(self) -> None:
        if not (self.docs or self.deletes):
            return
        conn = search_common.make_connection()
        if self.docs:
            conn.add(docs=self.docs, commit=False)
        for query in self.deletes:
            conn.delete(q=query, commit=False)
        self.docs, self.deletes = [], []


_pending = _Pending()


def _engine() -> Engine:
    engine = model.meta.engine
    if engine is None:
        raise RuntimeError("CKAN's database engine is not set up")
    return engine


def _start_worker() -> None:
    # A worker must die with the command, even when the command is SIGKILLed: an orphan would
    # keep indexing and hold a database connection.
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):  # not Linux: the pool's own cleanup is all there is
        pass
    # The command closed its connections before forking; drop the pool's state without
    # touching any socket the parent might have had, so this worker opens its own.
    _engine().dispose(close=False)
    search_index.make_connection = lambda *a, **k: _pending
    harvested.install()
    navl_fast.install()  # the same validation, without CKAN's repeated work (twice a record)


def _read_ahead(ids: list[str]) -> tuple[list[model.Package], list[PackageQuality]]:
    """Load the batch's records and their stored quality in two queries: our hooks then find
    the quality in the session (``Session.get``) instead of querying one record at a time.
    The caller keeps the returned objects alive (the session holds them weakly)."""
    return (model.Session.query(model.Package).filter(model.Package.id.in_(ids)).all(),
            model.Session.query(PackageQuality).filter(PackageQuality.package_id.in_(ids)).all())


def index_batch(ids: list[str]) -> tuple[int, list[tuple[str, str]]]:
    """Index ``ids``; return how many were sent and (id, error) for those that failed."""
    sent: list[str] = []
    failed: list[tuple[str, str]] = []
    with search.sectors_read_ahead(), harvested.read_ahead(ids):
        packages, qualities = _read_ahead(ids)
        rows = bulk.BatchRows(packages)
        index = search_lib.index_for("Package")
        for pkg in packages:  # a record deleted from the database since the run began is absent
            if _index_one(pkg, rows, index, failed):
                sent.append(pkg.id)
    del packages, qualities, rows
    model.Session.remove()
    _pending.send()
    progress.mark(sent)
    return len(sent), failed


def _index_one(pkg: model.Package, rows: bulk.BatchRows, index: Any,
               failed: list[tuple[str, str]]) -> bool:
    """Index one record; False if it could not be (recorded in ``failed``)."""
    try:
        default, custom = bulk.show_both_schemas(pkg, rows)
        index.update_dict(dict(default, with_custom_schema=custom), defer_commit=True)
    except Exception as e:  # one bad record must not stop the others; reported at the end
        log.exception("indexing %s failed", pkg.id)
        failed.append((pkg.id, repr(e)[:300]))
        model.Session.rollback()
        return False
    return True


def run(batches: list[list[str]], workers: int) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """Index the batches in ``workers`` processes, yielding each batch's result as it ends."""
    # Children must not inherit an open database connection (CKAN's own rebuild-fast dies of
    # exactly that): close ours before forking.
    model.Session.remove()
    _engine().dispose()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_start_worker) as pool:
        yield from pool.imap_unordered(index_batch, batches)
