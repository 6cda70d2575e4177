"""The quality of records as the API and the pages give it: one record with its resources'
validation reports and link checks, one organisation's late records, broken links and
failing files, and the league table of organisations. Statuses come with their label in the
reader's language; each list is a fixed number of queries."""
from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

from ckan import model

from ..model import Freshness, Link, PackageQuality, ResourceQuality, Validation
from . import labels, score, state


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def validation_dictize(row: ResourceQuality) -> dict[str, Any]:
    report = dict(row.report or {})
    types = labels.error_types()
    for error in report.get("errors") or []:
        error["label"] = types.get(error["type"], error["type"])
    report.pop("schema_digest", None)
    return {"status": row.validation, "label": labels.validation()[row.validation],
            "message": labels.validation_message(report), "validated": _iso(row.validated),
            "report": report}


def link_dictize(row: ResourceQuality) -> dict[str, Any]:
    return {"status": row.link, "label": labels.links()[row.link],
            "message": labels.link_message(row.link_detail), "code": row.link_code,
            "checked": _iso(row.link_checked), "last_good": _iso(row.link_good),
            "failures": row.link_failures}


def resource_dictize(res: model.Resource, row: ResourceQuality | None) -> dict[str, Any]:
    out: dict[str, Any] = {"resource_id": res.id, "name": res.name, "format": res.format,
                           "url": res.url}
    if row is not None:
        out.update(validation=validation_dictize(row), link=link_dictize(row))
    return out


def record(pkg: model.Package) -> dict[str, Any]:
    """A record's quality: score and parts, freshness, each resource's checks."""
    rows = {r.resource_id: r for r in model.Session.query(ResourceQuality)
            .filter(ResourceQuality.package_id == pkg.id)}
    shown = state.show(pkg.id) or {"score": None, "freshness": {"status": None}}
    status = shown["freshness"].get("status")
    shown["freshness"]["label"] = labels.freshness().get(status or "", "")
    shown["freshness"]["explanation"] = labels.freshness_reason(shown["freshness"])
    return {"id": pkg.id, "name": pkg.name, **shown,
            "resources": [resource_dictize(r, rows.get(r.id)) for r in pkg.resources]}


def _visible(query: Any, include_private: bool) -> Any:
    query = query.filter(model.Package.state == "active", model.Package.type != "harvest")
    return query if include_private else query.filter(model.Package.private.is_(False))


def organization(org: model.Group, include_private: bool) -> dict[str, Any]:
    """One organisation's records due or overdue, its broken links and failing files."""
    statuses = labels.freshness()
    late = _visible(model.Session.query(model.Package, PackageQuality)
                    .join(PackageQuality, PackageQuality.package_id == model.Package.id)
                    .filter(model.Package.owner_org == org.id)
                    .filter(PackageQuality.freshness.in_(Freshness.LATE)), include_private)
    resources = _visible(model.Session.query(model.Resource, ResourceQuality, model.Package)
                         .join(ResourceQuality, ResourceQuality.resource_id == model.Resource.id)
                         .join(model.Package, model.Package.id == model.Resource.package_id)
                         .filter(model.Package.owner_org == org.id,
                                 model.Resource.state == "active"), include_private)

    def entry(pkg: model.Package) -> dict[str, Any]:
        return {"id": pkg.id, "name": pkg.name, "title": pkg.title, "type": pkg.type,
                "private": pkg.private}

    return {
        "organization": {"id": org.id, "name": org.name, "title": org.display_name},
        "late": [{**entry(p), "freshness": q.freshness, "label": statuses[q.freshness],
                  "due": _iso(q.due), "last_changed": _iso(q.last_changed), "score": q.score}
                 for p, q in late.order_by(PackageQuality.due, model.Package.title)],
        "broken_links": [{"record": entry(p), **resource_dictize(r, q)} for r, q, p in
                         resources.filter(ResourceQuality.link.in_(Link.FAILING))
                         .order_by(model.Package.title, model.Resource.position)],
        "failing_files": [{"record": entry(p), **resource_dictize(r, q)} for r, q, p in
                          resources.filter(ResourceQuality.validation.in_(Validation.FAILING))
                          .order_by(model.Package.title, model.Resource.position)],
    }


_LEAGUE = sa.text("""
WITH records AS (
  SELECT p.owner_org, count(*) AS records, round(avg(pq.score)) AS score,
         count(*) FILTER (WHERE pq.freshness IN ('fresh', 'never', 'as_needed')) AS fresh,
         count(*) FILTER (WHERE pq.freshness IN ('due', 'overdue', 'delinquent')) AS late,
         count(*) FILTER (WHERE pq.freshness = 'unknown' OR pq.freshness IS NULL) AS unknown,
         round(avg(pq.metadata_share) * 100) AS metadata
  FROM package p LEFT JOIN lampangpoverty_package_quality pq ON pq.package_id = p.id
  WHERE p.state = 'active' AND NOT p.private AND p.type <> 'harvest'
  GROUP BY p.owner_org),
files AS (
  SELECT p.owner_org,
         count(*) FILTER (WHERE q.link IN ('broken', 'timeout', 'refused')) AS broken_links,
         count(*) FILTER (WHERE q.validation IN :failing) AS failing_files
  FROM lampangpoverty_resource_quality q
  JOIN resource r ON r.id = q.resource_id AND r.state = 'active'
  JOIN package p ON p.id = r.package_id AND p.state = 'active' AND NOT p.private
  GROUP BY p.owner_org)
SELECT g.id, g.name, g.title, records.records, records.score, records.fresh, records.late,
       records.unknown, records.metadata, coalesce(files.broken_links, 0) AS broken_links,
       coalesce(files.failing_files, 0) AS failing_files
FROM "group" g
JOIN records ON records.owner_org = g.id
LEFT JOIN files ON files.owner_org = g.id
WHERE g.is_organization AND g.state = 'active'
ORDER BY records.score DESC NULLS LAST, g.title
""").bindparams(sa.bindparam("failing", expanding=True))


def league() -> list[dict[str, Any]]:
    """Every organisation with public records: mean score, fresh and late records, metadata
    completeness, broken links and failing files; best first."""
    rows = model.Session.execute(_LEAGUE, {"failing": list(Validation.FAILING)})
    out = []
    for rank, row in enumerate(rows, start=1):
        mean = int(row.score) if row.score is not None else None
        out.append({"rank": rank, "id": row.id, "name": row.name, "title": row.title,
                    "records": row.records, "score": mean, "band": score.band(mean),
                    "fresh": row.fresh, "late": row.late, "unknown": row.unknown,
                    "fresh_share": round(row.fresh / row.records, 4) if row.records else 0,
                    "metadata": int(row.metadata) if row.metadata is not None else None,
                    "broken_links": row.broken_links, "failing_files": row.failing_files})
    return out
