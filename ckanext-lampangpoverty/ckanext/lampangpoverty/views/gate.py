"""Pages of the disclosure gate: an editor submits a household table, then confirms (or
changes) the proposed roles, recodes and levels, or picks one of the proposed releases, and
follows the check."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, request

import ckan.plugins.toolkit as tk
from ckan import model

from ..disclosure import roles as role_rules
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


def _recode(column: str, role: str, form: Any, record: dict[str, Any]) -> dict | None:
    """A column's recode from the form. A changed role starts from its defaults (the
    method and level fields showed the old role's choices); otherwise the stored recode
    (with settings the form does not show, such as percentiles) gets the form's method and
    level."""
    if role not in ("quasi_identifier", "sensitive"):
        return None
    if record["roles"].get(column) != role:
        return {"method": role_rules.SENSITIVE_METHODS[0]} if role == "sensitive" else None
    stored = ((record.get("settings") or {}).get("recodes") or {}).get(column) or {}
    method = form.get(f"method:{column}") or stored.get("method")
    spec = dict(stored) if stored.get("method") == method else {}
    if method:
        spec["method"] = method
    if role == "quasi_identifier":
        spec.pop("level", None)
        if form.get(f"level:{column}"):
            spec["level"] = form[f"level:{column}"]
    return spec or None


def _roles_form(form: Any, record: dict[str, Any]) -> dict[str, Any]:
    roles = {c[len("role:"):]: v for c, v in form.items() if c.startswith("role:")}
    recodes = {}
    for column, role in roles.items():
        spec = _recode(column, role, form, record)
        if spec:
            recodes[column] = spec
    data: dict[str, Any] = {"roles": roles, "recodes": recodes,
                            "household_column": form.get("household_column") or None}
    if form.get("alternative", "") != "":
        data["alternative"] = form["alternative"]
    if form.get("preview"):
        data["preview"] = True
    return data


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
                context(), {"microdata_id": microdata_id, **_roles_form(request.form, record)})
            return tk.redirect_to("lampangpoverty_gate.microdata_read",
                                  microdata_id=microdata_id)
        except tk.ValidationError as e:
            errors = e.error_dict
    pkg = model.Package.get(record["package_id"])
    return tk.render("lampangpoverty/microdata_read.html", {
        "record": record, "pkg": pkg, "errors": errors, "roles": role_rules.ROLES,
        "role_labels": role_rules.LABELS, "role_help": role_rules.HELP,
        "methods": role_rules.METHODS, "method_labels": role_rules.METHOD_LABELS,
        "method_help": role_rules.METHOD_HELP,
        "levels": {kind: role_rules.level_names(kind) for kind in role_rules.KINDS}})
