"""The gate's work outside the request: store a raw household table privately, run the
disclosure check as a background job with progress, publish a passing release as a resource.
Nothing half-processed becomes visible: a release resource is created or replaced only after
a release passed; a failed run leaves the previous good release as it was."""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
from rq import Retry

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ..disclosure import report, table, transform
from ..disclosure import roles as roles_rules
from ..lib.site import site_user
from ..model import Microdata, MicrodataStatus
from ..scan import frame, sniff
from ..scan.limits import Limits
from . import proposal

TableError = table.TableError
N_ = table._  # marks a progress message; it is translated when shown
# A job whose worker was killed (a node lost) stays "started" until its heartbeat lapses
# (60-90 s); the next registry maintenance of any worker (at its start, then every 10
# minutes) then enqueues it again while retries are left, instead of failing it for good.
# Every job here may run again from the start: it reads the kept raw file and publishes
# into the one release resource of its submission.
JOB_RETRIES = 2


def _job_kwargs() -> dict[str, Any]:
    return {"timeout": tk.config["ckan.jobs.timeout"], "retry": Retry(max=JOB_RETRIES)}

log = logging.getLogger(__name__)


def storage_dir() -> Path:
    path = tk.config["ckanext.lampangpoverty.microdata.storage_path"] or os.path.join(
        tk.config["ckan.storage_path"], "lampangpoverty-microdata")
    Path(path).mkdir(parents=True, exist_ok=True, mode=0o700)
    return Path(path)


def max_bytes() -> int:
    """The largest household table accepted (``ckanext.lampangpoverty.microdata.max_bytes``)."""
    return tk.config["ckanext.lampangpoverty.microdata.max_bytes"]


def limits(inline: bool = False) -> Limits:
    """The declared bounds of reading a table: the gate's (in a background job), or the
    upload guard's tighter ones inside a web request (``inline``)."""
    c = tk.config
    if inline:
        return Limits(max_unpacked=c["ckanext.lampangpoverty.guard.inline_bytes"],
                      max_rows=c["ckanext.lampangpoverty.tables.max_rows"],
                      max_line=c["ckanext.lampangpoverty.tables.max_line_bytes"],
                      seconds=c["ckanext.lampangpoverty.guard.inline_seconds"])
    return Limits(max_unpacked=c["ckanext.lampangpoverty.tables.max_unpacked_bytes"],
                  max_rows=c["ckanext.lampangpoverty.tables.max_rows"],
                  max_line=c["ckanext.lampangpoverty.tables.max_line_bytes"])


def thresholds() -> transform.Thresholds:
    """The gate's thresholds and coding rules, as configured (defaults in
    config_declaration.yaml)."""
    c = tk.config
    return transform.Thresholds(
        k=c["ckanext.lampangpoverty.disclosure.k"],
        l=c["ckanext.lampangpoverty.disclosure.l"],
        max_risk=c["ckanext.lampangpoverty.disclosure.max_risk"],
        global_risk=c["ckanext.lampangpoverty.disclosure.global_risk"],
        household_risk=c["ckanext.lampangpoverty.disclosure.household_risk"],
        suppression_budget=c["ckanext.lampangpoverty.disclosure.suppression_budget"],
        bottom_percentile=c["ckanext.lampangpoverty.disclosure.bottom_percentile"],
        top_percentile=c["ckanext.lampangpoverty.disclosure.top_percentile"],
        numeric_method=c["ckanext.lampangpoverty.disclosure.numeric_method"],
        numeric_bands=c["ckanext.lampangpoverty.disclosure.numeric_bands"],
        amber_suppressed=c["ckanext.lampangpoverty.disclosure.amber_suppressed"],
        search_budget=c["ckanext.lampangpoverty.disclosure.search_budget"])


def store(upload: BinaryIO, filename: str) -> tuple[Path, int]:
    """Stream an uploaded file into private storage (never under a served path; mkstemp
    creates it 0600), a megabyte at a time; whatever goes wrong, nothing is left behind."""
    fd, tmp = tempfile.mkstemp(dir=storage_dir(), suffix=Path(filename).suffix[:16])
    size, limit = 0, max_bytes()
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise table.too_large(filename, f"> {limit / 1024 ** 3:.3g}", limit)
                out.write(chunk)
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp), size


def refuse_non_table(path: Path, filename: str) -> None:
    """The one check inside the request, on the first bytes only: a picture or a program is
    refused at once; everything else is read by the background job."""
    with open(path, "rb") as f:
        kind = sniff.kind(f.read(sniff.HEAD))
    if kind not in ("text", "json", "zip", "ole2", "gzip"):
        raise TableError(filename, table._("not a table (CSV, TSV, XLSX, XLS or ODS)"))


def store_bytes(body: bytes, filename: str) -> Path:
    """Keep a harvested table in private storage, named by its content (the same bytes
    harvested twice are stored once)."""
    suffix = Path(filename).suffix or ".csv"
    path = storage_dir() / f"harvest-{hashlib.sha256(body).hexdigest()}{suffix}"
    if not path.exists():
        path.write_bytes(body)
        path.chmod(0o600)
    return path


def submit(package_id: str, path: Path, filename: str, size: int, roles: dict[str, str] | None,
           settings: dict[str, Any], user: str,
           df: pd.DataFrame | None = None) -> Microdata:
    """Record a stored table as a submission of the dataset. With roles its check starts at
    once; without, the platform proposes roles, recodes and alternatives (from ``df`` or the
    stored file) and the submission waits (status needs_roles) for an editor to confirm
    them."""
    record = Microdata(package_id=package_id, filename=filename, stored_path=str(path),
                       size=size, roles=roles or {}, settings=dict(settings),
                       created_by=user, status=MicrodataStatus.NEEDS_ROLES)
    if not roles:
        df = df if df is not None else read_stored(path, filename)
        _propose(record, df, fresh=True)
    elif df is not None:
        record.settings = {**record.settings, "columns": list(map(str, df.columns))}
    model.Session.add(record)
    model.Session.commit()
    if roles:
        enqueue(record)
    return record


def submit_upload(package_id: str, path: Path, filename: str, size: int,
                  roles: dict[str, str] | None, settings: dict[str, Any],
                  user: str) -> Microdata:
    """Record an uploaded table (status proposing) and leave all reading to a background
    job: it proposes roles (status needs_roles) or, with roles given, starts the check."""
    record = Microdata(package_id=package_id, filename=filename, stored_path=str(path),
                       size=size, roles=roles or {}, settings=settings, created_by=user,
                       status=MicrodataStatus.PROPOSING, message="")
    model.Session.add(record)
    model.Session.commit()
    tk.enqueue_job(propose_job, [record.id], title=f"read and propose roles {record.id}",
                   rq_kwargs=_job_kwargs())
    return record


def propose_job(microdata_id: str) -> None:
    """Background job: read the stored table within the declared bounds and record its
    columns; then propose roles, recodes and alternatives (status needs_roles), or work out
    the alternatives again for the editor's roles (``preview``), or, with roles given at
    upload, check them and start the disclosure check."""
    record = Microdata.get(microdata_id)
    if record is None:
        return
    try:
        df = read_stored(record.stored_path, record.filename)
        preview = bool((record.settings or {}).get("preview"))
        record.settings = dict(record.settings or {}, columns=list(map(str, df.columns)))
        if record.roles and not preview:
            check_settings(record, df)
            enqueue(record)
            return
        _progress(record, 30, N_("proposing roles and recodes"),
                  status=MicrodataStatus.PROPOSING)
        _propose(record, df, fresh=not preview)
        _progress(record, 100, "", status=MicrodataStatus.NEEDS_ROLES)
    except table.TableError as e:
        model.Session.rollback()
        fail(record, e)
    except Exception:
        model.Session.rollback()
        log.exception("reading microdata %s failed", microdata_id)
        fail(record, table.TableError(record.filename, table._(
            "the file could not be read; see the worker log")))


def _propose(record: Microdata, df: pd.DataFrame, fresh: bool) -> None:
    """Fill in the proposal (``fresh``: roles, recodes and household column too, as if the
    editor accepted every proposal) and the alternatives for the roles in force."""
    settings = {key: value for key, value in (record.settings or {}).items()
                if key not in ("preview", "plan")}
    settings["columns"] = list(map(str, df.columns))
    limits = thresholds()
    if fresh:
        columns = proposal.columns(df, limits)
        accepted = proposal.accepted(columns)
        record.roles = accepted["roles"]
        settings.update(proposal=columns, identifiers=proposal.identifiers(columns),
                        recodes=accepted["recodes"],
                        household_column=accepted["household_column"])
    settings["plan"] = proposal.safe_plan(df, record.roles, settings.get("recodes") or {},
                                          settings.get("household_column"), limits)
    record.settings = settings


def check_settings(record: Microdata, df: pd.DataFrame) -> None:
    """The roles, recodes and household column fit the table; the first that does not is
    refused naming its column."""
    settings = record.settings or {}
    table.check_roles(df, record.roles, record.filename)
    errors = roles_rules.check(record.roles, settings.get("recodes") or {},
                               list(map(str, df.columns)), settings.get("household_column"))
    if errors:
        raise table.TableError(record.filename, errors[0].message, params=errors[0].params)


def fail(record: Microdata, error: table.TableError) -> None:
    """A submission whose table cannot be used: the reason is kept (shown in the reader's
    language), the raw file is removed."""
    Path(record.stored_path).unlink(missing_ok=True)
    record.settings = {**(record.settings or {}), "error": dataclasses.asdict(error)}
    _progress(record, 100, str(error), status=MicrodataStatus.ERROR)


def read_stored(path: Path | str, filename: str) -> pd.DataFrame:
    """A stored table, read within the declared bounds; refused with the file named when
    it is over the size limit or cannot be read."""
    size = Path(path).stat().st_size
    if size > max_bytes():
        raise table.too_large(filename, f"{size / 1024 ** 3:.1f}", max_bytes())
    return frame.read_frame(path, filename, limits())


def repropose(record: Microdata) -> None:
    """Work out the alternatives and costs again for the editor's roles and recodes (a
    background job; status proposing, then needs_roles)."""
    record.settings = {**(record.settings or {}), "preview": True}
    record.status, record.progress, record.message = MicrodataStatus.PROPOSING, 0, ""
    model.Session.commit()
    tk.enqueue_job(propose_job, [record.id], title=f"work out alternatives {record.id}",
                   rq_kwargs=_job_kwargs())


def enqueue(record: Microdata) -> None:
    record.status, record.progress, record.message = MicrodataStatus.QUEUED, 0, ""
    model.Session.commit()
    tk.enqueue_job(run_gate, [record.id], title=f"disclosure check {record.id}",
                   rq_kwargs=_job_kwargs())


def _progress(record: Microdata, percent: int, message: str,
              status: str = MicrodataStatus.RUNNING) -> None:
    record.status, record.progress, record.message = status, percent, message
    model.Session.commit()


def run_gate(microdata_id: str) -> None:
    """Background job: read, check, transform, measure again; publish only a passing release."""
    record = Microdata.get(microdata_id)
    if record is None or record.status == MicrodataStatus.PASSED:
        return      # a retried job whose first run got to the end: nothing left to do
    try:
        _progress(record, 5, N_("reading the table"))
        df = read_stored(record.stored_path, record.filename)
        check_settings(record, df)
        roles, settings = record.roles, record.settings or {}
        recodes = settings.get("recodes") or {}
        _progress(record, 30, N_("searching for the release that loses the least information"))
        limits = thresholds()
        result = transform.release(df, roles, limits, recodes=recodes,
                                   household=settings.get("household_column"))
        record.report = proposal.jsonable(report.internal(result, limits, roles, recodes))
        record.summary = proposal.jsonable(report.public(result, limits))
        if not result.passed:
            _progress(record, 100, N_("thresholds not met"), status=MicrodataStatus.FAILED)
            return
        _progress(record, 80, N_("publishing the release"))
        record.release_resource_id = _publish(record, result.table)
        if not tk.config["ckanext.lampangpoverty.microdata.keep_raw"]:
            Path(record.stored_path).unlink(missing_ok=True)
        _progress(record, 100, N_("release published"), status=MicrodataStatus.PASSED)
    except table.TableError as e:
        model.Session.rollback()
        fail(record, e)
    except Exception:
        model.Session.rollback()
        log.exception("disclosure check of microdata %s failed", microdata_id)
        _progress(record, 100, N_("the check failed unexpectedly; see the worker log"),
                  status=MicrodataStatus.ERROR)


def release_path(record: Microdata) -> Path:
    folder = storage_dir() / "releases"
    folder.mkdir(exist_ok=True, mode=0o700)
    return folder / f"{record.id}.csv"


def release_url(record: Microdata) -> str:
    return f"{tk.config['ckan.site_url'].rstrip('/')}/lampangpoverty/release/{record.id}/download"


def _publish(record: Microdata, release: pd.DataFrame) -> str:
    """Write the release (formula-safe CSV) where only the access-checked download view
    serves it, and point the dataset's release resource at that view."""
    path = release_path(record)
    partial = path.with_name(path.name + ".part")
    table.write_csv(release, partial)
    os.replace(partial, path)   # a run killed while writing leaves no half-written release
    context: Context = {"user": site_user(), "ignore_auth": True}
    data = {"package_id": record.package_id, "name": tk._("Anonymised release"),
            "format": "CSV", "url": release_url(record),
            "description": tk._("Released after the disclosure check; see its summary.")}
    # A run killed after creating the resource but before recording it: its retry updates
    # that resource (found by this submission's URL) instead of adding a second one.
    mine = model.Session.query(model.Resource.id).filter_by(
        package_id=record.package_id, url=release_url(record), state="active").first()
    if mine:
        data["id"] = mine[0]
        return tk.get_action("resource_update")(context.copy(), data)["id"]
    previous = Microdata.latest(record.package_id, status=MicrodataStatus.PASSED)
    if previous and previous.release_resource_id:
        try:
            tk.get_action("resource_show")(context.copy(), {"id": previous.release_resource_id})
            data["id"] = previous.release_resource_id
            return tk.get_action("resource_update")(context.copy(), data)["id"]
        except tk.ObjectNotFound:
            pass
    return tk.get_action("resource_create")(context.copy(), data)["id"]
