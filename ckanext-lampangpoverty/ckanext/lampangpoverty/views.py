"""Blueprint: release downloads through the access check, and the download log as CSV."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk
from ckan import model

from . import access, microdata
from .model import Microdata

__all__ = ["blueprint"]

blueprint = Blueprint("lampangpoverty", __name__)


def _current_user() -> model.User | None:
    user = tk.current_user
    return model.User.get(user.name) if user and user.is_authenticated else None


@blueprint.route("/lampangpoverty/release/<microdata_id>/download")
def download_release(microdata_id: str):
    release = Microdata.get(microdata_id)
    if release is None or release.status != "passed":
        return tk.abort(404, tk._("Release not found"))
    pkg = model.Package.get(release.package_id)
    try:
        tk.check_access("package_show", {"user": tk.current_user.name}, {"id": pkg.id})
    except tk.NotAuthorized:
        return tk.abort(404, tk._("Release not found"))
    user = _current_user()
    decision = access.decide(user, pkg)
    if not decision.allowed:
        return tk.abort(403, decision.reason)
    if decision.log:
        access.record(pkg, release, user, decision)
    return send_file(microdata.release_path(release), mimetype="text/csv",
                     as_attachment=True, download_name=f"{pkg.name}-release.csv")


@blueprint.route("/lampangpoverty/dataset/<id>/downloads.csv")
def download_log(id: str):
    try:
        rows = tk.get_action("lampangpoverty_download_log_list")(
            {"user": tk.current_user.name}, {"id": id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.abort(403, tk._("Not authorized to see this page"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["at", "user", "access_level", "request_id",
                                             "microdata_id"])
    writer.writeheader()
    writer.writerows(rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={id}-downloads.csv"})


def _context() -> dict:
    return {"user": tk.current_user.name}


def _flash_errors(e: tk.ValidationError) -> None:
    for field, messages in (e.error_dict or {}).items():
        tk.h.flash_error(f"{field}: {'; '.join(map(str, messages))}")


@blueprint.route("/lampangpoverty/dataset/<id>/terms", methods=["POST"])
def accept_terms(id: str):
    try:
        tk.get_action("lampangpoverty_terms_accept")(_context(), {"id": id})
        tk.h.flash_success(tk._("Terms of use accepted: you can now download the release."))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to accept the terms of use"))
    return tk.redirect_to("dataset.read", id=id)


@blueprint.route("/lampangpoverty/dataset/<id>/access-request", methods=["POST"])
def request_access(id: str):
    form = tk.request.form
    try:
        tk.get_action("lampangpoverty_access_request_create")(
            _context(), {"id": id, "purpose": form.get("purpose", ""),
                         "institution": form.get("institution", "")})
        tk.h.flash_success(tk._("Your request was sent to the data owner."))
    except tk.ValidationError as e:
        _flash_errors(e)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to request access"))
    return tk.redirect_to("dataset.read", id=id)


@blueprint.route("/lampangpoverty/access-request/<request_id>/decide", methods=["POST"])
def decide_request(request_id: str):
    form = tk.request.form
    data = {"request_id": request_id, "decision": form.get("decision"),
            "expires": form.get("expires") or None, "reason": form.get("reason") or None,
            "max_downloads": form.get("max_downloads") or None}
    try:
        result = tk.get_action("lampangpoverty_access_request_decide")(_context(), data)
        tk.h.flash_success(tk._("Decision saved."))
        return tk.redirect_to("dataset.read", id=result["package_id"])
    except tk.ValidationError as e:
        _flash_errors(e)
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.abort(403, tk._("Only admins of the dataset's organisation may decide"))
    from .model import AccessRequest

    request = AccessRequest.get(request_id)
    return tk.redirect_to("dataset.read", id=request.package_id)


@blueprint.route("/lampangpoverty/dataset/<id>/microdata/new", methods=["GET", "POST"])
def microdata_new(id: str):
    """Editors submit a household table; then they confirm its column roles."""
    try:
        tk.check_access("lampangpoverty_microdata_upload", _context(), {"id": id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    pkg = model.Package.get(id)
    errors = {}
    if tk.request.method == "POST":
        try:
            result = tk.get_action("lampangpoverty_microdata_upload")(
                _context(), {"id": id, "upload": tk.request.files.get("upload")})
            return tk.redirect_to("lampangpoverty.microdata_read", microdata_id=result["id"])
        except tk.ValidationError as e:
            errors = e.error_dict
    return tk.render("lampangpoverty/microdata_new.html", {"pkg": pkg, "errors": errors})


@blueprint.route("/lampangpoverty/microdata/<microdata_id>", methods=["GET", "POST"])
def microdata_read(microdata_id: str):
    """Status and progress of a submission; while it needs roles, the form to confirm them."""
    context = _context()
    try:
        record = tk.get_action("lampangpoverty_microdata_show")(context,
                                                                {"microdata_id": microdata_id})
        tk.check_access("lampangpoverty_microdata_roles_update", context,
                        {"microdata_id": microdata_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("No such submission"))
    errors = {}
    if tk.request.method == "POST":
        form = tk.request.form
        roles = {c[len("role:"):]: v for c, v in form.items() if c.startswith("role:")}
        recodes = {c[len("recode:"):]: {"method": v} for c, v in form.items()
                   if c.startswith("recode:") and v}
        try:
            tk.get_action("lampangpoverty_microdata_roles_update")(context, {
                "microdata_id": microdata_id, "roles": roles, "recodes": recodes,
                "household_column": form.get("household_column") or None})
            return tk.redirect_to("lampangpoverty.microdata_read", microdata_id=microdata_id)
        except tk.ValidationError as e:
            errors = e.error_dict
    pkg = model.Package.get(record["package_id"])
    return tk.render("lampangpoverty/microdata_read.html",
                     {"record": record, "pkg": pkg, "errors": errors,
                      "role_names": ("direct_identifier", "quasi_identifier", "sensitive", "other"),
                      "recode_names": ("", "age_band", "tambon_to_amphoe", "income_band", "cap")})
