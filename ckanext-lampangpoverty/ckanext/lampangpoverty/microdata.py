"""The gate's work outside the request: store a raw household table privately, run the
disclosure check as a background job with progress, publish a passing release as a resource.
Nothing half-processed becomes visible: a release resource is created or replaced only after
a release passed; a failed run leaves the previous good release as it was."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from .disclosure import detect, report, table, transform
from .model import Microdata

log = logging.getLogger(__name__)


def storage_dir() -> Path:
    path = tk.config["ckanext.lampangpoverty.microdata.storage_path"] or os.path.join(
        tk.config["ckan.storage_path"], "lampangpoverty-microdata")
    Path(path).mkdir(parents=True, exist_ok=True, mode=0o700)
    return Path(path)


def thresholds() -> transform.Thresholds:
    return transform.Thresholds(
        k=tk.config["ckanext.lampangpoverty.disclosure.k"],
        l=tk.config["ckanext.lampangpoverty.disclosure.l"],
        max_risk=tk.config["ckanext.lampangpoverty.disclosure.max_risk"],
        global_risk=tk.config["ckanext.lampangpoverty.disclosure.global_risk"],
        household_risk=tk.config["ckanext.lampangpoverty.disclosure.household_risk"])


def store(upload, filename: str) -> tuple[Path, int]:
    """Copy an uploaded file into private storage (never under a served path)."""
    fd, tmp = tempfile.mkstemp(dir=storage_dir(), suffix=Path(filename).suffix)
    size = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := upload.read(1024 * 1024):
            size += len(chunk)
            if size > table.MAX_BYTES:
                out.close()
                os.unlink(tmp)
                raise table.TableError(
                    filename, table._("%(size)s GB is larger than the %(limit)s GB limit"),
                    params={"size": f"> {table.MAX_BYTES / 1024 ** 3:.0f}",
                            "limit": f"{table.MAX_BYTES / 1024 ** 3:.0f}"})
            out.write(chunk)
    os.chmod(tmp, 0o600)
    return Path(tmp), size


def store_bytes(body: bytes, filename: str) -> Path:
    """Keep a harvested table in private storage, named by its content (the same bytes
    harvested twice are stored once)."""
    path = storage_dir() / f"harvest-{hashlib.sha256(body).hexdigest()}{Path(filename).suffix or '.csv'}"
    if not path.exists():
        path.write_bytes(body)
        path.chmod(0o600)
    return path


def submit(package_id: str, path: Path, filename: str, size: int, roles: dict | None,
           settings: dict, user: str, df=None) -> tuple[Microdata, dict | None]:
    """Record a stored table as a submission of the dataset. With roles its check starts at
    once; without, the platform proposes roles (from ``df`` or the stored file) and the
    submission waits (status needs_roles) for an editor to confirm them. Returns the
    submission and the proposal (None when roles were given)."""
    proposed = None
    if not roles:
        proposed = propose(df if df is not None else table.read_table(path, filename))
    record = Microdata(package_id=package_id, filename=filename, stored_path=str(path),
                       size=size, roles=json.dumps(roles or proposed["roles"]),
                       settings=json.dumps(settings), created_by=user, status="needs_roles")
    model.Session.add(record)
    model.Session.commit()
    if roles:
        enqueue(record)
    return record, proposed


def enqueue(record: Microdata) -> None:
    record.status, record.progress, record.message = "queued", 0, ""
    model.Session.commit()
    tk.enqueue_job(run_gate, [record.id], title=f"disclosure check {record.id}",
                   rq_kwargs={"timeout": tk.config["ckan.jobs.timeout"]})


def _progress(record: Microdata, percent: int, message: str, status: str = "running") -> None:
    record.status, record.progress, record.message = status, percent, message
    model.Session.commit()


def run_gate(microdata_id: str) -> None:
    """Background job: read, check, transform, measure again; publish only a passing release."""
    record = Microdata.get(microdata_id)
    if record is None:
        return
    try:
        _progress(record, 5, "reading the table")
        df = table.read_table(record.stored_path, record.filename)
        roles = record.json("roles")
        table.check_roles(df, roles, record.filename)
        settings = record.json("settings") or {}
        _progress(record, 30, "measuring and transforming")
        limits = thresholds()
        result = transform.release(df, roles, limits, recodes=settings.get("recodes") or {},
                                   household=settings.get("household_column"))
        record.report = json.dumps(report.internal(result, limits, roles,
                                                   settings.get("recodes") or {}))
        record.summary = json.dumps(report.public(result, limits))
        if not result.passed:
            _progress(record, 100, "; ".join(result.failures), status="failed")
            return
        _progress(record, 80, "publishing the release")
        record.release_resource_id = _publish(record, result.table)
        if not tk.config["ckanext.lampangpoverty.microdata.keep_raw"]:
            Path(record.stored_path).unlink(missing_ok=True)
        _progress(record, 100, "release published", status="passed")
    except table.TableError as e:
        model.Session.rollback()
        _progress(record, 100, str(e), status="error")
    except Exception:
        model.Session.rollback()
        log.exception("disclosure check of microdata %s failed", microdata_id)
        _progress(record, 100, "the check failed unexpectedly; see the worker log",
                  status="error")


def release_path(record: Microdata) -> Path:
    folder = storage_dir() / "releases"
    folder.mkdir(exist_ok=True, mode=0o700)
    return folder / f"{record.id}.csv"


def release_url(record: Microdata) -> str:
    return f"{tk.config['ckan.site_url'].rstrip('/')}/lampangpoverty/release/{record.id}/download"


def _publish(record: Microdata, release) -> str:
    """Write the release (formula-safe CSV) where only the access-checked download view
    serves it, and point the dataset's release resource at that view."""
    table.write_csv(release, release_path(record))
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"user": site_user, "ignore_auth": True}
    data = {"package_id": record.package_id, "name": tk._("Anonymised release"),
            "format": "CSV", "url": release_url(record),
            "description": tk._("Released after the disclosure check; see its summary.")}
    previous = Microdata.latest(record.package_id, status="passed")
    if previous and previous.release_resource_id:
        try:
            tk.get_action("resource_show")(dict(context), {"id": previous.release_resource_id})
            data["id"] = previous.release_resource_id
            return tk.get_action("resource_update")(dict(context), data)["id"]
        except tk.ObjectNotFound:
            pass
    return tk.get_action("resource_create")(dict(context), data)["id"]


def propose(df) -> dict[str, Any]:
    findings = detect.find_identifiers(df)
    return {"roles": detect.propose_roles(df, findings),
            "identifiers": [{"column": f.column, "kind": f.kind, "cells": f.count}
                            for f in findings]}
