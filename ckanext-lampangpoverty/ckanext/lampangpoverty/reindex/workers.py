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

import ckan.logic as logic
from ckan import model
from ckan.lib.search import common as search_common
from ckan.lib.search import index as search_index

from . import progress

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


def index_batch(ids: list[str]) -> tuple[int, list[tuple[str, str]]]:
    """Index ``ids``; return how many were sent and (id, error) for those that failed."""
    sent: list[str] = []
    failed: list[tuple[str, str]] = []
    for id_ in ids:
        try:
            logic.index_update_package({"ignore_auth": True}, id_, defer_commit=True)
        except logic.NotFound:
            pass  # deleted since the run began: nothing to index
        except Exception as e:  # one bad record must not stop the others; reported at the end
            log.exception("indexing %s failed", id_)
            failed.append((id_, repr(e)[:300]))
            model.Session.rollback()
            continue
        sent.append(id_)
    model.Session.remove()
    _pending.send()
    progress.mark(sent)
    return len(sent), failed


def run(batches: list[list[str]], workers: int) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """Index the batches in ``workers`` processes, yielding each batch's result as it ends."""
    # Children must not inherit an open database connection (CKAN's own rebuild-fast dies of
    # exactly that): close ours before forking.
    model.Session.remove()
    _engine().dispose()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_start_worker) as pool:
        yield from pool.imap_unordered(index_batch, batches)
