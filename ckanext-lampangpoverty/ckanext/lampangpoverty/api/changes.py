"""The changes feed: what became visible, changed or went away for a caller, in order.

The trigger on ``package`` logs every change of a dataset row (the migration d41c7a9e2f60);
rows get their ``seq`` here, in the order they were committed (a transaction still open when
the feed is read gets a later ``seq`` once it commits), so a cursor never skips a change.
Each record appears once per page of changes, at its latest change: ``created`` (new to the
caller since the cursor), ``updated``, or ``deleted`` (deleted, purged, withdrawn by a
harvest, or made private: gone for the caller; told only to those who could see it)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ckan import authz, model

from ..catalogue.types import DATASET_TYPES
from ..model import Change

# Serialises the numbering of committed rows (any constant: pg_advisory_xact_lock's key).
_SEQUENCER_LOCK = 0x17C4A9E


def sequence() -> None:
    """Number the committed, not yet numbered rows after every numbered one."""
    conn = model.Session.connection()
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SEQUENCER_LOCK})
    conn.execute(sa.text("""
        WITH base AS (SELECT COALESCE(MAX(seq), 0) AS top FROM lampangpoverty_change),
             todo AS (SELECT id, row_number() OVER (ORDER BY id) AS n
                      FROM lampangpoverty_change WHERE seq IS NULL)
        UPDATE lampangpoverty_change c SET seq = base.top + todo.n
        FROM base, todo WHERE c.id = todo.id"""))
    model.Session.commit()


@dataclass
class Viewer:
    """Who reads the feed: a sysadmin sees every active record, others public ones and the
    private ones of their organisations."""

    sysadmin: bool
    orgs: frozenset[str]

    @classmethod
    def of(cls, user_name: str | None) -> Viewer:
        user = model.User.get(user_name or "")
        if user is None:
            return cls(False, frozenset())
        if authz.is_sysadmin(user.name):
            return cls(True, frozenset())
        orgs = (model.Session.query(model.Member.group_id)
                .join(model.Group, model.Group.id == model.Member.group_id)
                .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                        model.Member.state == "active", model.Group.is_organization.is_(True),
                        model.Group.state == "active"))
        return cls(False, frozenset(row[0] for row in orgs))

    def sees(self, row: Change) -> bool:
        if row.state != "active" or row.type not in DATASET_TYPES:
            return False
        return self.sysadmin or not row.private or (row.owner_org or "") in self.orgs


def _utc(value: datetime.datetime) -> str:
    return value.replace(tzinfo=datetime.timezone.utc).isoformat()


def cursor_for(since: datetime.datetime) -> int:
    """The cursor just before the first change after ``since`` (naive UTC)."""
    found = (model.Session.query(sa.func.max(Change.seq))
             .filter(Change.seq.isnot(None), Change.changed <= since).scalar())
    return int(found or 0)


def _history(ids: list[str]) -> dict[str, list[Change]]:
    rows = (model.Session.query(Change).filter(Change.package_id.in_(ids),
                                               Change.seq.isnot(None))
            .order_by(Change.seq))
    found: dict[str, list[Change]] = {i: [] for i in ids}
    for row in rows:
        found[row.package_id].append(row)
    return found


def _entry(history: list[Change], viewer: Viewer, cursor: int) -> dict[str, Any] | None:
    latest = history[-1]
    seen = [row for row in history if viewer.sees(row)]
    if viewer.sees(latest):
        known = any(row.seq is not None and row.seq <= cursor for row in seen)
        change = "updated" if known else "created"
    else:
        if not seen:
            return None  # never visible to this caller: nothing to tell
        last_seen = seen[-1].seq or 0
        after = [row for row in history if row.seq is not None and row.seq > last_seen]
        if not after or (after[0].seq or 0) <= cursor:
            return None  # gone before the cursor: told already
        change = "deleted"
    shown = latest if change != "deleted" else seen[-1]
    return {"id": latest.package_id, "name": shown.name, "type": shown.type, "change": change,
            "changed": _utc(latest.changed), "seq": latest.seq}


def page(user_name: str | None, cursor: int, limit: int) -> dict[str, Any]:
    """Up to ``limit`` changes after ``cursor`` for this caller, and the cursor to go on."""
    sequence()
    viewer = Viewer.of(user_name)
    changes: list[dict[str, Any]] = []
    position = cursor
    while len(changes) < limit:
        batch = (model.Session.query(Change.package_id, sa.func.max(Change.seq).label("top"))
                 .filter(Change.seq > position)
                 .group_by(Change.package_id).order_by(sa.text("top"))
                 .limit(limit * 2).all())
        if not batch:
            break
        histories = _history([b.package_id for b in batch])
        for package_id, top in batch:
            position = top
            entry = _entry(histories[package_id], viewer, cursor)
            if entry is not None:
                changes.append(entry)
                if len(changes) == limit:
                    break
    more = bool(model.Session.query(Change.id).filter(Change.seq > position).first())
    return {"changes": changes, "next_cursor": str(position), "more": more}
