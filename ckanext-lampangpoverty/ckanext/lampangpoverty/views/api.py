"""The public API's own pages: the JSON Lines dump, the OpenAPI document and the guide."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

from ..api import dump, http, openapi

blueprint = Blueprint("lampangpoverty_api", __name__)


@blueprint.route("/api/lampangpoverty/dump/records.jsonl.gz")
def records_dump() -> Any:
    """Every public record, one JSON document a line, gzip-compressed (written nightly)."""
    target = dump.path()
    if not target.exists():
        return http.error(404, "Not Found Error",
                          tk._("The dump has not been written yet; try again tomorrow"))
    return send_file(target, mimetype="application/gzip", as_attachment=True,
                     download_name=dump.FILE_NAME, conditional=True, etag=True, max_age=3600)


@blueprint.route("/api/lampangpoverty/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of our actions (kept in the repository)."""
    return Response(openapi.DOCUMENT.read_text(encoding="utf-8"),
                    mimetype="application/vnd.oai.openapi+json")


@blueprint.route("/api-guide")
def guide() -> str:
    """The API guide (Thai, or English at /en/api-guide)."""
    return tk.render("lampangpoverty/api_guide.html", extra_vars=openapi.guide_vars())
