"""The search index against the database, as ``ckan search-index check`` compares them, plus
the documents in Solr whose record is not in the database at all."""
from __future__ import annotations

from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search.common import make_connection


@dataclass
class IndexCheck:
    active: int  # active records in the database
    missing: list[str]  # active records without an active document in Solr
    extra: list[str]  # Solr documents of this site whose record is not in the database

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra)


def _solr_ids(fq: str) -> set[str]:
    conn = make_connection()
    fq = f'+site_id:"{tk.config["ckan.site_id"]}" {fq}'
    found = conn.search("*:*", fq=fq, rows=0).hits
    docs = conn.search("*:*", fq=fq, rows=found + 100, fl="id").docs if found else []
    return {d["id"] for d in docs}


def orphans(indexed_before: str) -> set[str]:
    """Records of this site's Solr documents indexed before ``indexed_before`` (a Solr date)
    that are not in the database at all."""
    in_db = {id_ for (id_,) in model.Session.query(model.Package.id)}
    return _solr_ids(f"+indexed_ts:[* TO {indexed_before}]") - in_db


def check() -> IndexCheck:
    rows = model.Session.query(model.Package.id, model.Package.state).all()
    active = {id_ for id_, state in rows if state == model.State.ACTIVE}
    in_db = {id_ for id_, _state in rows}
    missing = active - _solr_ids("+state:active")
    extra = _solr_ids("") - in_db
    return IndexCheck(len(active), sorted(missing), sorted(extra))
