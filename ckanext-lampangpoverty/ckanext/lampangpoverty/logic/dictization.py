"""Our records as the API returns them. List functions take their rows already joined, so a
list costs a fixed number of queries whatever its length."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ckan import model

from ..disclosure.table import TableError
from ..model import AccessRequest, Download, Microdata, MicrodataStatus


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def microdata_dictize(record: Microdata, internal: bool) -> dict[str, Any]:
    """A submission; ``internal`` adds what is derived from the raw table (roles, settings,
    the internal report), for the owning organisation only."""
    settings = record.settings or {}
    message = record.message
    if settings.get("error"):
        message = str(TableError(**settings["error"]))   # in the reader's language
    out: dict[str, Any] = {
        "id": record.id, "package_id": record.package_id, "filename": record.filename,
        "status": record.status, "progress": record.progress, "message": message,
        "summary": record.summary, "release_resource_id": record.release_resource_id,
        "created": _iso(record.created), "modified": _iso(record.modified),
    }
    if internal:
        out.update(roles=record.roles, settings=record.settings, report=record.report,
                   size=record.size, columns=settings.get("columns"))
        if record.status == MicrodataStatus.NEEDS_ROLES:
            out["proposed"] = {"roles": record.roles,
                               "identifiers": settings.get("identifiers") or []}
    return out


def access_request_dictize(request: AccessRequest, user_name: str | None,
                           downloads: int) -> dict[str, Any]:
    return {"id": request.id, "package_id": request.package_id, "user": user_name,
            "purpose": request.purpose, "institution": request.institution,
            "status": request.status, "reason": request.reason,
            "expires": _iso(request.expires), "max_downloads": request.max_downloads,
            "downloads": downloads, "decided_by": request.decided_by,
            "decided": _iso(request.decided), "created": _iso(request.created)}


def access_request_rows(query: Any) -> Iterable[tuple[AccessRequest, str | None, int]]:
    """Each request of ``query`` (a query of AccessRequest) with its requester's name and
    its download count, in one query."""
    counts = (model.Session.query(Download.request_id.label("request_id"),
                                  sa.func.count().label("n"))
              .group_by(Download.request_id).subquery())
    rows = (query.outerjoin(model.User, model.User.id == AccessRequest.user_id)
            .outerjoin(counts, counts.c.request_id == AccessRequest.id)
            .add_columns(model.User.name, sa.func.coalesce(counts.c.n, 0)))
    return ((request, name, int(n)) for request, name, n in rows)


def access_request_list_dictize(query: Any) -> list[dict[str, Any]]:
    return [access_request_dictize(request, name, n)
            for request, name, n in access_request_rows(query)]


def access_request_show(request: AccessRequest) -> dict[str, Any]:
    """One request, as a list of one (the same two joins)."""
    query = model.Session.query(AccessRequest).filter(AccessRequest.id == request.id)
    return access_request_list_dictize(query)[0]
