"""What the platform records when a record is created or changed (by a form, the API or a
harvest): which resources are new or point somewhere new (their data changed; they are
validated and their links checked in the background), the record's metadata completeness,
and its freshness and score as they stand. The daily pass (passes.py) recomputes the same
for every record; both write through :py:func:`refresh`."""
from __future__ import annotations

import datetime
import hashlib
from typing import Any
from urllib.parse import urlsplit

from ckan import model
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ..lib.clock import utcnow
from ..model import Link, PackageQuality, ResourceQuality, Validation
from . import freshness, score

TABULAR_FORMATS = {"csv", "tsv", "xlsx", "xls", "ods", "text/csv", "text/tab-separated-values",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   "application/vnd.ms-excel", "application/vnd.oasis.opendocument.spreadsheet"}
TABULAR_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls", ".ods")
UNIT, INTERVAL, UPDATED = "update_frequency_unit", "update_frequency_interval", "data_updated"


def is_tabular(resource: model.Resource | dict[str, Any]) -> bool:
    """Whether a resource says it is a table (its format, else its file name)."""
    get = resource.get if isinstance(resource, dict) else lambda k: getattr(resource, k, None)
    fmt = str(get("format") or "").strip().lower().lstrip(".")
    if fmt:
        return fmt in TABULAR_FORMATS
    return urlsplit(str(get("url") or "")).path.lower().endswith(TABULAR_SUFFIXES)


def schema_of(resource: model.Resource) -> str:
    """The table schema a resource declares (its ``schema`` field, else the area-indicator
    marker of the targeting pages, whose value names the shipped schema), as stored."""
    extras = resource.extras or {}
    return str(extras.get("schema") or extras.get("table_schema") or "").strip()


def schema_digest(resource: model.Resource) -> str:
    return hashlib.sha256(schema_of(resource).encode()).hexdigest()[:16]


def field_value(pkg: model.Package, name: str) -> Any:
    """A dataset field as stored: a core column, the tags, or an extra (scheming keeps its
    own fields as extras)."""
    if name == "tag_string":
        return [t.name for t in pkg.get_tags()]
    if name in model.package_table.columns:
        return getattr(pkg, name)
    return pkg.extras.get(name)


def metadata(pkg: model.Package) -> tuple[float, list[str]]:
    fields = score.recommended_fields(scheming_get_dataset_schema(pkg.type))
    resources = [{"name": r.name, "format": r.format} for r in pkg.resources]
    return score.completeness(fields, lambda name: field_value(pkg, name), resources)


def declared_date(value: Any) -> datetime.datetime | None:
    """The record's own "data updated" date (an ISO date), or None."""
    try:
        return datetime.datetime.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None


def sync(package_id: str, harvested: bool) -> None:
    """Called as a record is created or updated (before the commit): note resources whose
    link or file changed, queue their validation and link check (after the commit), and
    refresh the record's completeness, freshness and score."""
    from . import links, validation

    pkg = model.Package.get(package_id)
    if pkg is None:
        return
    now = utcnow()
    rows = {r.resource_id: r for r in
            model.Session.query(ResourceQuality).filter(ResourceQuality.package_id == pkg.id)}
    to_validate, to_check = [], []
    for res in pkg.resources:
        row = rows.pop(res.id, None)
        if row is None:
            row = ResourceQuality(resource_id=res.id, package_id=pkg.id, url=res.url or "",
                                  file_modified=res.last_modified,
                                  data_changed=res.last_modified or res.created or now,
                                  validation=Validation.NOT_TABULAR, link=Link.UNCHECKED,
                                  link_detail={}, link_failures=0)
            model.Session.add(row)
            moved = True
        else:
            moved = row.url != (res.url or "") or (res.url_type == "upload"
                                                   and row.file_modified != res.last_modified)
            if moved:
                row.url, row.file_modified, row.data_changed = res.url or "", \
                    res.last_modified, now
        if moved:
            row.link_code, row.link_detail, row.link_failures = None, {}, 0
            row.link = Link.UPLOAD if res.url_type == "upload" else Link.UNCHECKED
            if row.link == Link.UNCHECKED and res.url:
                to_check.append(res.id)
        if not is_tabular(res):
            row.validation, row.report = Validation.NOT_TABULAR, None
        elif (moved or harvested or row.validation == Validation.NOT_TABULAR
              or (row.report or {}).get("schema_digest") != schema_digest(res)):
            row.validation, row.report = Validation.PENDING, None
            to_validate.append(res.id)
    for gone in rows.values():          # resources deleted from the record
        model.Session.delete(gone)
    quality = PackageQuality.get(pkg.id)
    if quality is None:
        quality = PackageQuality(package_id=pkg.id, metadata_missing=[], freshness_detail={},
                                 parts={})
        model.Session.add(quality)
    if harvested:
        quality.data_changed = now
    quality.metadata_share, quality.metadata_missing = metadata(pkg)
    model.Session.flush()
    refresh(quality, pkg, now)
    for resource_id in to_validate:
        validation.queue(resource_id)
    if to_check:
        links.queue_resources(to_check)


def candidates(pkg: model.Package, quality: PackageQuality | None,
               resource_changed: datetime.datetime | None) -> dict[str, Any]:
    return {"declared": declared_date(pkg.extras.get(UPDATED)),
            "resource": resource_changed,
            "harvest": quality.data_changed if quality else None,
            "created": pkg.metadata_created}


def refresh(quality: PackageQuality, pkg: model.Package, now: datetime.datetime) -> bool:
    """Recompute the record's freshness and score from what is stored; returns whether
    anything the search index holds (status, score) changed."""
    rows = model.Session.query(ResourceQuality).filter(
        ResourceQuality.package_id == pkg.id).all()
    changed = max((r.data_changed for r in rows if r.data_changed), default=None)
    found = freshness.assess(pkg.extras.get(UNIT), pkg.extras.get(INTERVAL),
                             candidates(pkg, quality, changed), now)
    value, parts = score.combine(quality.metadata_share, found.status,
                                 score.links_part(r.link for r in rows),
                                 score.validation_part(r.validation for r in rows))
    before = (quality.freshness, quality.score, flags(quality.parts))
    apply(quality, found, value, parts, now)
    return before != (quality.freshness, quality.score, flags(quality.parts))


def apply(quality: PackageQuality, found: freshness.Assessment, value: int,
          parts: dict[str, Any], now: datetime.datetime) -> None:
    quality.freshness, quality.freshness_detail = found.status, found.detail()
    quality.last_changed, quality.due = found.last_changed, found.due
    quality.score, quality.parts, quality.computed = value, parts, now


def flags(parts: dict[str, Any] | None) -> tuple[bool, bool]:
    """Whether the record has a failing link, and a failing validation (shown in results)."""
    parts = parts or {}
    return (bool((parts.get("links") or {}).get("failing")),
            bool((parts.get("validation") or {}).get("failing")))


def rescore(package_ids: set[str] | list[str]) -> None:
    """After a validation or link check: refresh the records and reindex those whose
    status, score or flags changed."""
    from ckan.logic import index_update_package

    now = utcnow()
    for package_id in set(package_ids):
        pkg = model.Package.get(package_id)
        quality = PackageQuality.get(package_id)
        if pkg is None or quality is None or pkg.state != "active":
            continue
        if refresh(quality, pkg, now):
            model.Session.commit()
            index_update_package({"ignore_auth": True}, package_id)
    model.Session.commit()


def show(pkg_id: str) -> dict[str, Any] | None:
    """The record's stored quality, as package_show and the API give it."""
    quality = PackageQuality.get(pkg_id)
    if quality is None:
        return None
    detail = quality.freshness_detail or {}

    def iso(moment: datetime.datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {"score": quality.score, "band": score.band(quality.score),
            "parts": quality.parts,
            "freshness": {"status": quality.freshness, "last_changed": iso(quality.last_changed),
                          "due": iso(quality.due), **detail},
            "metadata_missing": quality.metadata_missing, "computed": iso(quality.computed)}


def being_harvested(package_id: str) -> bool:
    """Whether a harvest is importing the record right now (ckanext-harvest marks the
    harvest object IMPORT while its import runs)."""
    from ckanext.harvest.model import HarvestObject

    return model.Session.query(HarvestObject.id).filter(
        HarvestObject.package_id == package_id, HarvestObject.state == "IMPORT").first() \
        is not None
