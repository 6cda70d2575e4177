"""Actions of the disclosure gate: submit a household table, confirm its column roles,
follow its check, read the public summary of a dataset's release."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.logic import validate
from ckan.types import Context, DataDict

from ...catalogue.types import POVERTY_DATASET
from ...disclosure import roles as role_rules
from ...disclosure import table
from ...gate import proposal, submission
from ...model import Microdata, MicrodataStatus
from .. import schema
from ..dictization import localised, microdata_dictize
from .common import package_or_404


def _check_settings(roles: Any, recodes: Any, household: Any = None,
                    columns: list[str] | None = None) -> None:
    """Known roles, methods that fit each column's role, levels of its hierarchy and (when
    the table has been read) columns it has; refused naming the field and the column."""
    errors: dict[str, Any] = {}
    for error in role_rules.check(roles, recodes, columns, household):
        errors.setdefault(error.field, []).append(error.text())
    if errors:
        raise tk.ValidationError(errors)


def _submission_or_404(microdata_id: str) -> Microdata:
    record = Microdata.get(microdata_id)
    if record is None:
        raise tk.ObjectNotFound(tk._("No such submission"))
    return record


@validate(schema.microdata_upload)
def lampangpoverty_microdata_upload(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a household or person table of a poverty dataset to the disclosure gate.

    The raw file is stored privately and never published. With ``roles`` the check starts
    at once as a background job; without, the response proposes roles for the editor to
    confirm with :py:func:`lampangpoverty_microdata_roles_update`.

    :param id: the poverty dataset
    :param upload: the file (CSV or TSV in UTF-8, UTF-8 with BOM, TIS-620/cp874 or UTF-16;
        XLSX, XLS or ODS; optionally gzip-compressed)
    :param roles: JSON object, column -> direct_identifier | household_key |
        quasi_identifier | sensitive | other (see :py:func:`lampangpoverty_microdata_roles_update`)
    :param recodes: JSON object, column -> recode (as for roles_update)
    :param household_column: the column that groups persons into households (measured,
        never published unless its role is household_key)
    :returns: the submission, status ``proposing``: a background job reads the table and
        fills in the proposed roles (status ``needs_roles``), or with roles given starts the
        check (``queued``); a table it cannot read ends in ``error`` with the file, row and
        column named, and nothing of it kept
    """
    tk.check_access("lampangpoverty_microdata_upload", context, data_dict)
    pkg = package_or_404(data_dict["id"])
    if pkg.type != POVERTY_DATASET:
        raise tk.ValidationError({"id": [tk._("Not a poverty dataset")]})
    upload = data_dict.get("upload")
    if upload is None or not getattr(upload, "filename", None):
        raise tk.ValidationError({"upload": [tk._("Missing value")]})
    roles = data_dict.get("roles") or None
    if roles:
        _check_settings(roles, data_dict.get("recodes") or {})
    filename = Path(upload.filename).name
    try:
        path, size = submission.store(upload.stream if hasattr(upload, "stream") else upload,
                                      filename)
    except table.TableError as e:
        raise tk.ValidationError({"upload": [str(e)]}) from e
    try:
        submission.refuse_non_table(path, filename)
    except table.TableError as e:
        path.unlink(missing_ok=True)
        raise tk.ValidationError({"upload": [str(e)]}) from e
    record = submission.submit_upload(
        pkg.id, path, filename, size, roles,
        {"recodes": data_dict.get("recodes") or {},
         "household_column": data_dict.get("household_column")},
        context.get("user") or "")
    return microdata_dictize(record, internal=True)


@validate(schema.microdata_roles_update)
def lampangpoverty_microdata_roles_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Confirm the column roles, recodes and levels of a submission and start its check (or,
    with ``preview``, work out the alternatives and costs for them first).

    :param microdata_id: the submission
    :param roles: JSON object, column -> direct_identifier | household_key (kept only as
        random household pseudonyms) | quasi_identifier | sensitive | other
    :param recodes: JSON object (optional), column -> for a quasi-identifier
        ``{"method": age | area | household_size | date | numeric | categorical, "level"?,
        "min_level"?, "max_level"?}`` (a level is a level name of that hierarchy, such as
        "10-year bands" or "amphoe", or its index); for a sensitive column ``{"method": bands
        | round | topcode | keep, "bottom"?, "top"? (percentiles), "bands"?}``
    :param household_column: the column that groups persons into households (optional)
    :param alternative: (optional) index of one of the proposed alternative releases
        (``settings.plan.alternatives``, 0 the best): its levels are set for every
        quasi-identifier
    :param preview: (optional) store the choice and work out its alternatives and costs
        (status proposing, then needs_roles) instead of starting the check
    :returns: the submission
    """
    tk.check_access("lampangpoverty_microdata_roles_update", context, data_dict)
    record = _submission_or_404(data_dict["microdata_id"])
    if record.status in (MicrodataStatus.PROPOSING, MicrodataStatus.QUEUED,
                         MicrodataStatus.RUNNING):
        raise tk.ValidationError({"microdata_id": [tk._(
            "The table is still being read or checked; try again when it has finished")]})
    if not Path(record.stored_path).exists():
        raise tk.ValidationError({"microdata_id": [tk._(
            "The table of this submission is no longer kept; submit it again")]})
    settings = record.settings or {}
    roles, recodes = data_dict["roles"], data_dict.get("recodes") or {}
    household = data_dict.get("household_column") or None
    _check_settings(roles, recodes, household, settings.get("columns"))
    if "alternative" in data_dict:
        recodes = {**recodes, **_alternative(settings, data_dict["alternative"], roles)}
    record.roles = roles
    record.settings = {**settings, "error": None, "recodes": recodes,
                       "household_column": household}
    if data_dict.get("preview"):
        submission.repropose(record)
    else:
        submission.enqueue(record)
    return microdata_dictize(record, internal=True)


def _alternative(settings: dict[str, Any], index: int, roles: dict[str, str]) -> dict:
    chosen = ((settings.get("plan") or {}).get("alternatives") or [])
    if not 0 <= index < len(chosen):
        raise tk.ValidationError({"alternative": [tk._(
            "No such alternative: %(index)s (%(count)s were proposed)")
            % {"index": index, "count": len(chosen)}]})
    return proposal.alternative_recodes(chosen[index], roles)


@tk.side_effect_free
@validate(schema.microdata_show)
def lampangpoverty_microdata_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Status and progress of a submission; roles and the internal report only for the
    owning organisation's editors and admins, and sysadmins.

    :param microdata_id: the submission
    """
    tk.check_access("lampangpoverty_microdata_show", context, data_dict)
    record = _submission_or_404(data_dict["microdata_id"])
    internal = authz.is_authorized_boolean("package_update", context.copy(),
                                           {"id": record.package_id})
    return microdata_dictize(record, internal=internal)


@tk.side_effect_free
@validate(schema.by_id)
def lampangpoverty_disclosure_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The public, non-disclosive summary of a dataset's published release.

    :param id: the poverty dataset
    """
    tk.check_access("lampangpoverty_disclosure_summary", context, data_dict)
    pkg = package_or_404(data_dict["id"])
    record = Microdata.latest(pkg.id, status=MicrodataStatus.PASSED)
    if record is None:
        raise tk.ObjectNotFound(tk._("This dataset has no published release"))
    return {"package_id": pkg.id, "release_resource_id": record.release_resource_id,
            "released": record.modified.isoformat(), **(localised(record.summary) or {})}
