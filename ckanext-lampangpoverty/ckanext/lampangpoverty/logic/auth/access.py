"""Who may act on access to a release: logged-in users who can see the dataset accept terms
and ask for access; admins of the owning organisation decide and read the download log."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ...lib.permissions import is_owner_admin
from ...model import AccessRequest
from .common import allowed_on, package_of, refuse


def _logged_in_and_can_see(context: Context, data_dict: DataDict) -> AuthResult:
    if not context.get("user"):
        return refuse(tk._("You must be logged in"))
    return allowed_on(context, "package_show", package_of(data_dict))


def lampangpoverty_terms_accept(context: Context, data_dict: DataDict) -> AuthResult:
    return _logged_in_and_can_see(context, data_dict)


def lampangpoverty_access_request_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _logged_in_and_can_see(context, data_dict)


def lampangpoverty_access_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone logged in lists their own requests; the action narrows it to what they may see."""
    if not context.get("user"):
        return refuse(tk._("You must be logged in"))
    return {"success": True}


def lampangpoverty_access_request_queue(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone logged in; the action returns only requests they may decide."""
    return lampangpoverty_access_request_list(context, data_dict)


def lampangpoverty_user_download_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone logged in, for their own downloads."""
    return lampangpoverty_access_request_list(context, data_dict)


def _owner_admin(context: Context, pkg) -> AuthResult:
    if pkg is not None and is_owner_admin(context.get("user"), pkg):
        return {"success": True}
    return refuse(tk._("Only admins of the dataset's organisation may do this"))


def lampangpoverty_access_request_decide(context: Context, data_dict: DataDict) -> AuthResult:
    from ckan import model

    request = AccessRequest.get(data_dict.get("request_id"))
    return _owner_admin(context, model.Package.get(request.package_id) if request else None)


def lampangpoverty_download_log_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _owner_admin(context, package_of(data_dict))
