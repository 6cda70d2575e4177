"""Who may read and request quality checks: whoever may see a record reads its quality;
anyone reads an organisation's list (the action hides private records from non-members)
and the league table; editors of a record ask for a fresh check."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

from .common import allowed_on, package_of


@tk.auth_allow_anonymous_access
def lampangpoverty_quality_show(context: Context, data_dict: DataDict) -> AuthResult:
    return allowed_on(context, "package_show", package_of(data_dict))


@tk.auth_allow_anonymous_access
def lampangpoverty_quality_organization_show(context: Context,
                                             data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("organization_show", context, {"id": data_dict.get("id")})


@tk.auth_allow_anonymous_access
def lampangpoverty_quality_league(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def lampangpoverty_quality_check(context: Context, data_dict: DataDict) -> AuthResult:
    # A record the caller may not see is refused exactly as a missing one.
    return allowed_on(context, "package_update", package_of(data_dict))
