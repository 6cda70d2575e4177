"""Actions of access to releases: terms of use, access requests and their decisions, the
download log."""
from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context, DataDict

from ...gate import notify
from ...gate.access import access_level
from ...lib.clock import utcnow
from ...lib.permissions import is_owner_admin
from ...model import AccessRequest, Download, RequestStatus, TermsAcceptance
from .. import schema
from ..auth.common import may_see
from ..dictization import access_request_list_dictize, access_request_show
from .common import commit, package_or_404, user_or_refuse


@validate(schema.by_id)
def lampangpoverty_terms_accept(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Accept a dataset's terms of use (needed to download a ``registered`` release).

    :param id: the dataset
    """
    tk.check_access("lampangpoverty_terms_accept", context, data_dict)
    user, pkg = user_or_refuse(context), package_or_404(data_dict["id"])
    accepted = model.Session.get(TermsAcceptance, (pkg.id, user.id))
    if accepted is None:
        accepted = TermsAcceptance(package_id=pkg.id, user_id=user.id, accepted=utcnow())
        model.Session.add(accepted)
        commit(context)
    return {"package_id": pkg.id, "user": user.name, "accepted": accepted.accepted.isoformat()}


@validate(schema.access_request_create)
def lampangpoverty_access_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask for access to a ``licensed`` release (one open request per user and dataset).

    :param id: the dataset
    :param purpose: what the data will be used for
    :param institution: the requester's institution
    """
    tk.check_access("lampangpoverty_access_request_create", context, data_dict)
    user, pkg = user_or_refuse(context), package_or_404(data_dict["id"])
    # The requester's row is locked until the commit, so two requests sent at once by the
    # same user are checked one after the other: at most one stays open per dataset.
    model.Session.query(model.User).filter(model.User.id == user.id).with_for_update().one()
    _check_requestable(pkg, user)
    request = AccessRequest(package_id=pkg.id, user_id=user.id, purpose=data_dict["purpose"],
                            institution=data_dict["institution"])
    model.Session.add(request)
    try:
        model.Session.flush()  # the database keeps one pending request per user and dataset
    except IntegrityError:
        model.Session.rollback()
        raise tk.ValidationError({"id": [tk._(
            "You already have an open request for this dataset")]}) from None
    commit(context)
    notify.request_created(request, pkg)
    return access_request_show(request)


def _check_requestable(pkg: model.Package, user: model.User) -> None:
    """Requests are for licensed releases, one open (pending, or approved and usable) per
    user and dataset."""
    level = access_level(pkg)
    if level != "licensed":
        raise tk.ValidationError({"id": [
            tk._("This dataset's release is %(level)s: %(how)s")
            % {"level": level,
               "how": tk._("accept its terms of use instead (lampangpoverty_terms_accept)")
               if level == "registered" else tk._("anyone may download it")}]})
    mine = model.Session.query(AccessRequest).filter(AccessRequest.package_id == pkg.id,
                                                     AccessRequest.user_id == user.id)
    if any(r.open() for r in mine):
        raise tk.ValidationError({"id": [tk._(
            "You already have an open request for this dataset")]})


def _decide(request: AccessRequest, data: DataDict) -> None:
    if request.status != RequestStatus.PENDING:
        raise tk.ValidationError({"request_id": [
            tk._("This request was decided already (%s)") % request.status]})
    if data["decision"] == "approve":
        errors: dict[str, Any] = {f: [tk._("Missing value")] for f in ("expires", "max_downloads")
                                  if data.get(f) in (None, "")}
        if errors:
            raise tk.ValidationError(errors)
        request.status, request.expires = RequestStatus.APPROVED, data["expires"]
        request.max_downloads = data["max_downloads"]
    else:
        if not data.get("reason"):
            raise tk.ValidationError({"reason": [tk._("Give the requester a reason")]})
        request.status = RequestStatus.REFUSED
    request.reason = data.get("reason") or ""


@validate(schema.access_request_decide)
def lampangpoverty_access_request_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve (with an expiry date and a download limit) or refuse (with a reason) a request.
    Only admins of the dataset's organisation and sysadmins decide.

    :param request_id: the request
    :param decision: ``approve`` or ``refuse``
    :param expires: the day an approval ends, an ISO date of the Common Era after today
        (approve; a Buddhist Era year such as 2570 is refused)
    :param max_downloads: how many downloads the approval allows (approve)
    :param reason: why (required to refuse)
    """
    tk.check_access("lampangpoverty_access_request_decide", context, data_dict)
    request = AccessRequest.get(data_dict["request_id"])
    if request is None:
        raise tk.ObjectNotFound(tk._("No such request"))
    _decide(request, data_dict)
    request.decided_by = context.get("user")
    request.decided = utcnow()
    commit(context)
    notify.request_decided(request, package_or_404(request.package_id))
    return access_request_show(request)


@tk.side_effect_free
@validate(schema.optional_id)
def lampangpoverty_access_request_list(context: Context,
                                       data_dict: DataDict) -> list[dict[str, Any]]:
    """Access requests: a user sees their own; admins of a dataset's organisation (and
    sysadmins) see every request for it.

    :param id: the dataset (optional; without it, the caller's own requests)
    """
    tk.check_access("lampangpoverty_access_request_list", context, data_dict)
    user = user_or_refuse(context)
    query = model.Session.query(AccessRequest)
    if data_dict.get("id"):
        pkg = package_or_404(data_dict["id"])
        if not may_see(context, pkg):  # answer as for a missing dataset: no oracle
            raise tk.ObjectNotFound(tk._("Dataset not found"))
        query = query.filter(AccessRequest.package_id == pkg.id)
        if not is_owner_admin(user.name, pkg):
            query = query.filter(AccessRequest.user_id == user.id)
    else:
        query = query.filter(AccessRequest.user_id == user.id)
    return access_request_list_dictize(query.order_by(AccessRequest.created.desc()))


@tk.side_effect_free
@validate(schema.by_id)
def lampangpoverty_download_log_list(context: Context,
                                     data_dict: DataDict) -> list[dict[str, Any]]:
    """The append-only download log of a dataset's releases (organisation admins, sysadmins).

    :param id: the dataset
    """
    tk.check_access("lampangpoverty_download_log_list", context, data_dict)
    pkg = package_or_404(data_dict["id"])
    rows = (model.Session.query(Download, model.User.name)
            .outerjoin(model.User, model.User.id == Download.user_id)
            .filter(Download.package_id == pkg.id).order_by(Download.at))
    return [{"at": d.at.isoformat(), "user": name, "access_level": d.access_level,
             "request_id": d.request_id, "microdata_id": d.microdata_id,
             "completed": d.completed} for d, name in rows]



@tk.side_effect_free
@validate(schema.no_params)
def lampangpoverty_access_request_queue(context: Context,
                                        data_dict: DataDict) -> list[dict[str, Any]]:
    """The pending access requests the caller may decide: for datasets of the organisations
    they are an admin of (every dataset for sysadmins), oldest first. Empty for others."""
    tk.check_access("lampangpoverty_access_request_queue", context, data_dict)
    user = user_or_refuse(context)
    packages = model.Session.query(model.Package.id).filter(model.Package.state == "active")
    if not user.sysadmin:
        orgs = (model.Session.query(model.Member.group_id)
                .join(model.Group, model.Group.id == model.Member.group_id)
                .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                        model.Member.state == "active", model.Member.capacity == "admin",
                        model.Group.is_organization.is_(True), model.Group.state == "active"))
        packages = packages.filter(model.Package.owner_org.in_(orgs.scalar_subquery()))
    query = (model.Session.query(AccessRequest)
             .filter(AccessRequest.status == RequestStatus.PENDING,
                     AccessRequest.package_id.in_(packages.scalar_subquery())))
    rows = access_request_list_dictize(query.order_by(AccessRequest.created))
    # the query above already narrowed it; this is the one primitive, checked once more
    return [r for r in rows if is_owner_admin(user.name, model.Package.get(r["package_id"]))]


@tk.side_effect_free
@validate(schema.no_params)
def lampangpoverty_user_download_list(context: Context,
                                      data_dict: DataDict) -> list[dict[str, Any]]:
    """The caller's own release downloads, newest first (dataset, time, access level)."""
    tk.check_access("lampangpoverty_user_download_list", context, data_dict)
    user = user_or_refuse(context)
    rows = (model.Session.query(Download, model.Package.name, model.Package.title)
            .outerjoin(model.Package, model.Package.id == Download.package_id)
            .filter(Download.user_id == user.id).order_by(Download.at.desc()).limit(500))
    return [{"at": d.at.isoformat(), "package_id": d.package_id, "package_name": name,
             "package_title": title or name, "access_level": d.access_level,
             "request_id": d.request_id, "completed": d.completed}
            for d, name, title in rows]
