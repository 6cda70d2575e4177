"""One HTTP session to Solr per worker thread for CKAN's search queries (package_search,
package_show's cached copy). CKAN's ``make_connection`` builds a new ``pysolr.Solr`` for each
query, and pysolr a new ``requests.Session`` for each of those: a new TCP connection (and
its handshake) per query, several per page. The connection CKAN builds is kept as it is
(URL, credentials, timeout, date decoding); only its session is a kept one, whose pooled
connection to Solr is reused."""
from __future__ import annotations

import os
import threading
from typing import Any

import requests

_local = threading.local()


def session() -> requests.Session:
    """This thread's session (a new one in a forked worker: sockets are not shared across
    processes)."""
    pid = os.getpid()
    if getattr(_local, "pid", None) != pid:
        kept = requests.Session()
        kept.stream = False     # as pysolr sets up its own sessions
        _local.session, _local.pid = kept, pid
    return _local.session


def install() -> None:
    """Make ckan.lib.search.query's connections use the kept session (once per process)."""
    from ckan.lib.search import common, query

    if getattr(query.make_connection, "keeps_session", False):
        return
    build = common.make_connection

    def make_connection(decode_dates: bool = True) -> Any:
        conn = build(decode_dates)
        kept = session()
        kept.verify = conn.verify
        conn.session = kept
        return conn

    make_connection.keeps_session = True  # type: ignore[attr-defined]
    query.make_connection = make_connection
