"""ckanext-harvest's database log (``ckan.harvest.log_scope``), written apart from the work it
logs.

ckanext-harvest 1.6.3's ``DBLogHandler`` stores each log record with ``HarvestLog.save()``:
an add and a **commit of the request's own database session**. Its plugin logs at INFO inside
``package_update`` ("Harvest source ... update") when a source is edited, so with
``ckan.harvest.log_level = info`` the handler commits the source's package half-way through
its update; CKAN then fails with "This transaction is closed" (HTTP 500) and the harvest
source row keeps its old config. Here each log record is written on a connection of its own,
in its own transaction, so logging never commits, flushes or ends anyone's work, at any
level.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa

from ..lib.clock import utcnow


def _emit(self: logging.Handler, record: logging.LogRecord) -> None:
    from ckan.model import meta
    from ckan.model.types import make_uuid
    from ckanext.harvest.model import HarvestLog

    try:
        assert meta.engine is not None
        with meta.engine.begin() as connection:
            connection.execute(sa.insert(HarvestLog.__table__).values(
                id=make_uuid(), content=self.format(record), level=record.levelname,
                created=utcnow()))
    except Exception:          # logging must never fail the work it logs
        self.handleError(record)


def write_apart() -> None:
    """Make ckanext-harvest's database log handler write on its own connection."""
    from ckanext.harvest import log

    from .schedule import check_harvest_version

    check_harvest_version()
    log.DBLogHandler.emit = _emit
