"""Actions of the quality checks: a record's freshness, score, validation reports and link
checks; an organisation's late records, broken links and failing files; the league table of
organisations; and a fresh check of a record on request."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.logic import validate
from ckan.types import Context, DataDict

from ...model import Link, ResourceQuality
from ...quality import links, report, state, validation
from .. import schema
from .common import commit, package_or_404


def _organization_or_404(id_or_name: str) -> model.Group:
    org = model.Group.get(id_or_name)
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(tk._("Organization not found"))
    return org


@tk.side_effect_free
@validate(schema.by_id)
def lampangpoverty_quality_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A record's quality: its score and the parts it is made of (metadata completeness,
    freshness, link health, validation), its freshness (status, last change and where it was
    seen, due date), and each resource's last validation (report with the first errors by
    row and column) and last link check (status, last checked, last good).

    :param id: the dataset (id or name)
    """
    tk.check_access("lampangpoverty_quality_show", context, data_dict)
    return report.record(package_or_404(data_dict["id"]))


@tk.side_effect_free
@validate(schema.by_id)
def lampangpoverty_quality_organization_show(context: Context,
                                             data_dict: DataDict) -> dict[str, Any]:
    """An organisation's records due, overdue or long overdue for an update, its broken
    links and its files that fail validation. Private records are listed only to the
    organisation's members (and sysadmins).

    :param id: the organisation (id or name)
    """
    tk.check_access("lampangpoverty_quality_organization_show", context, data_dict)
    org = _organization_or_404(data_dict["id"])
    user = context.get("user")
    member = authz.is_sysadmin(user) or bool(
        user and authz.has_user_permission_for_group_or_org(org.id, user, "read"))
    return report.organization(org, include_private=member)


@tk.side_effect_free
@validate(schema.no_params)
def lampangpoverty_quality_league(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The league table: every organisation with public records, best mean quality score
    first, with its fresh and late records, metadata completeness, broken links and files
    failing validation.
    """
    tk.check_access("lampangpoverty_quality_league", context, data_dict)
    return report.league()


@validate(schema.by_id)
def lampangpoverty_quality_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Validate a record's tabular resources and check its links again now (in the
    background); editors of the record only.

    :param id: the dataset (id or name)
    :returns: how many validations and link checks were queued
    """
    tk.check_access("lampangpoverty_quality_check", context, data_dict)
    pkg = package_or_404(data_dict["id"])
    rows = {r.resource_id: r for r in model.Session.query(ResourceQuality)
            .filter(ResourceQuality.package_id == pkg.id)}
    validations, checks = [], []
    for res in pkg.resources:
        row = rows.get(res.id)
        if row is None:
            continue
        if state.is_tabular(res):
            validations.append(res.id)
            validation.queue(res.id)
        if row.link != Link.UPLOAD and res.url:
            checks.append(res.id)
    if checks:
        links.queue_resources(checks)
    commit(context)
    return {"validations": len(validations), "link_checks": len(checks)}
