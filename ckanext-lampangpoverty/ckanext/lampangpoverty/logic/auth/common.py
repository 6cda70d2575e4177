"""What our auth functions share: the dataset an action acts on, resolved from the object it
changes, and refusals that fail closed."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

from ...model import Microdata


def refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def package_of_submission(data_dict: DataDict) -> model.Package | None:
    """The dataset of the submission ``microdata_id``; None when there is no such
    submission, or when an ``id`` given beside it names another dataset."""
    record = Microdata.get(data_dict.get("microdata_id"))
    pkg = model.Package.get(record.package_id) if record else None
    other = data_dict.get("id") or data_dict.get("package_id")
    if pkg is not None and other and other not in (pkg.id, pkg.name):
        return None
    return pkg


def package_of(data_dict: DataDict) -> model.Package | None:
    """The dataset ``id``; None when it does not exist, or when a ``microdata_id`` given
    beside it belongs to another dataset."""
    pkg = model.Package.get(data_dict.get("id") or "")
    if pkg is not None and data_dict.get("microdata_id"):
        record = Microdata.get(data_dict["microdata_id"])
        if record is None or record.package_id != pkg.id:
            return None
    return pkg


def not_found() -> AuthResult:
    return refuse(tk._("Dataset not found"))


def _fresh(context: Context) -> Context:
    """The caller alone: a ``package`` another check left in the context must not stand in
    for the dataset asked about."""
    user = context.get("user") or ""
    return {"user": user, "auth_user_obj": model.User.get(user) if user else None}


def may_see(context: Context, pkg: model.Package | None) -> bool:
    return pkg is not None and pkg.state != "deleted" and authz.is_authorized_boolean(
        "package_show", _fresh(context), {"id": pkg.id})


def allowed_on(context: Context, action: str, pkg: model.Package | None) -> AuthResult:
    """``action`` (a core check such as package_update) on ``pkg``; a dataset the caller may
    not see is refused exactly as a missing one, so no answer tells that it exists."""
    if not may_see(context, pkg):
        return not_found()
    assert pkg is not None
    return authz.is_authorized(action, _fresh(context), {"id": pkg.id})
