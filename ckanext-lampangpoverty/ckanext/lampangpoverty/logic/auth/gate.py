"""Who may use the disclosure gate: the dataset's editors submit and confirm roles; whoever
may see the dataset follows a submission and reads the public summary."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from .common import allowed_on, package_of, package_of_submission


def lampangpoverty_microdata_upload(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors of the dataset ``id`` may submit a household table to it."""
    return allowed_on(context, "package_update", package_of(data_dict))


def lampangpoverty_microdata_roles_update(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors of the submission's own dataset."""
    return allowed_on(context, "package_update", package_of_submission(data_dict))


@tk.auth_allow_anonymous_access
def lampangpoverty_microdata_show(context: Context, data_dict: DataDict) -> AuthResult:
    return allowed_on(context, "package_show", package_of_submission(data_dict))


@tk.auth_allow_anonymous_access
def lampangpoverty_disclosure_summary(context: Context, data_dict: DataDict) -> AuthResult:
    return allowed_on(context, "package_show", package_of(data_dict))
