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

from ..lib.permissions import is_owner_member
from ..model import AccessRequest, Download, Microdata, RequestStatus, TermsAcceptance


@dataclass
class Decision:
    allowed: bool
    reason: str = ""
    request: AccessRequest | None = None
    log: bool = False


def access_level(pkg: model.Package) -> str:
    return pkg.extras.get("access_level") or "public"


def decide(user: model.User | None, pkg: model.Package) -> Decision:
    if is_owner_member(user.name if user else None, pkg):
        return Decision(True)
    if pkg.private:
        return Decision(False, tk._("This dataset is not public"))
    level = access_level(pkg)
    if level == "public":
        return Decision(True)
    if user is None:
        return Decision(False, tk._("Log in to download this release"))
    if level == "registered":
        accepted = model.Session.get(TermsAcceptance, (pkg.id, user.id))
        if accepted is None:
            return Decision(False, tk._("Accept the terms of use first"))
        return Decision(True, log=True)
    requests = (model.Session.query(AccessRequest)
                .filter(AccessRequest.package_id == pkg.id, AccessRequest.user_id == user.id,
                        AccessRequest.status == RequestStatus.APPROVED)
                .order_by(AccessRequest.decided.desc()).all())
    usable = next((r for r in requests if r.usable()), None)
    if usable is None:
        if requests:
            return Decision(False, tk._("Your access has expired or reached its download limit"))
        return Decision(False, tk._("This release needs an approved access request"))
    return Decision(True, request=usable, log=True)


def record(pkg: model.Package, release: Microdata, user: model.User | None,
           decision: Decision) -> bool:
    """Log a download; False (and nothing logged) when an approval's limit was reached in
    the meantime. The approval's row is locked while its downloads are counted and the new
    one is added, so parallel downloads cannot pass the limit together."""
    if decision.request is not None:
        request = (model.Session.query(AccessRequest)
                   .filter(AccessRequest.id == decision.request.id)
                   .with_for_update().populate_existing().one())
        if not request.usable():
            model.Session.rollback()
            return False
    model.Session.add(Download(package_id=pkg.id, microdata_id=release.id,
                               user_id=user.id if user else None,
                               request_id=decision.request.id if decision.request else None,
                               access_level=access_level(pkg)))
    model.Session.commit()
    return True
