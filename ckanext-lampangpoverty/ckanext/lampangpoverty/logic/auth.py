"""Auth functions: they share their action's name and delegate to CKAN's own permissions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthResult, Context, DataDict

__all__ = [
    "lampangpoverty_microdata_upload",
    "lampangpoverty_microdata_roles_update",
    "lampangpoverty_microdata_show",
    "lampangpoverty_disclosure_summary",
    "lampangpoverty_terms_accept",
    "lampangpoverty_access_request_create",
    "lampangpoverty_access_request_decide",
    "lampangpoverty_access_request_list",
    "lampangpoverty_download_log_list",
    "lampangpoverty_harvest_job_summary",
    "package_create",
    "package_update",
    "harvest_object_show",
]


def _package_id(data_dict: DataDict) -> str | None:
    from ..model import Microdata

    if data_dict.get("microdata_id"):
        record = Microdata.get(data_dict["microdata_id"])
        return record.package_id if record else None
    return data_dict.get("id") or data_dict.get("package_id")


def lampangpoverty_microdata_upload(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors of the dataset may submit a household table."""
    return authz.is_authorized("package_update", context, {"id": _package_id(data_dict)})


def lampangpoverty_microdata_roles_update(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_update", context, {"id": _package_id(data_dict)})


@tk.auth_allow_anonymous_access
def lampangpoverty_microdata_show(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, {"id": _package_id(data_dict)})


@tk.auth_allow_anonymous_access
def lampangpoverty_disclosure_summary(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, {"id": _package_id(data_dict)})


def _logged_in_and_can_see(context: Context, data_dict: DataDict) -> AuthResult:
    if not context.get("user"):
        return {"success": False, "msg": tk._("You must be logged in")}
    return authz.is_authorized("package_show", context, {"id": _package_id(data_dict)})


def lampangpoverty_terms_accept(context: Context, data_dict: DataDict) -> AuthResult:
    return _logged_in_and_can_see(context, data_dict)


def lampangpoverty_access_request_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _logged_in_and_can_see(context, data_dict)


def lampangpoverty_access_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone logged in lists their own requests; the action narrows it to what they may see."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("You must be logged in")}
    return {"success": True}


def _owner_admin(context: Context, package_id: str | None) -> AuthResult:
    if package_id and is_owner_admin(context, package_id):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only admins of the dataset's organisation may do this")}


def lampangpoverty_access_request_decide(context: Context, data_dict: DataDict) -> AuthResult:
    from ..model import AccessRequest

    request = AccessRequest.get(data_dict.get("request_id")) if data_dict.get("request_id") else None
    return _owner_admin(context, request.package_id if request else None)


def lampangpoverty_download_log_list(context: Context, data_dict: DataDict) -> AuthResult:
    pkg = model.Package.get(data_dict.get("id") or "")
    return _owner_admin(context, pkg.id if pkg else None)


def is_owner_admin(context: Context, package_id: str) -> bool:
    """Sysadmins and admins of the dataset's organisation: the only ones who see raw-derived
    details (column roles, the internal report)."""
    user = context.get("user")
    if authz.is_sysadmin(user):
        return True
    pkg = model.Package.get(package_id)
    if not pkg or not pkg.owner_org or not user:
        return False
    return authz.users_role_for_group_or_org(pkg.owner_org, user) == "admin"


@tk.auth_allow_anonymous_access
def lampangpoverty_harvest_job_summary(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("harvest_job_show", context, data_dict)


def _source_org_admin(context: Context, org: str | None) -> bool:
    user = context.get("user")
    if authz.is_sysadmin(user):
        return True
    return bool(org and user and authz.users_role_for_group_or_org(org, user) == "admin")


@tk.chained_auth_function
def package_create(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    """Harvest sources (datasets of type ``harvest``; ckanext-harvest's own actions and forms
    check ``package_create``) are created only by admins of their organisation and by
    sysadmins: a source writes records in the organisation's name, unattended, for years."""
    data_dict = data_dict or {}
    if data_dict.get("type") == "harvest" and not _source_org_admin(
            context, data_dict.get("owner_org")):
        return {"success": False,
                "msg": tk._("Only admins of the organisation may create its harvest sources")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_update(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    data_dict = data_dict or {}
    pkg = context.get("package") or model.Package.get(data_dict.get("id") or "")
    if pkg is not None and pkg.type == "harvest" and not _source_org_admin(
            context, pkg.owner_org):
        return {"success": False,
                "msg": tk._("Only admins of the organisation may change its harvest sources")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_object_show(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    """ckanext-harvest lets everybody read any harvest object, yet an object holds what the
    source sent, private records (household-level datasets) included. Here only those who
    may change the source (its organisation's admins, sysadmins) read them; the public sees
    a record's provenance on its page."""
    from ckanext.harvest.model import HarvestObject

    data_dict = data_dict or {}
    obj = HarvestObject.get(data_dict["id"]) if data_dict.get("id") else None
    if obj is None and data_dict.get("dataset_id"):
        pkg = model.Package.get(data_dict["dataset_id"])
        obj = (model.Session.query(HarvestObject)
               .filter(HarvestObject.package_id == pkg.id).first()) if pkg else None
    if obj is not None and not authz.is_authorized(
            "harvest_source_update", context, {"id": obj.harvest_source_id})["success"]:
        return {"success": False,
                "msg": tk._("Only admins of the organisation may read its harvest records")}
    return next_auth(context, data_dict)
