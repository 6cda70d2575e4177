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
