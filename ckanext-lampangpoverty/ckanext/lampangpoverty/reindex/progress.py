"""Which records a reindex has sent to Solr, kept in Redis so a run killed at any moment
(SIGKILL included) resumes with the records not yet sent. A record is marked only after Solr
accepted it; sending one twice is harmless (Solr replaces a document with the same id)."""
from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis


def _key() -> str:
    return f"lampangpoverty:reindex:{tk.config['ckan.site_id']}:done"


def unfinished() -> bool:
    """Whether a run started and did not finish."""
    return bool(connect_to_redis().exists(_key()))


def done() -> set[str]:
    return {m.decode() if isinstance(m, bytes) else m
            for m in connect_to_redis().smembers(_key())}


def start() -> None:
    """Begin a new run: forget an unfinished one. The set holds a marker so that a run killed
    before its first batch still counts as unfinished."""
    redis = connect_to_redis()
    with redis.pipeline() as pipe:
        pipe.delete(_key())
        pipe.sadd(_key(), "")
        pipe.execute()


def mark(ids: Iterable[str]) -> None:
    ids = list(ids)
    if ids:
        connect_to_redis().sadd(_key(), *ids)


def finish() -> None:
    connect_to_redis().delete(_key())
