"""Actions of precise targeting: an area's profile, programmes matched to an area's needs,
the province's widest gaps, and the check of an area indicator table."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context, DataDict

from ...targeting import check, datastore, loading, profile
from ...targeting.messages import describe
from .. import schema


@tk.side_effect_free
@validate(schema.area_profile)
def lampangpoverty_area_profile(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An area's profile: headline figures, the five TPMAP dimensions and the target groups
    (need by year, and need against the supply of open programmes in the latest year), the
    sub-areas with their figures and the programmes serving the area (open ones first).

    :param id: the area's DOPA code: ``52`` (the province), ``52xx`` (an amphoe) or
        ``52xxxx`` (a tambon); an old code is read as its current one
    :returns: the profile; ``year`` is the latest year (B.E.) with figures, ``sources``
        the datasets the figures come from
    """
    tk.check_access("lampangpoverty_area_profile", context, data_dict)
    return profile.profile(data_dict["id"])


@tk.side_effect_free
@validate(schema.programme_match)
def lampangpoverty_programme_match(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Programmes serving an area that meet every criterion given (any of its values), ranked
    (open first, then closest to the area and the criteria), each with the reasons it matched;
    with the area's need, the supply of open programmes and the coverage for each dimension
    and target group asked about.

    :param area_code: DOPA code of the area (default ``52``, the whole province)
    :param dimensions: TPMAP dimensions (list or comma-separated), e.g. ``["health"]``
    :param target_groups: target groups, e.g. ``["elderly"]``
    :param capitals: livelihood capitals, e.g. ``["financial"]``
    :param open_only: only programmes open now (default true)
    :param limit: how many programmes to return (default 20); ``count`` gives them all
    """
    tk.check_access("lampangpoverty_programme_match", context, data_dict)
    return profile.match(data_dict["area_code"], dimensions=data_dict.get("dimensions") or [],
                         groups=data_dict.get("target_groups") or [],
                         capitals=data_dict.get("capitals") or [],
                         open_only=data_dict["open_only"], limit=data_dict["limit"])


@tk.side_effect_free
@validate(schema.area_gaps)
def lampangpoverty_area_gaps(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The areas of the province with the widest gaps between need and the supply of open
    programmes, widest first.

    :param level: ``tambon`` (default) or ``amphoe``
    :param dimension: one TPMAP dimension (default: the five added up)
    :param limit: how many areas (default 20)
    """
    tk.check_access("lampangpoverty_area_gaps", context, data_dict)
    return profile.gaps(data_dict["level"], data_dict.get("dimension"), data_dict["limit"])


def _resource_or_404(resource_id: str) -> model.Resource:
    res = model.Resource.get(resource_id)
    if res is None or res.state != "active":
        raise tk.ObjectNotFound(tk._("Resource not found"))
    return res


@validate(schema.indicators_resource)
def lampangpoverty_area_indicators_load(context: Context,
                                        data_dict: DataDict) -> dict[str, Any]:
    """Check a resource's area indicator table (as loaded in the DataStore) and, when every
    row passes, replace its figures in the area profiles. A table with any error replaces
    nothing; the errors name their row (the header is row 1) and column.

    :param resource_id: a resource of a poverty dataset, loaded in the DataStore
    :returns: the load status (``status`` ``loaded``, ``rows``)
    """
    tk.check_access("lampangpoverty_area_indicators_load", context, data_dict)
    res = _resource_or_404(data_dict["resource_id"])
    if not datastore.in_datastore(res.id):
        raise tk.ValidationError({"resource_id": [tk._(
            "This resource's table is not in the DataStore yet")]})
    header, rows = loading.datastore_rows(res.id)
    status = loading.load(res.id, header, rows)
    if status.errors:
        errors: dict[str, Any] = {}
        for raw in status.errors:
            error = check.RowError.from_dict(raw)
            errors.setdefault(error.column or "table", []).append(describe(error))
        if status.error_count > len(status.errors):
            errors.setdefault("table", []).append(
                tk._("%(count)s problems in all; the first %(shown)s are listed") % {
                    "count": status.error_count, "shown": len(status.errors)})
        raise tk.ValidationError(errors)
    return loading.status_dict(status)


@tk.side_effect_free
@validate(schema.indicators_resource)
def lampangpoverty_area_indicators_show(context: Context,
                                        data_dict: DataDict) -> dict[str, Any]:
    """The last check of a resource's area indicator table: loaded (how many rows), or its
    errors with row, column and message. For the dataset's editors.

    :param resource_id: the resource
    """
    tk.check_access("lampangpoverty_area_indicators_show", context, data_dict)
    res = _resource_or_404(data_dict["resource_id"])
    status = loading.IndicatorLoad.get(res.id)
    if status is None:
        raise tk.ObjectNotFound(tk._("This resource has not been checked as an indicator table"))
    return loading.status_dict(status)
