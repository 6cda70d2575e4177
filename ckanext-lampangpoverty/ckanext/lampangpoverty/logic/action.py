"""Actions of the disclosure gate (``lampangpoverty_microdata_*``,
``lampangpoverty_disclosure_summary``)."""
from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import Context, DataDict

from .. import microdata, notify
from ..disclosure import detect, table
from ..harvesters import schedule
from ..model import AccessRequest, Download, Microdata, TermsAcceptance
from . import schema
from .auth import is_owner_admin


def _user(context: Context) -> model.User:
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("You must be logged in"))
    return user


def _package(data_dict: DataDict) -> model.Package:
    pkg = model.Package.get(tk.get_or_bust(data_dict, "id"))
    if pkg is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return pkg

__all__ = [
    "lampangpoverty_microdata_upload",
    "lampangpoverty_microdata_roles_update",
    "lampangpoverty_microdata_show",
    "lampangpoverty_disclosure_summary",
    "lampangpoverty_terms_accept",
    "lampangpoverty_access_request_create",
    "lampangpoverty_access_request_decide",
    "lampangpoverty_access_request_list",
    "lampangpoverty_download_log_list",
    "lampangpoverty_harvest_job_summary",
]


def _validate(data_dict: DataDict, schema_fn, context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(data_dict, schema_fn(), context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _check_roles(df, roles: dict[str, str], filename: str) -> None:
    try:
        table.check_roles(df, roles, filename)
    except table.TableError as e:
        raise tk.ValidationError({"roles": [str(e)]})
    bad = sorted({r for r in roles.values() if r not in detect.ROLES})
    if bad:
        raise tk.ValidationError({"roles": [tk._("Unknown role: %s") % ", ".join(bad)]})


def lampangpoverty_microdata_upload(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a household or person table of a poverty dataset to the disclosure gate.

    The raw file is stored privately and never published. With ``roles`` the check starts
    at once as a background job; without, the response proposes roles for the editor to
    confirm with :py:func:`lampangpoverty_microdata_roles_update`.

    :param id: the poverty dataset
    :param upload: the file (CSV in UTF-8, UTF-8 with BOM or TIS-620/cp874; XLSX)
    :param roles: JSON object, column -> direct_identifier | quasi_identifier | sensitive | other
    :param recodes: JSON object, column -> {"method": age_band|tambon_to_amphoe|income_band|cap, ...}
    :param household_column: the column that groups persons into households
    :returns: the submission (status, progress, proposed roles when none were given)
    """
    tk.check_access("lampangpoverty_microdata_upload", context, data_dict)
    data = _validate(data_dict, schema.microdata_upload, context)
    pkg = model.Package.get(data["id"])
    if pkg is None or pkg.type != "poverty-dataset":
        raise tk.ValidationError({"id": [tk._("Not a poverty dataset")]})
    upload = data_dict.get("upload")
    if upload is None or not getattr(upload, "filename", None):
        raise tk.ValidationError({"upload": [tk._("Missing value")]})
    filename = Path(upload.filename).name
    try:
        path, size = microdata.store(upload.stream if hasattr(upload, "stream") else upload,
                                     filename)
    except table.TableError as e:
        raise tk.ValidationError({"upload": [str(e)]})
    try:
        df = table.read_table(path, filename)
        if data.get("roles"):
            _check_roles(df, data["roles"], filename)
    except (table.TableError, tk.ValidationError) as e:
        path.unlink(missing_ok=True)
        if isinstance(e, tk.ValidationError):
            raise
        raise tk.ValidationError({"upload": [str(e)]})

    # Without roles, the proposed ones are stored until the editor confirms them.
    record, proposed = microdata.submit(
        pkg.id, path, filename, size, data.get("roles"),
        {"recodes": data.get("recodes") or {}, "household_column": data.get("household_column")},
        context.get("user") or "", df=df)
    result = record.dictize(internal=True)
    if proposed:
        result["proposed"] = proposed
    return result


def lampangpoverty_microdata_roles_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Confirm the column roles (and recodes) of a submission and start its check.

    :param microdata_id: the submission
    :param roles: JSON object, column -> role
    :param recodes: JSON object (optional)
    :param household_column: (optional)
    """
    tk.check_access("lampangpoverty_microdata_roles_update", context, data_dict)
    data = _validate(data_dict, schema.microdata_roles_update, context)
    record = Microdata.get(data["microdata_id"])
    if record is None:
        raise tk.ObjectNotFound(tk._("No such submission"))
    try:
        df = table.read_table(record.stored_path, record.filename)
    except (table.TableError, FileNotFoundError) as e:
        raise tk.ValidationError({"microdata_id": [str(e)]})
    _check_roles(df, data["roles"], record.filename)
    record.roles = json.dumps(data["roles"])
    record.settings = json.dumps({"recodes": data.get("recodes") or {},
                                  "household_column": data.get("household_column")})
    microdata.enqueue(record)
    return record.dictize(internal=True)


@tk.side_effect_free
def lampangpoverty_microdata_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Status and progress of a submission; roles and the internal report only for the
    owning organisation's editors and admins, and sysadmins.

    :param microdata_id: the submission
    """
    tk.check_access("lampangpoverty_microdata_show", context, data_dict)
    record = Microdata.get(tk.get_or_bust(data_dict, "microdata_id"))
    if record is None:
        raise tk.ObjectNotFound(tk._("No such submission"))
    internal = authz.is_authorized_boolean("package_update", dict(context),
                                           {"id": record.package_id})
    return record.dictize(internal=internal)


@tk.side_effect_free
def lampangpoverty_disclosure_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The public, non-disclosive summary of a dataset's published release.

    :param id: the poverty dataset
    """
    tk.check_access("lampangpoverty_disclosure_summary", context, data_dict)
    pkg = model.Package.get(tk.get_or_bust(data_dict, "id"))
    record = Microdata.latest(pkg.id, status="passed") if pkg else None
    if record is None:
        raise tk.ObjectNotFound(tk._("This dataset has no published release"))
    return {"package_id": pkg.id, "release_resource_id": record.release_resource_id,
            "released": record.modified.isoformat(), **(record.json("summary") or {})}


def lampangpoverty_terms_accept(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Accept a dataset's terms of use (needed to download a ``registered`` release).

    :param id: the dataset
    """
    tk.check_access("lampangpoverty_terms_accept", context, data_dict)
    user, pkg = _user(context), _package(data_dict)
    if model.Session.get(TermsAcceptance, (pkg.id, user.id)) is None:
        model.Session.add(TermsAcceptance(package_id=pkg.id, user_id=user.id))
        model.Session.commit()
    accepted = model.Session.get(TermsAcceptance, (pkg.id, user.id))
    return {"package_id": pkg.id, "user": user.name, "accepted": accepted.accepted.isoformat()}


def lampangpoverty_access_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask for access to a ``licensed`` release.

    :param id: the dataset
    :param purpose: what the data will be used for
    :param institution: the requester's institution
    """
    tk.check_access("lampangpoverty_access_request_create", context, data_dict)
    data = _validate(data_dict, schema.access_request_create, context)
    user, pkg = _user(context), _package(data_dict)
    request = AccessRequest(package_id=pkg.id, user_id=user.id, purpose=data["purpose"],
                            institution=data["institution"])
    model.Session.add(request)
    model.Session.commit()
    notify.request_created(request, pkg)
    return request.dictize()


def lampangpoverty_access_request_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve (with an expiry date and a download limit) or refuse (with a reason) a request.
    Only admins of the dataset's organisation and sysadmins decide.

    :param request_id: the request
    :param decision: ``approve`` or ``refuse``
    :param expires: ISO date after which an approval ends (approve)
    :param max_downloads: how many downloads the approval allows (approve)
    :param reason: why (required to refuse)
    """
    tk.check_access("lampangpoverty_access_request_decide", context, data_dict)
    data = _validate(data_dict, schema.access_request_decide, context)
    request = AccessRequest.get(data["request_id"])
    if request is None:
        raise tk.ObjectNotFound(tk._("No such request"))
    if data["decision"] == "approve":
        errors = {f: [tk._("Missing value")] for f in ("expires", "max_downloads")
                  if data.get(f) in (None, "")}
        if errors:
            raise tk.ValidationError(errors)
        request.status, request.expires = "approved", data["expires"]
        request.max_downloads = data["max_downloads"]
    else:
        if not data.get("reason"):
            raise tk.ValidationError({"reason": [tk._("Give the requester a reason")]})
        request.status = "refused"
    request.reason = data.get("reason") or ""
    request.decided_by = context.get("user")
    request.decided = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    model.Session.commit()
    notify.request_decided(request, model.Package.get(request.package_id))
    return request.dictize()


@tk.side_effect_free
def lampangpoverty_access_request_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Access requests: a user sees their own; admins of a dataset's organisation (and
    sysadmins) see every request for it.

    :param id: the dataset (optional; without it, the caller's own requests)
    """
    tk.check_access("lampangpoverty_access_request_list", context, data_dict)
    user = _user(context)
    q = model.Session.query(AccessRequest)
    if data_dict.get("id"):
        pkg = _package(data_dict)
        q = q.filter(AccessRequest.package_id == pkg.id)
        if not is_owner_admin(context, pkg.id):
            q = q.filter(AccessRequest.user_id == user.id)
    else:
        q = q.filter(AccessRequest.user_id == user.id)
    return [r.dictize() for r in q.order_by(AccessRequest.created.desc())]


@tk.side_effect_free
def lampangpoverty_download_log_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The append-only download log of a dataset's releases (organisation admins, sysadmins).

    :param id: the dataset
    """
    tk.check_access("lampangpoverty_download_log_list", context, data_dict)
    pkg = _package(data_dict)
    rows = (model.Session.query(Download, model.User.name)
            .outerjoin(model.User, model.User.id == Download.user_id)
            .filter(Download.package_id == pkg.id).order_by(Download.at))
    return [{"at": d.at.isoformat(), "user": name, "access_level": d.access_level,
             "request_id": d.request_id, "microdata_id": d.microdata_id} for d, name in rows]


@tk.side_effect_free
def lampangpoverty_harvest_job_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What a harvest job did: counts of added, updated, unchanged, withdrawn and errored
    records, each error with its record and reason, and whether the job failed.

    :param id: the harvest job
    """
    from ckanext.harvest.model import HarvestJob

    tk.check_access("lampangpoverty_harvest_job_summary", context, data_dict)
    job = HarvestJob.get(tk.get_or_bust(data_dict, "id"))
    if job is None:
        raise tk.ObjectNotFound(tk._("Harvest job not found"))
    return schedule.job_summary(job)
