"""Several copies of a long-running command in one process tree: forked once CKAN and its
plugins are loaded (loaded once, not once per copy), each copy restarted when it exits, all
stopped with the command (SIGTERM or SIGINT). The harvest fetch consumer runs
``ckanext.lampangpoverty.harvest.fetch_consumers`` copies this way, so that ``make run``, the
compose file and each cluster node use as many as the configuration names."""
from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

RESTART_PAUSE = 1.0


def run_copies(count: int, work: Callable[[], None], name: str) -> None:
    """Run ``work`` in ``count`` forked processes until stopped (``count`` 1: in this one)."""
    if count <= 1:
        work()
        return
    children: dict[int, int] = {}        # pid -> copy number
    stopping = False

    def start(number: int) -> None:
        pid = os.fork()
        if pid == 0:
            _child(work, name, number)
        children[pid] = number

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for number in range(1, count + 1):
        start(number)
    log.info("%s: %d copies running (pids %s)", name, count, " ".join(map(str, children)))
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        number = children.pop(pid, 0)
        if number and not stopping:
            log.warning("%s copy %d (pid %d) exited with status %d; starting it again",
                        name, number, pid, status)
            time.sleep(RESTART_PAUSE)
            if not stopping:
                start(number)


def _child(work: Callable[[], None], name: str, number: int) -> None:
    """A copy: default signal handling, database connections of its own, never returns."""
    from ckan import model

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 0
    try:
        # The parent's pooled connections must not be shared with it (SQLAlchemy's advice
        # for forked processes: drop them without closing the parent's sockets).
        model.Session.remove()
        if model.meta.engine is not None:
            model.meta.engine.dispose(close=False)
        work()
    except BaseException:
        log.exception("%s copy %d stopped", name, number)
        code = 1
    finally:
        os._exit(code)
