"""E-mail about access requests: the organisation's admins hear of a new request, the
requester of the decision. Messages are written in the language of the request that caused
them and sent by the background worker, so a slow or absent mail server never holds up the
web request; a failure to send is logged (both parties still see the status on the dataset
page and through the API)."""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from ..model import AccessRequest, RequestStatus

log = logging.getLogger(__name__)


def send(name: str, address: str, subject: str, body: str) -> None:
    """Background job: one message to one person."""
    try:
        mailer.mail_recipient(name, address, subject, body)
    except mailer.MailerException as e:
        log.warning("access-request mail to user %s not sent: %s", name, e)


def _enqueue(user: model.User, subject: str, body: str) -> None:
    if user.email:
        tk.enqueue_job(send, [user.name, user.email, subject, body],
                       title=f"access-request mail to {user.name}")


def _dataset_url(pkg: model.Package) -> str:
    return f"{tk.config['ckan.site_url'].rstrip('/')}/{pkg.type}/{pkg.name}"


def request_created(request: AccessRequest, pkg: model.Package) -> None:
    requester = model.User.get(request.user_id)
    if requester is None:
        return
    members = tk.get_action("member_list")({"ignore_auth": True}, {
        "id": pkg.owner_org, "object_type": "user", "capacity": "admin"})
    admins = [user for user in (model.User.get(user_id) for user_id, _type, _role in members)
              if user is not None and user.state == "active"]
    subject = tk._("Access request for %(title)s") % {"title": pkg.title}
    body = tk._("%(user)s (%(institution)s) asks for access to the release of "
                "%(title)s.\n\nPurpose: %(purpose)s\n\nApprove or refuse it on the dataset "
                "page: %(url)s") % {
        "user": requester.display_name, "institution": request.institution,
        "title": pkg.title, "purpose": request.purpose, "url": _dataset_url(pkg)}
    for admin in admins:
        _enqueue(admin, subject, body)


def request_decided(request: AccessRequest, pkg: model.Package) -> None:
    requester = model.User.get(request.user_id)
    if requester is None:
        return
    if request.status == RequestStatus.APPROVED:
        subject = tk._("Access approved: %(title)s") % {"title": pkg.title}
        body = tk._("Your request for %(title)s was approved until %(expires)s for at most "
                    "%(downloads)s downloads. Download it from %(url)s") % {
            "title": pkg.title, "expires": request.expires, "downloads": request.max_downloads,
            "url": _dataset_url(pkg)}
    else:
        subject = tk._("Access refused: %(title)s") % {"title": pkg.title}
        body = tk._("Your request for %(title)s was refused. Reason: %(reason)s") % {
            "title": pkg.title, "reason": request.reason}
    _enqueue(requester, subject, body)
