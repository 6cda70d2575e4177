"""The JSON Lines dump: every public record of the catalogue, one machine-friendly record
(as the API's ``package_show`` gives it) per line, gzip-compressed, written atomically
(readers never see half a file). ``ckan lampangpoverty dump`` writes it; the scheduler does
so every ``api.dump_interval`` seconds; ``/api/lampangpoverty/dump/records.jsonl.gz``
serves it."""
from __future__ import annotations

import gzip
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ..catalogue.types import DATASET_TYPES
from . import records

FILE_NAME = "records.jsonl.gz"


def folder() -> Path:
    return Path(tk.config["ckanext.lampangpoverty.api.dump_path"] or os.path.join(
        tk.config["ckan.storage_path"], "lampangpoverty-dump"))


def path() -> Path:
    return folder() / FILE_NAME


def _public_ids() -> list[str]:
    rows = (model.Session.query(model.Package.id)
            .filter(model.Package.state == "active", model.Package.private.is_(False),
                    model.Package.type.in_(DATASET_TYPES))
            .order_by(model.Package.id))
    return [row[0] for row in rows]


def write() -> dict[str, Any]:
    """Write the dump; returns how many records and where."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    seen: dict[Any, Any] = {}
    count = 0
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".records-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
            for package_id in _public_ids():
                try:
                    # as an anonymous caller sees it: nothing private can slip in
                    record = tk.get_action("package_show")({"user": ""}, {"id": package_id})
                except (tk.ObjectNotFound, tk.NotAuthorized):
                    continue  # made private or deleted while the dump ran
                line = json.dumps(records.machine_record(record, seen), ensure_ascii=False)
                out.write(line.encode("utf-8") + b"\n")
                count += 1
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        model.Session.remove()
    return {"records": count, "path": str(target)}


def due(now: float | None = None) -> bool:
    target = path()
    if not target.exists():
        return True
    interval = tk.config["ckanext.lampangpoverty.api.dump_interval"]
    return (now or time.time()) - target.stat().st_mtime >= interval
