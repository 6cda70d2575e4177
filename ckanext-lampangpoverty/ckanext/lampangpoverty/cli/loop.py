"""The loop of the schedulers (harvest, quality): one piece of work every ``interval``
seconds inside a request context, until SIGTERM or SIGINT."""
from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable

import click

log = logging.getLogger(__name__)


def every(name: str, interval: float, once: bool, work: Callable[[], None]) -> None:
    """Run ``work`` now and every ``interval`` seconds (once with ``once``) until stopped."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    app = click.get_current_context().meta["flask_app"]
    log.info("%s started, every %ss", name, interval)
    while not stopping:
        try:
            # Actions build URLs, read the current user and speak both languages: they
            # need a request.
            with app.test_request_context():
                work()
        except Exception:
            # One failed pass (database restarting, say) must not end the scheduler.
            log.exception("%s pass failed; retrying in %ss", name, interval)
        if once:
            break
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.5)
    log.info("%s stopped", name)
