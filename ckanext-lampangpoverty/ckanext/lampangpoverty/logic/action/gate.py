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
from ...disclosure import detect, table
from ...gate import submission
from ...model import Microdata, MicrodataStatus
from .. import schema
from ..dictization import microdata_dictize
from .common import package_or_404


def _check_role_names(roles: dict[str, str]) -> None:
    bad = sorted({r for r in roles.values() if r not in detect.ROLES})
    if bad:
        raise tk.ValidationError({"roles": [tk._("Unknown role: %s") % ", ".join(bad)]})


def _check_roles(record: Microdata, roles: dict[str, str]) -> None:
    """Roles name known roles and columns of the table (its columns were recorded when the
    background job read it; no file is read in the request)."""
    _check_role_names(roles)
    columns = (record.settings or {}).get("columns")
    for column in roles:
        if columns is not None and column not in columns:
            error = table.TableError(record.filename, table._(
                "a role is given for a column the table does not have"), column=column)
            raise tk.ValidationError({"roles": [str(error)]})


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
    :param roles: JSON object, column -> direct_identifier | quasi_identifier | sensitive | other
    :param recodes: JSON object, column -> {"method": age_band | tambon_to_amphoe |
        income_band | cap, ...}
    :param household_column: the column that groups persons into households
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
        _check_role_names(roles)
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
    """Confirm the column roles (and recodes) of a submission and start its check.

    :param microdata_id: the submission
    :param roles: JSON object, column -> role
    :param recodes: JSON object (optional)
    :param household_column: (optional)
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
    _check_roles(record, data_dict["roles"])
    record.roles = data_dict["roles"]
    record.settings = {**(record.settings or {}), "error": None,
                       "recodes": data_dict.get("recodes") or {},
                       "household_column": data_dict.get("household_column")}
    submission.enqueue(record)
    return microdata_dictize(record, internal=True)


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
            "released": record.modified.isoformat(), **(record.summary or {})}
