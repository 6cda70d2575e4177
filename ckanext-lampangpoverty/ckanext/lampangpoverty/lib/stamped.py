"""Values built once per worker process and rebuilt when their data changes in any worker: each
cache has a version stamp in Redis that a write bumps and every read compares (one Redis round
trip per request instead of the database queries the value needs)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import g, has_request_context

from ckan.lib.redis import connect_to_redis

PREFIX = "lampangpoverty:stamp:"
REUSE = 1.0

_values: dict[tuple[str, str], tuple[bytes | str, Any]] = {}
_lock = threading.Lock()


def _key(name: str) -> str:
    return PREFIX + name


def _request_stamps() -> dict[str, tuple[bytes | str, float]] | None:
    """The stamps read during this request, with when (a page reads the same cache many
    times). Commands and background jobs may keep one request context for hours: a stamp is
    trusted for REUSE seconds only."""
    if not has_request_context():
        return None
    if not hasattr(g, "lampangpoverty_stamps"):
        g.lampangpoverty_stamps = {}
    return g.lampangpoverty_stamps


def _stamp(name: str) -> bytes | str:
    seen = _request_stamps()
    now = time.monotonic()
    if seen is not None and name in seen and now - seen[name][1] < REUSE:
        return seen[name][0]
    stamp = connect_to_redis().get(_key(name)) or b"0"
    if seen is not None:
        seen[name] = (stamp, now)
    return stamp


def bump(name: str) -> None:
    """Mark the data of cache ``name`` as changed, for every worker."""
    connect_to_redis().incr(_key(name))
    seen = _request_stamps()
    if seen is not None:
        seen.pop(name, None)  # this request reads its own change


def get(name: str, key: str, build: Callable[[], Any]) -> Any:
    """The value of ``build()`` for (``name``, ``key``), built again when ``name`` was bumped
    since. The stamp is read before building, so a change that lands while building leaves a
    stamp that differs from the stored one and the next read builds again."""
    stamp = _stamp(name)
    with _lock:
        found = _values.get((name, key))
    if found is not None and found[0] == stamp:
        return found[1]
    value = build()
    with _lock:
        _values[(name, key)] = (stamp, value)
    return value
