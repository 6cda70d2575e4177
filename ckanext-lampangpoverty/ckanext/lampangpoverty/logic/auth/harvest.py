"""Harvesting: sources are created and changed only by admins of their organisation, and
harvest objects (what a source sent, private household-level records included) are read
only by them; ckanext-harvest lets editors and everybody respectively."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ...lib.permissions import is_org_admin
from .common import refuse


@tk.auth_allow_anonymous_access
def lampangpoverty_harvest_job_summary(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("harvest_job_show", context, data_dict)


@tk.chained_auth_function
def package_create(next_auth: AuthFunction, context: Context,
                   data_dict: DataDict | None) -> AuthResult:
    """Harvest sources (datasets of type ``harvest``; ckanext-harvest's own actions and forms
    check ``package_create``) are created only by admins of their organisation and by
    sysadmins: a source writes records in the organisation's name, unattended, for years."""
    data = data_dict or {}
    if data.get("type") == "harvest" and not is_org_admin(context.get("user"),
                                                          data.get("owner_org")):
        return refuse(tk._("Only admins of the organisation may create its harvest sources"))
    return next_auth(context, data)


@tk.chained_auth_function
def package_update(next_auth: AuthFunction, context: Context,
                   data_dict: DataDict | None) -> AuthResult:
    data = data_dict or {}
    pkg = context.get("package") or model.Package.get(data.get("id") or "")
    if pkg is not None and pkg.type == "harvest" and not is_org_admin(context.get("user"),
                                                                      pkg.owner_org):
        return refuse(tk._("Only admins of the organisation may change its harvest sources"))
    return next_auth(context, data)


def _harvest_object(data_dict: DataDict) -> Any:
    from ckanext.harvest.model import HarvestObject

    if data_dict.get("id"):
        return HarvestObject.get(data_dict["id"])
    pkg = model.Package.get(data_dict.get("dataset_id") or "")
    if pkg is None:
        return None
    return model.Session.query(HarvestObject).filter(HarvestObject.package_id == pkg.id).first()


@tk.chained_auth_function
def harvest_object_show(next_auth: AuthFunction, context: Context,
                        data_dict: DataDict | None) -> AuthResult:
    """ckanext-harvest lets everybody read any harvest object, yet an object holds what the
    source sent, private records (household-level datasets) included. Here only those who
    may change the source (its organisation's admins, sysadmins) read them; the public sees
    a record's provenance on its page."""
    data = data_dict or {}
    obj = _harvest_object(data)
    if obj is not None and not authz.is_authorized(
            "harvest_source_update", context, {"id": obj.harvest_source_id})["success"]:
        return refuse(tk._("Only admins of the organisation may read its harvest records"))
    return next_auth(context, data)
