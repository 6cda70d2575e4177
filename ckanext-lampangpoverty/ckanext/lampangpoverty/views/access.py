"""Pages of access to releases: downloads through the access check, terms of use, access
requests and their decisions, a researcher's own requests and downloads, an organisation
admin's queue of pending requests, and the download log as CSV."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, request, send_file

import ckan.plugins.toolkit as tk
from ckan import model

from ..api import http
from ..gate import access, submission
from ..model import AccessRequest, Microdata, MicrodataStatus
from .common import context, current_user, flash_errors, refusal

blueprint = Blueprint("lampangpoverty_access", __name__)


@blueprint.route("/lampangpoverty/release/<microdata_id>/download")
def download_release(microdata_id: str) -> Any:
    """The release file, after the access check. A program (``Accept: application/json``
    or an API token) gets refusals as JSON with a ``reason`` and the action to call. Only
    a complete 200 GET counts as a download: HEAD, 304 and Range answers do not (a Range
    request on a counted release is served as a whole file unless the caller has it)."""
    release = Microdata.get(microdata_id)
    pkg = model.Package.get(release.package_id) if release else None
    if release is None or release.status != MicrodataStatus.PASSED or pkg is None:
        return refusal(404, "not_found", tk._("Release not found"))
    try:
        tk.check_access("package_show", {"user": tk.current_user.name}, {"id": pkg.id})
    except tk.NotAuthorized:
        return refusal(404, "not_found", tk._("Release not found"))
    user = current_user()
    decision = access.decide(user, pkg)
    if not decision.allowed:
        if decision.code == "login_required" and not http.wants_json():
            # a person: log in, then back to the dataset page where the download is
            return tk.redirect_to("user.login",
                                  came_from=tk.h.url_for(f"{pkg.type}.read", id=pkg.name))
        return refusal(401 if decision.code == "login_required" else 403, decision.code,
                       decision.reason, pkg)
    counted = decision.log and not access.has_downloaded(user, release)
    if counted and request.headers.get("Range"):
        request.environ.pop("HTTP_RANGE", None)  # the whole file, counted
    response = send_file(submission.release_path(release), mimetype="text/csv",
                         as_attachment=True, download_name=f"{pkg.name}-release.csv",
                         conditional=True, etag=True, max_age=0)
    if not decision.log or request.method != "GET" or response.status_code != 200:
        return response
    download_id = access.record(pkg, release, user, decision)
    if download_id is None:
        response.close()
        return refusal(403, "quota_used",
                       tk._("Your access has reached its download limit"), pkg)
    response.direct_passthrough = False
    response.response = _counted(response.response, download_id)
    return response


def _counted(body: Iterable[Any], download_id: str) -> Iterator[Any]:
    """The file's bytes; the download is marked complete after the last one went out, or
    broken off when the server stops sending (the client went away)."""
    complete = False
    try:
        yield from body
        complete = True
    finally:
        close = getattr(body, "close", None)
        if close:
            close()
        access.finished(download_id, complete)


@blueprint.route("/lampangpoverty/dataset/<id>/downloads.csv")
def download_log(id: str) -> Any:
    try:
        rows = tk.get_action("lampangpoverty_download_log_list")(
            {"user": tk.current_user.name}, {"id": id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return tk.abort(403, tk._("Not authorized to see this page"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["at", "user", "access_level", "request_id",
                                             "microdata_id", "completed"])
    writer.writeheader()
    writer.writerows(rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={id}-downloads.csv"})


@blueprint.route("/lampangpoverty/dataset/<id>/terms", methods=["POST"])
def accept_terms(id: str) -> Any:
    try:
        tk.get_action("lampangpoverty_terms_accept")(context(), {"id": id})
        tk.h.flash_success(tk._("Terms of use accepted: you can now download the release."))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to accept the terms of use"))
    return tk.redirect_to("dataset.read", id=id)


@blueprint.route("/lampangpoverty/dataset/<id>/access-request", methods=["POST"])
def request_access(id: str) -> Any:
    form = request.form
    try:
        tk.get_action("lampangpoverty_access_request_create")(
            context(), {"id": id, "purpose": form.get("purpose", ""),
                         "institution": form.get("institution", "")})
        tk.h.flash_success(tk._("Your request was sent to the data owner."))
    except tk.ValidationError as e:
        flash_errors(e)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to request access"))
    return tk.redirect_to("dataset.read", id=id)


@blueprint.route("/lampangpoverty/access-request/<request_id>/decide", methods=["POST"])
def decide_request(request_id: str) -> Any:
    form = request.form
    data = {"request_id": request_id, "decision": form.get("decision"),
            "expires": form.get("expires") or None, "reason": form.get("reason") or None,
            "max_downloads": form.get("max_downloads") or None}
    try:
        result = tk.get_action("lampangpoverty_access_request_decide")(context(), data)
        tk.h.flash_success(tk._("Decision saved."))
        return tk.redirect_to("dataset.read", id=result["package_id"])
    except tk.ValidationError as e:
        flash_errors(e)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only admins of the dataset's organisation may decide"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("No such request"))
    access_request = AccessRequest.get(request_id)
    if access_request is None:
        return tk.abort(404, tk._("No such request"))
    return tk.redirect_to("dataset.read", id=access_request.package_id)


@blueprint.route("/lampangpoverty/access/mine")
def mine() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=request.path)
    requests = tk.get_action("lampangpoverty_access_request_list")(context(), {})
    downloads = tk.get_action("lampangpoverty_user_download_list")(context(), {})
    return tk.render("lampangpoverty/access/mine.html",
                     {"requests": requests, "downloads": downloads})


@blueprint.route("/lampangpoverty/access/queue")
def queue() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=request.path)
    pending = tk.get_action("lampangpoverty_access_request_queue")(context(), {})
    return tk.render("lampangpoverty/access/queue.html", {"pending": pending})


def local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site (not ``//host``, no scheme, no backslash,
    no whitespace or control character: browsers drop tabs and newlines, so "/<tab>/host"
    would become "//host"), so a link cannot send a user elsewhere after they log in or
    register."""
    if (not target or not target.startswith("/") or target.startswith("//")
            or any(c == "\\" or c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F
                   for c in target)):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@blueprint.after_app_request
def back_after_registration(response: Response) -> Response:
    """CKAN sends a newly registered user to their empty dashboard; with ``came_from`` (the
    login page's registration link passes it on) they return to the page they came from."""
    if (request.endpoint == "user.register" and request.method == "POST"
            and response.status_code in (301, 302, 303)
            and urlsplit(response.location or "").path == tk.h.url_for("user.me")):
        target = local_path(request.args.get("came_from"))
        if target is not None:
            response.location = target
    return response
