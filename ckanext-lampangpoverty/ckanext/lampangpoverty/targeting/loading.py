"""Indicator tables into the area profiles: a poverty dataset's resource that follows the
area indicator schema is read from the DataStore once xloader loaded it, checked whole, and
its figures replace that resource's previous ones in one transaction. A table with any error
replaces nothing: its errors (row, column) are kept for the dataset's editors."""
from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ..catalogue.types import POVERTY_DATASET
from ..lib.clock import utcnow
from ..lib.site import site_user
from ..model import AreaIndicator, IndicatorLoad, LoadStatus
from . import check, indicators, messages

log = logging.getLogger(__name__)

MAX_STORED_ERRORS = 200
PAGE = 10000


def follows_schema(resource: dict[str, Any], header: list[str] | None = None) -> bool:
    """A resource declared to follow the schema, or whose columns are exactly its fields."""
    if resource.get("table_schema") == indicators.SCHEMA_NAME:
        return True
    if header is None:
        return False
    return sorted(check.normalise(h) for h in header) == sorted(indicators.field_names())


def datastore_rows(resource_id: str) -> tuple[list[str], list[list[Any]]]:
    """The resource's DataStore table as (header, rows in load order), ``_id`` left out."""
    context: Context = {"ignore_auth": True, "user": site_user()}
    header: list[str] = []
    rows: list[list[Any]] = []
    offset = 0
    while True:
        page = tk.get_action("datastore_search")(context.copy(), {
            "resource_id": resource_id, "limit": PAGE, "offset": offset, "sort": "_id",
            "records_format": "lists", "include_total": False})
        names = [f["id"] for f in page["fields"]]
        keep = [i for i, name in enumerate(names) if name != "_id"]
        header = [names[i] for i in keep]
        batch = page["records"]
        rows += [[record[i] for i in keep] for record in batch]
        if len(batch) < PAGE:
            return header, rows
        offset += PAGE


def store(resource_id: str, package_id: str, result: check.Result) -> IndicatorLoad:
    """Keep the outcome; on success replace the resource's figures, all in one commit."""
    status = IndicatorLoad.get(resource_id) or IndicatorLoad(resource_id=resource_id)
    status.package_id = package_id
    status.checked = utcnow()
    status.error_count = len(result.errors)
    status.errors = [e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]]
    if result.ok:
        now = utcnow()
        model.Session.execute(sa.delete(AreaIndicator)
                              .where(AreaIndicator.resource_id == resource_id))
        if result.figures:
            model.Session.execute(sa.insert(AreaIndicator), [
                {"resource_id": resource_id, "package_id": package_id, "area_code": f.area_code,
                 "year": f.year, "indicator": f.indicator, "value": f.value, "unit": f.unit,
                 "source": f.source, "loaded": now} for f in result.figures])
        status.status, status.rows, status.loaded = LoadStatus.LOADED, len(result.figures), now
    else:
        # Nothing replaced: the profiles keep showing the last good table.
        status.status = LoadStatus.INVALID
    model.Session.add(status)
    model.Session.commit()
    return status


def load(resource_id: str, header: list[str], rows: list[list[Any]]) -> IndicatorLoad:
    res = model.Resource.get(resource_id)
    if res is None:
        raise tk.ObjectNotFound(tk._("Resource not found"))
    return store(res.id, res.package_id or "", check.check_table(header, rows))


def load_from_datastore(resource_id: str) -> IndicatorLoad | None:
    """Background job (after xloader loaded a table): check and load it when it is an
    indicator table of a poverty dataset; None when it is not one."""
    res = model.Resource.get(resource_id)
    if res is None or res.package is None or res.package.type != POVERTY_DATASET:
        return None
    header, rows = datastore_rows(resource_id)
    resource = {"table_schema": res.extras.get("table_schema")}
    if not follows_schema(resource, header):
        return None
    status = load(resource_id, header, rows)
    log.info("indicator table %s: %s (%s rows, %s errors)", resource_id, status.status,
             status.rows, status.error_count)
    return status


def after_datastore_load(resource: dict[str, Any], dataset: dict[str, Any]) -> None:
    """xloader finished loading ``resource``: check indicator tables in the background."""
    if dataset.get("type") == POVERTY_DATASET:
        tk.enqueue_job(load_from_datastore, [resource["id"]],
                       title=f"area indicators of {resource['id']}")


def status_dict(status: IndicatorLoad) -> dict[str, Any]:
    errors = [check.RowError.from_dict(e) for e in status.errors or []]
    return {"resource_id": status.resource_id, "status": status.status, "rows": status.rows,
            "error_count": status.error_count,
            "errors": [{**e.as_dict(), "message": messages.describe(e)} for e in errors],
            "checked": status.checked.isoformat(),
            "loaded": status.loaded.isoformat() if status.loaded else None}
