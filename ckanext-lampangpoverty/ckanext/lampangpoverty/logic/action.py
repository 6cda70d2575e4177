"""Actions of the disclosure gate (``lampangpoverty_microdata_*``,
``lampangpoverty_disclosure_summary``)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from .. import microdata
from ..disclosure import detect, table
from ..model import Microdata
from . import schema
from .auth import is_owner_admin

__all__ = [
    "lampangpoverty_microdata_upload",
    "lampangpoverty_microdata_roles_update",
    "lampangpoverty_microdata_show",
    "lampangpoverty_disclosure_summary",
]


def _validate(data_dict: DataDict, schema_fn, context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(data_dict, schema_fn(), context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _enqueue(record: Microdata) -> None:
    record.status, record.progress, record.message = "queued", 0, ""
    model.Session.commit()
    tk.enqueue_job(microdata.run_gate, [record.id],
                   title=f"disclosure check {record.id}",
                   rq_kwargs={"timeout": tk.config["ckan.jobs.timeout"]})


def _check_roles(df, roles: dict[str, str], filename: str) -> None:
    try:
        table.check_roles(df, roles, filename)
    except table.TableError as e:
        raise tk.ValidationError({"roles": [str(e)]})
    bad = sorted({r for r in roles.values() if r not in detect.ROLES})
    if bad:
        raise tk.ValidationError({"roles": [tk._("Unknown role: %s") % ", ".join(bad)]})


def lampangpoverty_microdata_upload(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a household or person table of a poverty dataset to the disclosure gate.

    The raw file is stored privately and never published. With ``roles`` the check starts
    at once as a background job; without, the response proposes roles for the editor to
    confirm with :py:func:`lampangpoverty_microdata_roles_update`.

    :param id: the poverty dataset
    :param upload: the file (CSV in UTF-8, UTF-8 with BOM or TIS-620/cp874; XLSX)
    :param roles: JSON object, column -> direct_identifier | quasi_identifier | sensitive | other
    :param recodes: JSON object, column -> {"method": age_band|tambon_to_amphoe|income_band|cap, ...}
    :param household_column: the column that groups persons into households
    :returns: the submission (status, progress, proposed roles when none were given)
    """
    tk.check_access("lampangpoverty_microdata_upload", context, data_dict)
    data = _validate(data_dict, schema.microdata_upload, context)
    pkg = model.Package.get(data["id"])
    if pkg is None or pkg.type != "poverty-dataset":
        raise tk.ValidationError({"id": [tk._("Not a poverty dataset")]})
    upload = data_dict.get("upload")
    if upload is None or not getattr(upload, "filename", None):
        raise tk.ValidationError({"upload": [tk._("Missing value")]})
    filename = Path(upload.filename).name
    try:
        path, size = microdata.store(upload.stream if hasattr(upload, "stream") else upload,
                                     filename)
    except table.TableError as e:
        raise tk.ValidationError({"upload": [str(e)]})
    try:
        df = table.read_table(path, filename)
        if data.get("roles"):
            _check_roles(df, data["roles"], filename)
    except (table.TableError, tk.ValidationError) as e:
        path.unlink(missing_ok=True)
        if isinstance(e, tk.ValidationError):
            raise
        raise tk.ValidationError({"upload": [str(e)]})

    record = Microdata(package_id=pkg.id, filename=filename, stored_path=str(path), size=size,
                       roles=json.dumps(data.get("roles") or {}),
                       settings=json.dumps({"recodes": data.get("recodes") or {},
                                            "household_column": data.get("household_column")}),
                       created_by=context.get("user") or "", status="needs_roles")
    model.Session.add(record)
    model.Session.commit()
    result = record.dictize(internal=True)
    if data.get("roles"):
        _enqueue(record)
        result = record.dictize(internal=True)
    else:
        result["proposed"] = microdata.propose(df)
    return result


def lampangpoverty_microdata_roles_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Confirm the column roles (and recodes) of a submission and start its check.

    :param microdata_id: the submission
    :param roles: JSON object, column -> role
    :param recodes: JSON object (optional)
    :param household_column: (optional)
    """
    tk.check_access("lampangpoverty_microdata_roles_update", context, data_dict)
    data = _validate(data_dict, schema.microdata_roles_update, context)
    record = Microdata.get(data["microdata_id"])
    if record is None:
        raise tk.ObjectNotFound(tk._("No such submission"))
    try:
        df = table.read_table(record.stored_path, record.filename)
    except (table.TableError, FileNotFoundError) as e:
        raise tk.ValidationError({"microdata_id": [str(e)]})
    _check_roles(df, data["roles"], record.filename)
    record.roles = json.dumps(data["roles"])
    record.settings = json.dumps({"recodes": data.get("recodes") or {},
                                  "household_column": data.get("household_column")})
    _enqueue(record)
    return record.dictize(internal=True)


@tk.side_effect_free
def lampangpoverty_microdata_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Status and progress of a submission; roles and the internal report only for the
    owning organisation's admins and sysadmins.

    :param microdata_id: the submission
    """
    tk.check_access("lampangpoverty_microdata_show", context, data_dict)
    record = Microdata.get(tk.get_or_bust(data_dict, "microdata_id"))
    if record is None:
        raise tk.ObjectNotFound(tk._("No such submission"))
    return record.dictize(internal=is_owner_admin(context, record.package_id))


@tk.side_effect_free
def lampangpoverty_disclosure_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The public, non-disclosive summary of a dataset's published release.

    :param id: the poverty dataset
    """
    tk.check_access("lampangpoverty_disclosure_summary", context, data_dict)
    pkg = model.Package.get(tk.get_or_bust(data_dict, "id"))
    record = Microdata.latest(pkg.id, status="passed") if pkg else None
    if record is None:
        raise tk.ObjectNotFound(tk._("This dataset has no published release"))
    return {"package_id": pkg.id, "release_resource_id": record.release_resource_id,
            "released": record.modified.isoformat(), **record.json("summary")}
