"""Who may download a dataset's release, per its access level:

- ``public``: anyone who can see the dataset;
- ``registered``: logged-in users who accepted the dataset's terms of use;
- ``licensed``: users whose access request an admin of the owning organisation approved,
  until it expires or its download limit is reached.

Members of the owning organisation and sysadmins always may. Every download by someone
outside the organisation at the registered and licensed levels is logged."""
from __future__ import annotations

from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckan import model

from ..lib.clock import utcnow
from ..lib.permissions import is_owner_member
from ..model import AccessRequest, Download, Microdata, RequestStatus, TermsAcceptance


@dataclass
class Decision:
    allowed: bool
    reason: str = ""
    request: AccessRequest | None = None
    log: bool = False
    # Why not, for programs: not_public, login_required, terms_not_accepted,
    # request_needed, request_pending, request_refused, expired, quota_used.
    code: str = ""


def _licensed_refusal(pkg: model.Package, user: model.User) -> Decision:
    """Why a user without a usable approval may not download a licensed release."""
    latest = (model.Session.query(AccessRequest)
              .filter(AccessRequest.package_id == pkg.id, AccessRequest.user_id == user.id)
              .order_by(AccessRequest.created.desc()).first())
    if latest is None:
        return Decision(False, tk._("This release needs an approved access request"),
                        code="request_needed")
    if latest.status == RequestStatus.PENDING:
        return Decision(False, tk._("Your access request is waiting for a decision"),
                        code="request_pending")
    if latest.status == RequestStatus.REFUSED:
        return Decision(False, tk._("Your access request was refused: %s") % latest.reason,
                        code="request_refused")
    if latest.expires is not None and utcnow() >= latest.expires:
        return Decision(False, tk._("Your access has expired"), code="expired")
    return Decision(False, tk._("Your access has reached its download limit"),
                    code="quota_used")


def access_level(pkg: model.Package) -> str:
    return pkg.extras.get("access_level") or "public"


def decide(user: model.User | None, pkg: model.Package) -> Decision:
    if is_owner_member(user.name if user else None, pkg):
        return Decision(True)
    if pkg.private:
        return Decision(False, tk._("This dataset is not public"), code="not_public")
    level = access_level(pkg)
    if level == "public":
        return Decision(True)
    if user is None:
        return Decision(False, tk._("Log in to download this release"), code="login_required")
    if level == "registered":
        accepted = model.Session.get(TermsAcceptance, (pkg.id, user.id))
        if accepted is None:
            return Decision(False, tk._("Accept the terms of use first"),
                            code="terms_not_accepted")
        return Decision(True, log=True)
    requests = (model.Session.query(AccessRequest)
                .filter(AccessRequest.package_id == pkg.id, AccessRequest.user_id == user.id,
                        AccessRequest.status == RequestStatus.APPROVED)
                .order_by(AccessRequest.decided.desc()).all())
    usable = next((r for r in requests if r.usable()), None)
    if usable is None:
        return _licensed_refusal(pkg, user)
    return Decision(True, request=usable, log=True)


def record(pkg: model.Package, release: Microdata, user: model.User | None,
           decision: Decision) -> str | None:
    """Log a download and return its id; None (and nothing logged) when an approval's limit
    was reached in the meantime. The approval's row is locked while its downloads are
    counted and the new one is added, so parallel downloads cannot pass the limit together.
    A download counts from here; :func:`aborted` takes back one the client broke off."""
    if decision.request is not None:
        request = (model.Session.query(AccessRequest)
                   .filter(AccessRequest.id == decision.request.id)
                   .with_for_update().populate_existing().one())
        if not request.usable():
            model.Session.rollback()
            return None
    download = Download(package_id=pkg.id, microdata_id=release.id, completed=None,
                        user_id=user.id if user else None,
                        request_id=decision.request.id if decision.request else None,
                        access_level=access_level(pkg))
    model.Session.add(download)
    model.Session.commit()
    return download.id


def finished(download_id: str, complete: bool) -> None:
    """The transfer ended: completely, or broken off by the client (then the download stays
    in the log, marked, and does not count against the approval's limit). Runs after the
    request, on a connection of its own."""
    import sqlalchemy as sa

    engine = model.meta.engine
    assert engine is not None
    with engine.begin() as conn:
        conn.execute(sa.update(Download).where(Download.id == download_id)
                     .values(completed=complete))


def has_downloaded(user: model.User | None, release: Microdata) -> bool:
    """The user has a complete download of this release logged (a Range request then
    re-reads part of what they already have)."""
    if user is None:
        return False
    return model.Session.query(Download.id).filter(
        Download.microdata_id == release.id, Download.user_id == user.id,
        Download.completed.is_(True)).first() is not None
