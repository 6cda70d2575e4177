"""ckanext-harvest's indexing hook, without its query per record in a reindex: the hook asks
the database, for every record, for the record's current harvest object, and most records
have none (for those it changes nothing but a ``status`` given as a dict). Within
``read_ahead`` the records of the batch that have one are read in one query, and the hook
runs only for them (and for a record whose ``status`` is a dict)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from ckan import model

_harvested: set[str] | None = None  # set within read_ahead


def install() -> None:
    """Wrap the hook (in a reindex worker process only; idempotent)."""
    try:
        from ckanext.harvest.plugin import Harvest
    except ImportError:  # harvest not installed: no hook to spare
        return
    original = Harvest.before_dataset_index
    if getattr(original, "_lampangpoverty_read_ahead", False):
        return

    def before_dataset_index(self: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        if (_harvested is not None and pkg_dict.get("id") not in _harvested
                and not isinstance(pkg_dict.get("status"), dict)):
            return pkg_dict  # what the hook returns when its query finds nothing
        return original(self, pkg_dict)

    before_dataset_index._lampangpoverty_read_ahead = True  # type: ignore[attr-defined]
    Harvest.before_dataset_index = before_dataset_index


@contextlib.contextmanager
def read_ahead(ids: list[str]) -> Iterator[None]:
    """Within the block, which of ``ids`` have a current harvest object comes from one query."""
    global _harvested
    try:
        from ckanext.harvest.model import HarvestObject
    except ImportError:
        yield
        return
    table = HarvestObject.__table__.c
    _harvested = set(model.Session.scalars(select(table.package_id).where(
        table.package_id.in_(ids), table.current.is_(True))))
    try:
        yield
    finally:
        _harvested = None
