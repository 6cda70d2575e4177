"""Pages of the disclosure gate: an editor submits a household table, then confirms its
column roles and follows the check."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, request

import ckan.plugins.toolkit as tk
from ckan import model

from ..disclosure.detect import ROLES
from ..disclosure.hierarchy import KINDS as QUASI_RECODES
from ..disclosure.numeric import METHODS as NUMERIC_RECODES
from .common import context

blueprint = Blueprint("lampangpoverty_gate", __name__)


@blueprint.route("/lampangpoverty/dataset/<id>/microdata/new", methods=["GET", "POST"])
def microdata_new(id: str) -> Any:
    """Editors submit a household table; then they confirm its column roles."""
    try:
        tk.check_access("lampangpoverty_microdata_upload", context(), {"id": id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    pkg = model.Package.get(id)
    errors = {}
    if request.method == "POST":
        try:
            result = tk.get_action("lampangpoverty_microdata_upload")(
                context(), {"id": id, "upload": request.files.get("upload")})
            return tk.redirect_to("lampangpoverty_gate.microdata_read",
                                  microdata_id=result["id"])
        except tk.ValidationError as e:
            errors = e.error_dict
    return tk.render("lampangpoverty/microdata_new.html", {"pkg": pkg, "errors": errors})


def _roles_form(form: Any) -> dict[str, Any]:
    roles = {c[len("role:"):]: v for c, v in form.items() if c.startswith("role:")}
    recodes = {c[len("recode:"):]: {"method": v} for c, v in form.items()
               if c.startswith("recode:") and v}
    return {"roles": roles, "recodes": recodes,
            "household_column": form.get("household_column") or None}


@blueprint.route("/lampangpoverty/microdata/<microdata_id>", methods=["GET", "POST"])
def microdata_read(microdata_id: str) -> Any:
    """Status and progress of a submission; while it needs roles, the form to confirm them."""
    try:
        record = tk.get_action("lampangpoverty_microdata_show")(
            context(), {"microdata_id": microdata_id})
        tk.check_access("lampangpoverty_microdata_roles_update", context(),
                        {"microdata_id": microdata_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("No such submission"))
    errors = {}
    if request.method == "POST":
        try:
            tk.get_action("lampangpoverty_microdata_roles_update")(
                context(), {"microdata_id": microdata_id, **_roles_form(request.form)})
            return tk.redirect_to("lampangpoverty_gate.microdata_read",
                                  microdata_id=microdata_id)
        except tk.ValidationError as e:
            errors = e.error_dict
    pkg = model.Package.get(record["package_id"])
    return tk.render("lampangpoverty/microdata_read.html",
                     {"record": record, "pkg": pkg, "errors": errors, "role_names": ROLES,
                      "recode_names": ("", *QUASI_RECODES, *NUMERIC_RECODES, "keep")})
