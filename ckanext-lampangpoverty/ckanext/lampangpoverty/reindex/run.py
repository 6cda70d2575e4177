"""One reindex from start to end: which records, resuming an unfinished run, progress, the
single commit, and the closing check."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search.common import make_connection

from ..lib.clock import utcnow
from . import check, progress, workers


@dataclass
class Outcome:
    total: int  # records in this run (after skipping those a killed run had sent)
    resumed: bool
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    removed: int = 0  # documents whose record is no longer in the database

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


def _record_ids() -> list[str]:
    """The records CKAN's own rebuild indexes, in id order."""
    query = model.Session.query(model.Package.id)
    if tk.config.get("ckan.search.remove_deleted_packages"):
        query = query.filter(model.Package.state != model.State.DELETED)
    return sorted(r[0] for r in query)


def reindex(processes: int, batch_size: int, fresh: bool,
            report: Callable[[int, int, float], None]) -> Outcome:
    """Index every record; ``report(sent, total, seconds)`` is called after each batch.

    An unfinished earlier run is resumed (its sent records are skipped) unless ``fresh``.
    """
    began_at = utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = _record_ids()
    resumed = not fresh and progress.unfinished()
    if resumed:
        already = progress.done()
        ids = [i for i in ids if i not in already]
    else:
        progress.start()
    outcome = Outcome(total=len(ids), resumed=resumed)
    batches = [ids[i:i + batch_size] for i in range(0, len(ids), batch_size)]
    began = time.monotonic()
    for sent, failed in workers.run(batches, processes):
        outcome.sent += sent
        outcome.failed.extend(failed)
        report(outcome.sent, outcome.total, time.monotonic() - began)
    outcome.removed = _drop_orphans(began_at)
    # One commit for the whole run, waiting for the new searcher so that the check sees it.
    make_connection().commit(waitSearcher=True)
    outcome.seconds = time.monotonic() - began
    if not outcome.failed:
        progress.finish()
    return outcome


def _drop_orphans(indexed_before: str) -> int:
    """Take out the documents whose record is gone from the database (purged by hand, or a
    database restored from an older dump): a reindex leaves the index as the database is.
    Only documents indexed before the run began: a record being created now can be in Solr
    a moment before its row is committed."""
    ids = sorted(check.orphans(indexed_before))
    conn = make_connection()
    site = tk.config["ckan.site_id"]
    for start in range(0, len(ids), 200):
        chunk = " OR ".join(f'"{id_}"' for id_ in ids[start:start + 200])
        conn.delete(q=f'+site_id:"{site}" +id:({chunk})', commit=False)
    return len(ids)
