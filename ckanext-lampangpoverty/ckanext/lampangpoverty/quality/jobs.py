"""Background jobs of the quality checks: their own RQ queue (a worker of its own runs it,
so a slow validation or a slow partner server never holds up the gate's jobs), hard time
limits, and enqueueing only once the change that asked for them is committed (a job
started before the commit would not see the new resource)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

import ckan.plugins.toolkit as tk
from ckan import model

log = logging.getLogger(__name__)

QUEUE = "lampangpoverty_quality"
_PENDING = "lampangpoverty_quality_jobs"
_installed = False


def enqueue(fn: Callable[..., Any], args: list[Any], title: str, timeout: float) -> None:
    """Run ``fn(*args)`` on the quality queue, killed after ``timeout`` seconds."""
    try:
        tk.enqueue_job(fn, args, title=title, queue=QUEUE,
                       rq_kwargs={"timeout": int(timeout) + 1})
    except Exception:
        # Redis down: the daily pass finds the work again (nothing is lost but time).
        log.exception("could not enqueue %s", title)


def after_commit(fn: Callable[..., Any], args: list[Any], title: str, timeout: float) -> None:
    """Enqueue once the current transaction commits (dropped if it rolls back)."""
    model.Session.info.setdefault(_PENDING, []).append((fn, args, title, timeout))


def _commit(session: Session) -> None:
    for fn, args, title, timeout in session.info.pop(_PENDING, []):
        enqueue(fn, args, title, timeout)


def _rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Listen to the commits and rollbacks of CKAN's session (once per process)."""
    global _installed
    if not _installed:
        event.listen(model.Session, "after_commit", _commit)
        event.listen(model.Session, "after_rollback", _rollback)
        _installed = True
