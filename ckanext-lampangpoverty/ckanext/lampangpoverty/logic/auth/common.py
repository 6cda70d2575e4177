"""What our auth functions share: the dataset an action acts on, resolved from the object it
changes, and refusals that fail closed."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, DataDict

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
