"""Who may read the API's own lists: everybody (each answer holds only what the caller may
see: the changes feed filters by the caller's permission labels)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


@tk.auth_allow_anonymous_access
def lampangpoverty_changes(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def lampangpoverty_area_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
