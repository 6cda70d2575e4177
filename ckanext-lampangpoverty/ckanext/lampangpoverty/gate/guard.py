"""Guard on ordinary resource uploads: a table uploaded as a resource of any dataset is
scanned for direct identifiers (Thai IDs, names, phones, addresses, coordinates), and refused
when it has any, so household-level rows cannot bypass the disclosure gate."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ..disclosure import detect, table

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


def check_upload(resource: dict[str, Any]) -> None:
    upload = resource.get("upload")
    filename = getattr(upload, "filename", None)
    if upload is None or not filename or not filename.lower().endswith(TABLE_SUFFIXES):
        return
    stream = upload.stream
    raw = stream.read()
    stream.seek(0)
    try:
        is_xlsx = filename.lower().endswith((".xlsx", ".xlsm"))
        reader = table.read_xlsx if is_xlsx else table.read_csv
        df = reader(raw, filename)
    except table.TableError:
        return  # not a table we can read: nothing row-level to find
    findings = detect.find_identifiers(df)
    if findings:
        where = ", ".join(sorted({f"{f.column} ({f.kind})" for f in findings}))
        raise tk.ValidationError({"upload": [tk._(
            "This table holds direct identifiers in %s: household-level data must be "
            "submitted to the disclosure check, not uploaded as a resource") % where]})
