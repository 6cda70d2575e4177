"""Who may use precise targeting: profiles, matches and gaps are public figures (from public
datasets and programmes only); an indicator table is checked and its errors read by the
dataset's editors. The DataStore's own auth functions are chained so that a table of a
dataset whose access level is not public is read only by its organisation's members, and
written only while its dataset may be in the DataStore."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ...targeting import datastore
from .common import refuse


@tk.auth_allow_anonymous_access
def lampangpoverty_area_profile(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def lampangpoverty_programme_match(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def lampangpoverty_area_gaps(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def _resource_editors(context: Context, data_dict: DataDict) -> AuthResult:
    res = model.Resource.get(data_dict.get("resource_id") or "")
    if res is None:
        return refuse(tk._("Resource not found"))
    return authz.is_authorized("package_update", context, {"id": res.package_id})


def lampangpoverty_area_indicators_load(context: Context, data_dict: DataDict) -> AuthResult:
    return _resource_editors(context, data_dict)


def lampangpoverty_area_indicators_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _resource_editors(context, data_dict)


def _read(next_auth: AuthFunction, context: Context, data_dict: DataDict | None,
          resource_ids: list[str]) -> AuthResult:
    for resource_id in resource_ids:
        why = datastore.read_refusal(context.get("user"), resource_id)
        if why:
            return refuse(why)
    return next_auth(context, data_dict or {})


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth: AuthFunction, context: Context,
                     data_dict: DataDict | None) -> AuthResult:
    data = data_dict or {}
    return _read(next_auth, context, data, [data.get("resource_id") or data.get("id") or ""])


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_info(next_auth: AuthFunction, context: Context,
                   data_dict: DataDict | None) -> AuthResult:
    data = data_dict or {}
    return _read(next_auth, context, data, [data.get("resource_id") or data.get("id") or ""])


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth: AuthFunction, context: Context,
                         data_dict: DataDict | None) -> AuthResult:
    return _read(next_auth, context, data_dict, list(context.get("table_names") or []))


def _write(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    res = model.Resource.get(data_dict.get("resource_id") or "")
    new = data_dict.get("resource")
    pkg = res.package if res is not None else (
        model.Package.get(new.get("package_id") or "") if isinstance(new, dict) else None)
    if res is not None or isinstance(new, dict):
        why = datastore.dataset_refusal(pkg)
        if why:
            return refuse(tk._("Only tables of public datasets go into the DataStore: %s") % why)
    return next_auth(context, data_dict)


@tk.chained_auth_function
def datastore_create(next_auth: AuthFunction, context: Context,
                     data_dict: DataDict | None) -> AuthResult:
    return _write(next_auth, context, data_dict or {})


@tk.chained_auth_function
def datastore_upsert(next_auth: AuthFunction, context: Context,
                     data_dict: DataDict | None) -> AuthResult:
    return _write(next_auth, context, data_dict or {})
