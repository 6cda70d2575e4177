"""Quality pages: an organisation's records due or overdue, broken links and failing files;
the league table of organisations."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from .common import context

blueprint = Blueprint("lampangpoverty_quality", __name__)


@blueprint.route("/organization/<id>/quality")
def organization(id: str) -> Any:
    try:
        found = tk.get_action("lampangpoverty_quality_organization_show")(context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Organization not found"))
    return tk.render("lampangpoverty/quality/organization.html", {"found": found})


@blueprint.route("/quality")
def league() -> Any:
    rows = tk.get_action("lampangpoverty_quality_league")(context(), {})
    return tk.render("lampangpoverty/quality/league.html", {"rows": rows})
