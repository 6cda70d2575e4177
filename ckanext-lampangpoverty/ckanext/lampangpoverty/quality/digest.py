"""The weekly e-mail: each organisation's editors and admins get the list of its records that
are due, overdue or long overdue for an update, in Thai and in English. The scheduler writes
the messages (it has the web application, hence both languages) and background jobs send
them; an organisation opts out with its ``quality_digest`` field. Without a mail server a
message is logged as not sent and nothing else fails."""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from ..model import Freshness, PackageQuality
from . import jobs, labels

log = logging.getLogger(__name__)

OPT_OUT = "no"
LANGUAGES = ("th", "en")
MAX_LINES = 100


def send(name: str, address: str, subject: str, body: str) -> None:
    """Background job: one message to one person."""
    try:
        mailer.mail_recipient(name, address, subject, body)
    except mailer.MailerException as e:
        log.warning("quality e-mail to user %s not sent: %s", name, e)


def late_records(org_id: str) -> list[tuple[model.Package, PackageQuality]]:
    rows = (model.Session.query(model.Package, PackageQuality)
            .join(PackageQuality, PackageQuality.package_id == model.Package.id)
            .filter(model.Package.owner_org == org_id, model.Package.state == "active")
            .filter(PackageQuality.freshness.in_(Freshness.LATE))
            .order_by(PackageQuality.due, model.Package.title))
    return [(pkg, quality) for pkg, quality in rows]


def recipients(org_id: str) -> list[model.User]:
    """Active editors and admins of the organisation who have an e-mail address."""
    users = (model.Session.query(model.User)
             .join(model.Member, model.Member.table_id == model.User.id)
             .filter(model.Member.group_id == org_id, model.Member.table_name == "user",
                     model.Member.state == "active",
                     model.Member.capacity.in_(("editor", "admin")))
             .filter(model.User.state == "active"))
    return [u for u in users if u.email]


def _record_url(pkg: model.Package) -> str:
    return f"{tk.config['ckan.site_url'].rstrip('/')}/{pkg.type}/{pkg.name}"


def _body(org: model.Group, rows: list[tuple[model.Package, PackageQuality]]) -> str:
    """The message in the language of the current request context."""
    statuses = labels.freshness()
    lines = [tk._("These records of %(org)s are due or overdue for an update:") % {
        "org": org.display_name}, ""]
    for pkg, quality in rows[:MAX_LINES]:
        due = quality.due.date().isoformat() if quality.due else "-"
        lines.append(tk._("- %(title)s: %(status)s (due %(due)s) %(url)s") % {
            "title": pkg.title or pkg.name, "status": statuses[quality.freshness],
            "due": due, "url": _record_url(pkg)})
    if len(rows) > MAX_LINES:
        lines.append(tk._("... and %(n)s more.") % {"n": len(rows) - MAX_LINES})
    overdue_page = tk.url_for("lampangpoverty_quality.organization", id=org.name,
                              _external=True)
    lines += ["", tk._("All of them, with broken links and data errors: %(url)s") % {
        "url": overdue_page},
              tk._("Update a record's files, or its 'Data last updated' date, to make it "
                   "fresh again. To stop these e-mails, an admin of the organisation sets "
                   "'Weekly e-mail of due and overdue records' to 'Do not send'.")]
    return "\n".join(lines)


def compose(app: Any, org: model.Group,
            rows: list[tuple[model.Package, PackageQuality]]) -> tuple[str, str]:
    """Subject and body, Thai first then English."""
    subjects, bodies = [], []
    for lang in LANGUAGES:
        with app.test_request_context(environ_overrides={"CKAN_LANG": lang}):
            subjects.append(tk._("%(count)s records due or overdue: %(org)s") % {
                "count": len(rows), "org": org.display_name})
            bodies.append(_body(org, rows))
    return " / ".join(subjects), ("\n\n" + "-" * 40 + "\n\n").join(bodies)


def queue_all(app: Any | None = None) -> int:
    """Queue this week's e-mails; returns the organisations written to."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    count = 0
    orgs = model.Session.query(model.Group).filter(model.Group.is_organization.is_(True),
                                                   model.Group.state == "active")
    for org in orgs:
        if (org.extras or {}).get("quality_digest") == OPT_OUT:  # type: ignore[attr-defined]
            continue
        rows = late_records(org.id)
        people = recipients(org.id) if rows else []
        if not people:
            continue
        subject, body = compose(app, org, rows)
        for user in people:
            jobs.enqueue(send, [user.name, user.email, subject, body],
                         f"quality e-mail to {user.name}", 120)
        count += 1
    return count
