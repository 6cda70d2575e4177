"""One reindex from start to end: which records, resuming an unfinished run, progress, the
single commit, and the closing check."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search.common import make_connection

from . import progress, workers


@dataclass
class Outcome:
    total: int  # records in this run (after skipping those a killed run had sent)
    resumed: bool
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

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
    # One commit for the whole run, waiting for the new searcher so that the check sees it.
    make_connection().commit(waitSearcher=True)
    outcome.seconds = time.monotonic() - began
    if not outcome.failed:
        progress.finish()
    return outcome
