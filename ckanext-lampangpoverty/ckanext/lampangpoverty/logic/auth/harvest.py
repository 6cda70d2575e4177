"""Harvesting: sources are created, changed and read only by admins of their organisation
(and sysadmins); so are their jobs, reports and harvest objects (what a source sent, private
household-level records included). ckanext-harvest lets editors change sources, everybody
list them and read any harvest object, by any lookup.

Every check resolves the objects exactly as the action will (``id`` with ``attr``,
``dataset_id``, ``source_id``) and fails closed when nothing resolves."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ...catalogue.types import HARVEST_SOURCE
from ...lib.permissions import is_org_admin
from .common import refuse


def _not_admin() -> AuthResult:
    return refuse(tk._("Only admins of the organisation may read its harvest records"))


def _source(source_id: Any) -> model.Package | None:
    pkg = model.Package.get(source_id) if isinstance(source_id, str) and source_id else None
    return pkg if pkg is not None and pkg.type == HARVEST_SOURCE else None


def _may_read_sources(context: Context, source_ids: set[Any]) -> AuthResult:
    """Admins of the organisation of every source named (at least one, each existing)."""
    sources = [_source(source_id) for source_id in source_ids]
    if not sources or any(s is None for s in sources):
        return refuse(tk._("Harvest source not found"))
    user = context.get("user")
    if all(is_org_admin(user, s.owner_org) for s in sources if s is not None):
        return {"success": True}
    return _not_admin()


def _lookup(cls: Any, data_dict: DataDict) -> list[Any] | None:
    """What ``cls.get(id, attr=attr)`` (the action's lookup) and ``cls.get(id)`` (the job
    report's) find; None when ``attr`` is not a column, so nothing is looked up by it."""
    key, attr = data_dict.get("id"), data_dict.get("attr")
    if not isinstance(key, str) or not key:
        return []
    if attr is not None and (not isinstance(attr, str) or attr not in cls.__table__.columns):
        return None
    return [obj for obj in {cls.get(key), cls.get(key, attr=attr)} if obj is not None]


def _sources_of(objects: list[Any] | None) -> set[Any]:
    return {getattr(o, "harvest_source_id", None) or getattr(o, "source_id", None)
            for o in objects or []}


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
    if data.get("type") == HARVEST_SOURCE and not is_org_admin(context.get("user"),
                                                               data.get("owner_org")):
        return refuse(tk._("Only admins of the organisation may create its harvest sources"))
    return next_auth(context, data)


@tk.chained_auth_function
def package_update(next_auth: AuthFunction, context: Context,
                   data_dict: DataDict | None) -> AuthResult:
    data = data_dict or {}
    pkg = context.get("package") or model.Package.get(data.get("id") or "")
    if pkg is not None and pkg.type == HARVEST_SOURCE and not is_org_admin(
            context.get("user"), pkg.owner_org):
        return refuse(tk._("Only admins of the organisation may change its harvest sources"))
    return next_auth(context, data)


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def harvest_source_show(next_auth: AuthFunction, context: Context,
                        data_dict: DataDict | None) -> AuthResult:
    return _may_read_sources(context, {(data_dict or {}).get("id")})


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def harvest_source_show_status(next_auth: AuthFunction, context: Context,
                               data_dict: DataDict | None) -> AuthResult:
    return _may_read_sources(context, {(data_dict or {}).get("id")})


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def harvest_source_list(next_auth: AuthFunction, context: Context,
                        data_dict: DataDict | None) -> AuthResult:
    """ckanext-harvest hands every source to anonymous callers: here sysadmins list all
    sources and an organisation's admins those of ``organization_id``."""
    user, org = context.get("user"), (data_dict or {}).get("organization_id")
    if authz.is_sysadmin(user) or (isinstance(org, str) and is_org_admin(user, org)):
        return {"success": True}
    return _not_admin()


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def harvest_job_show(next_auth: AuthFunction, context: Context,
                     data_dict: DataDict | None) -> AuthResult:
    """Also the check of ``harvest_job_report``."""
    from ckanext.harvest.model import HarvestJob

    jobs = _lookup(HarvestJob, data_dict or {})
    if not jobs:
        return refuse(tk._("Harvest job not found"))
    return _may_read_sources(context, _sources_of(jobs))


def _by_source(context: Context, data_dict: DataDict | None) -> AuthResult:
    """Lists of one source's jobs or objects; without a source, sysadmins only."""
    source_id = (data_dict or {}).get("source_id")
    if not source_id:
        return {"success": authz.is_sysadmin(context.get("user")),
                "msg": tk._("Only sysadmins may list every source's harvest records")}
    return _may_read_sources(context, {source_id})


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def harvest_job_list(next_auth: AuthFunction, context: Context,
                     data_dict: DataDict | None) -> AuthResult:
    return _by_source(context, data_dict)


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def harvest_object_list(next_auth: AuthFunction, context: Context,
                        data_dict: DataDict | None) -> AuthResult:
    return _by_source(context, data_dict)


def _harvest_objects(data_dict: DataDict) -> list[Any] | None:
    from ckanext.harvest.model import HarvestObject

    if data_dict.get("id"):
        return _lookup(HarvestObject, data_dict)
    pkg = model.Package.get(data_dict.get("dataset_id") or "")
    if pkg is None:
        return []
    return model.Session.query(HarvestObject).filter(HarvestObject.package_id == pkg.id).all()


@tk.auth_allow_anonymous_access
@tk.chained_auth_function
def harvest_object_show(next_auth: AuthFunction, context: Context,
                        data_dict: DataDict | None) -> AuthResult:
    """ckanext-harvest lets everybody read any harvest object, yet an object holds what the
    source sent, private records (household-level datasets) included. Here only those who
    may change the source (its organisation's admins, sysadmins) read them, whichever way
    the object is looked up; the public sees a record's provenance on its page."""
    objects = _harvest_objects(data_dict or {})
    if not objects:
        return refuse(tk._("Harvest object not found"))
    return _may_read_sources(context, _sources_of(objects))


@tk.auth_allow_anonymous_access
def harvest_log_list(context: Context, data_dict: DataDict | None) -> AuthResult:
    """The harvest log mixes every source's messages: sysadmins only. ckanext-harvest has
    no check for it (its plugin registered the action itself under the check's name, so
    every call recursed into a server error; see security/registry.py)."""
    return {"success": authz.is_sysadmin(context.get("user")),
            "msg": tk._("Only sysadmins may read the harvest log")}
