"""Our records as the API returns them. List functions take their rows already joined, so a
list costs a fixed number of queries whatever its length."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ckan import model

from ..disclosure.table import TableError, _translated, render
from ..lib.clock import utcnow
from ..model import AccessRequest, Download, Microdata, MicrodataStatus, RequestStatus


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _text(entry: Any) -> str:
    """A stored message entry (method, problem, flag, advice, proposal) in the reader's
    language; entries of older reports without a message id are shown as they are."""
    if not isinstance(entry, dict) or "message" not in entry:
        return str(entry)
    return render(entry["message"], entry.get("params"), entry.get("translate", ()))


def localised(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """An internal report or public summary with every sentence rendered in the reader's
    language (``methods_text``, and ``text`` on each flag, problem and advice)."""
    if not report:
        return report
    out = dict(report)
    if isinstance(report.get("methods"), list):
        out["methods_text"] = [_text(m) for m in report["methods"]]
    out["flags"] = [{**f, "text": _text(f)} for f in report.get("flags") or []]
    out["problems"] = [{**p, "text": _text(p),
                        "advice": [{**a, "text": _text(a)} for a in p.get("advice") or []]}
                       for p in report.get("problems") or []]
    return out


def _message(record: Microdata) -> str:
    """The submission's message in the reader's language: a file error, the thresholds a
    refused release missed, or the progress step."""
    settings = record.settings or {}
    if settings.get("error"):
        return str(TableError(**settings["error"]))
    problems = (record.report or {}).get("problems")
    if record.status == MicrodataStatus.FAILED and problems:
        return "; ".join(_text(p) for p in problems)
    return _translated(record.message) if record.message else ""


def _proposed(settings: dict[str, Any], roles: dict[str, str]) -> dict[str, Any]:
    columns = {c: {**p, "text": _text(p)} for c, p in (settings.get("proposal") or {}).items()}
    return {"roles": roles, "identifiers": settings.get("identifiers") or [],
            "columns": columns, "plan": settings.get("plan")}


def microdata_dictize(record: Microdata, internal: bool) -> dict[str, Any]:
    """A submission; ``internal`` adds what is derived from the raw table (roles, settings,
    the proposal, the internal report), for the owning organisation only."""
    settings = record.settings or {}
    out: dict[str, Any] = {
        "id": record.id, "package_id": record.package_id, "filename": record.filename,
        "status": record.status, "progress": record.progress, "message": _message(record),
        "summary": localised(record.summary),
        "release_resource_id": record.release_resource_id,
        "created": _iso(record.created), "modified": _iso(record.modified),
    }
    if internal:
        out.update(roles=record.roles, settings=record.settings,
                   report=localised(record.report), size=record.size,
                   columns=settings.get("columns"))
        if record.status in (MicrodataStatus.NEEDS_ROLES, MicrodataStatus.FAILED):
            out["proposed"] = _proposed(settings, record.roles)
    return out


def access_request_dictize(request: AccessRequest, user_name: str | None, downloads: int,
                           package: tuple[str | None, str | None] = (None, None)
                           ) -> dict[str, Any]:
    left = (max(request.max_downloads - downloads, 0)
            if request.max_downloads is not None else None)
    return {"id": request.id, "package_id": request.package_id, "user": user_name,
            "package_name": package[0], "package_title": package[1] or package[0],
            "purpose": request.purpose, "institution": request.institution,
            "status": request.status, "reason": request.reason,
            "expires": _iso(request.expires), "max_downloads": request.max_downloads,
            "downloads": downloads, "downloads_left": left,
            # as AccessRequest.usable(), with the count already joined (no query per row)
            "usable": (request.status == RequestStatus.APPROVED and bool(left)
                       and request.expires is not None and utcnow() < request.expires),
            "decided_by": request.decided_by,
            "decided": _iso(request.decided), "created": _iso(request.created)}


def access_request_rows(query: Any) -> Iterable[tuple[AccessRequest, str | None, int,
                                                      tuple[str | None, str | None]]]:
    """Each request of ``query`` (a query of AccessRequest) with its requester's name, its
    download count and its dataset's name and title, in one query."""
    counts = (model.Session.query(Download.request_id.label("request_id"),
                                  sa.func.count().label("n"))
              .group_by(Download.request_id).subquery())
    rows = (query.outerjoin(model.User, model.User.id == AccessRequest.user_id)
            .outerjoin(model.Package, model.Package.id == AccessRequest.package_id)
            .outerjoin(counts, counts.c.request_id == AccessRequest.id)
            .add_columns(model.User.name, sa.func.coalesce(counts.c.n, 0),
                         model.Package.name, model.Package.title))
    return ((request, name, int(n), (pkg_name, title))
            for request, name, n, pkg_name, title in rows)


def access_request_list_dictize(query: Any) -> list[dict[str, Any]]:
    return [access_request_dictize(request, name, n, package)
            for request, name, n, package in access_request_rows(query)]


def access_request_show(request: AccessRequest) -> dict[str, Any]:
    """One request, as a list of one (the same two joins)."""
    query = model.Session.query(AccessRequest).filter(AccessRequest.id == request.id)
    return access_request_list_dictize(query)[0]
