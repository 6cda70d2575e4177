"""Values built once per worker process and rebuilt when their data changes in any worker: each
cache has a version stamp in Redis that a write bumps and every read compares (one Redis round
trip instead of the database queries the value needs)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ckan.lib.redis import connect_to_redis

PREFIX = "lampangpoverty:stamp:"

_values: dict[tuple[str, str], tuple[bytes | str, Any]] = {}
_lock = threading.Lock()


def _key(name: str) -> str:
    return PREFIX + name


def bump(name: str) -> None:
    """Mark the data of cache ``name`` as changed, for every worker."""
    connect_to_redis().incr(_key(name))


def get(name: str, key: str, build: Callable[[], Any]) -> Any:
    """The value of ``build()`` for (``name``, ``key``), built again when ``name`` was bumped
    since. The stamp is read before building, so a change that lands while building leaves a
    stamp that differs from the stored one and the next read builds again."""
    stamp = connect_to_redis().get(_key(name)) or b"0"
    with _lock:
        found = _values.get((name, key))
    if found is not None and found[0] == stamp:
        return found[1]
    value = build()
    with _lock:
        _values[(name, key)] = (stamp, value)
    return value
