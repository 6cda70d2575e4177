"""Validation of tabular resources (CSV/TSV in any Thai encoding, XLSX/XLS/ODS) with
Frictionless, as a background job: against the Table Schema the resource declares, or, with
none, structure checks and the column types Frictionless infers (blank or duplicate header,
extra or missing cells, blank rows, wrong types). A file larger than the validator reads, a
file that is not a table, an unreachable link or a check that runs out of time each ends in
a status of its own with the reason; the job never runs past its time limit.

The report keeps the counts of errors by type and the first errors with their row (the
file's line), column and cell; a cell that looks like a direct identifier is hidden."""
from __future__ import annotations

import dataclasses
import io
import logging
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from frictionless import Check, Checklist, Resource

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader

from ..disclosure.detect import find_identifiers
from ..disclosure.table import TableError
from ..harvesters.http import FetchError, Policy, fetch
from ..lib.clock import utcnow
from ..model import ResourceQuality, Validation
from ..scan import sheets, sniff, text
from ..scan.limits import Budget, Exceeded, Limits
from . import jobs, state, tableschema

log = logging.getLogger(__name__)

CELL_CHARS = 60


class Outcome(Exception):
    """The validation ends without a Frictionless report: a status and a reason."""

    def __init__(self, status: str, code: str, **params: Any):
        super().__init__(code)
        self.status, self.report = status, {"message": {"code": code, "params": params}}


def max_bytes() -> int:
    return tk.config["ckanext.lampangpoverty.quality.validation_max_bytes"]


def seconds() -> float:
    return tk.config["ckanext.lampangpoverty.quality.validation_seconds"]


def queue(resource_id: str) -> None:
    """Validate the resource once the current change is committed."""
    policy = Policy.from_config()
    jobs.after_commit(validate_job, [resource_id], f"validate resource {resource_id}",
                      seconds() + min(policy.deadline, seconds()) + 60)


def validate_job(resource_id: str) -> None:
    """Background job: validate one resource, store its report, update its record."""
    res = model.Resource.get(resource_id)
    row = ResourceQuality.get(resource_id)
    if res is None or row is None or res.state != "active":
        return
    status, report = run(res)
    report["schema_digest"] = state.schema_digest(res)
    row.validation, row.report, row.validated = status, report, utcnow()
    model.Session.commit()
    log.info("resource %s validated: %s", resource_id, status)
    state.rescore([row.package_id])


def run(res: model.Resource) -> tuple[str, dict[str, Any]]:
    if not state.is_tabular(res):
        return Validation.NOT_TABULAR, {}
    deadline = time.monotonic() + seconds()
    try:
        label, schema = tableschema.load(state.schema_of(res))
        data, name = read(res)
        header, rows, lines, sheet = table(data, name, deadline)
        report = check(header, rows, lines, schema, deadline)
    except Outcome as e:
        return e.status, e.report
    except tableschema.SchemaProblem as e:
        return Validation.ERROR, {"message": {"code": e.code, "params": e.params}}
    except Exception:
        log.exception("validation of resource %s failed", res.id)
        return Validation.ERROR, {"message": {"code": "crashed", "params": {}}}
    report.update(schema=label, sheet=sheet)
    return (Validation.VALID if not report["error_count"] else Validation.INVALID), report


def _too_large() -> Outcome:
    return Outcome(Validation.TOO_LARGE, "too_large", limit_mb=round(max_bytes() / 1024 ** 2))


def read(res: model.Resource) -> tuple[bytes, str]:
    """The resource's bytes (a file stored here, or fetched through the safe HTTP layer)."""
    name = Path(res.url or res.id).name or res.id
    if res.url_type == "upload":
        file = uploader.get_resource_uploader({"id": res.id, "url_type": "upload",
                                               "url": res.url})
        path = file.get_path(res.id) if isinstance(file, uploader.ResourceUpload) else None
        if not path or not Path(path).is_file():
            raise Outcome(Validation.UNREACHABLE, "file_missing")
        if Path(path).stat().st_size > max_bytes():
            raise _too_large()
        return Path(path).read_bytes(), name
    policy = dataclasses.replace(Policy.from_config(), max_bytes=max_bytes(),
                                 deadline=min(Policy.from_config().deadline, seconds()))
    try:
        return _fetch_within(res.url, policy), name
    except FetchError as e:
        if str(policy.max_bytes) in e.reason:
            raise _too_large() from e
        if "took longer" in e.reason:
            raise Outcome(Validation.TIMEOUT, "timeout", seconds=round(policy.deadline)) from e
        raise Outcome(Validation.UNREACHABLE, "unreachable", reason=e.reason[:300]) from e


def _fetch_within(url: str, policy: Policy) -> bytes:
    """``fetch`` with one deadline for the whole exchange: its own deadline covers the body
    only, and a server may trickle its status line and headers. The fetch runs in a thread
    that is given up at the deadline (a job's process ends with its job, thread included)."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["data"] = fetch(url, policy)
        except BaseException as e:
            box["error"] = e

    thread = threading.Thread(target=work, daemon=True, name="quality-fetch")
    thread.start()
    thread.join(policy.deadline + 1)
    if thread.is_alive():
        raise Outcome(Validation.TIMEOUT, "timeout", seconds=round(policy.deadline))
    if "error" in box:
        raise box["error"]
    return box["data"]


def table(data: bytes, name: str, deadline: float
          ) -> tuple[list[str], list[list[str]], list[int], str | None]:
    """Header, rows, the file line of each row, and the sheet read (spreadsheets: the
    first). Raises Outcome(NOT_TABLE) for anything that is not a table."""
    limits = Limits(max_unpacked=max_bytes() * 4, max_rows=tk.config[
        "ckanext.lampangpoverty.tables.max_rows"],
        max_line=tk.config["ckanext.lampangpoverty.tables.max_line_bytes"],
        seconds=max(deadline - time.monotonic(), 0.001))
    kind = sniff.kind(data[:sniff.HEAD])
    sheet = None
    try:
        if kind == "text":
            found = list(text.rows(io.BytesIO(data), name, limits.max_line, strict=True))
        elif kind in ("zip", "ole2"):
            if kind == "zip":
                import zipfile

                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    if sniff.zip_kind(archive) != "sheet":
                        raise Outcome(Validation.NOT_TABLE, "not_table", kind="zip")
                    sheets.verify_zip(archive, Budget(limits), name)
            sheet, rows = next(sheets.sheets(data, name, Budget(limits), limits.max_rows),
                               (None, iter(())))
            found = list(rows)
        else:
            raise Outcome(Validation.NOT_TABLE, "not_table", kind=kind)
    except TableError as e:
        raise Outcome(Validation.NOT_TABLE, "unreadable", error=str(e)[:300]) from e
    except Exceeded as e:
        if e.what == "seconds":
            raise Outcome(Validation.TIMEOUT, "timeout", seconds=round(seconds())) from e
        raise Outcome(Validation.TOO_LARGE, "too_large_content",
                      error=str(e.as_error())[:300]) from e
    if len(found) > limits.max_rows + 1:
        raise Outcome(Validation.TOO_LARGE, "too_many_rows", limit=limits.max_rows)
    if not found or not any(c.strip() for c in found[0][1]):
        raise Outcome(Validation.NOT_TABLE, "empty")
    (_, header), body = found[0], found[1:]
    return header, [cells for _, cells in body], [number for number, _ in found], sheet


class _Deadline(Check):
    """Stops a validation that runs out of time (Frictionless has no time limit)."""

    Errors: ClassVar[list[Any]] = []

    def __init__(self, deadline: float):
        super().__init__()
        self.deadline = deadline

    def validate_row(self, row: Any) -> Any:
        if row.row_number % 500 == 0 and time.monotonic() > self.deadline:
            raise TimeoutError
        yield from ()


def check(header: list[str], rows: list[list[str]], lines: list[int], schema: Any,
          deadline: float) -> dict[str, Any]:
    """Validate with Frictionless; errors keep the file's line numbers."""
    limit = tk.config["ckanext.lampangpoverty.quality.validation_max_errors"]
    started = time.monotonic()
    resource = Resource(data=[header, *rows], schema=schema) if schema else \
        Resource(data=[header, *rows])
    try:
        report = resource.validate(checklist=Checklist(checks=[_Deadline(deadline)]),
                                   limit_errors=limit)
    except TimeoutError:
        raise Outcome(Validation.TIMEOUT, "timeout", seconds=round(seconds())) from None
    task = report.tasks[0]
    errors: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for error in task.errors:
        counts[error.type] = counts.get(error.type, 0) + 1
        position = getattr(error, "row_number", None)
        errors.append({"type": error.type,
                       "row": lines[position - 1] if position and position <= len(lines)
                       else (1 if error.type.endswith("label") or "header" in error.type
                             else position),
                       "column": getattr(error, "field_name", None) or getattr(error, "label",
                                                                               None),
                       "field_number": getattr(error, "field_number", None),
                       "cell": _cell(getattr(error, "cell", None))})
    _hide_identifiers(errors)
    return {"rows": len(rows), "columns": header, "error_count": len(task.errors),
            "stopped": len(task.errors) >= limit, "counts": counts, "errors": errors,
            "seconds": round(time.monotonic() - started, 2)}


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= CELL_CHARS else value[:CELL_CHARS] + "…"


def _hide_identifiers(errors: list[dict[str, Any]]) -> None:
    """Cells of the report that look like direct identifiers (IDs, names, phones,
    addresses) are replaced by what they look like: reports are public."""
    cells = [e["cell"] for e in errors if e["cell"]]
    if not cells:
        return
    hidden = {row - 1: finding.kind
              for finding in find_identifiers(pd.DataFrame({"cell": cells}, dtype="string"))
              for row in finding.rows}
    i = 0
    for error in errors:
        if error["cell"]:
            if i in hidden:
                error["cell"], error["hidden"] = None, hidden[i]
            i += 1
