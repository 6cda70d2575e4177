"""Who may use the disclosure gate: the dataset's editors submit and confirm roles; whoever
may see the dataset follows a submission and reads the public summary."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

from .common import not_found, package_of, package_of_submission


def lampangpoverty_microdata_upload(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors of the dataset ``id`` may submit a household table to it."""
    pkg = package_of(data_dict)
    if pkg is None:
        return not_found()
    return authz.is_authorized("package_update", context, {"id": pkg.id})


def lampangpoverty_microdata_roles_update(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors of the submission's own dataset."""
    pkg = package_of_submission(data_dict)
    if pkg is None:
        return not_found()
    return authz.is_authorized("package_update", context, {"id": pkg.id})


@tk.auth_allow_anonymous_access
def lampangpoverty_microdata_show(context: Context, data_dict: DataDict) -> AuthResult:
    pkg = package_of_submission(data_dict)
    if pkg is None:
        return not_found()
    return authz.is_authorized("package_show", context, {"id": pkg.id})


@tk.auth_allow_anonymous_access
def lampangpoverty_disclosure_summary(context: Context, data_dict: DataDict) -> AuthResult:
    pkg = package_of(data_dict)
    if pkg is None:
        return not_found()
    return authz.is_authorized("package_show", context, {"id": pkg.id})
