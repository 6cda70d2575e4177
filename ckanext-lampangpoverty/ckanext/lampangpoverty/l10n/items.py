"""The "additional information" table of a resource page in the reader's language: core
shows every key of the resource, internal ones too (``datastore_active``, ``position``),
with its machine name and Python's True/False."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import dates

# Bookkeeping of CKAN and its extensions, not information about the data.
INTERNAL = frozenset({
    "id", "package_id", "position", "state", "datastore_active", "has_views", "url_type",
    "cache_url", "cache_last_updated", "revision_id", "resource_type", "tracking_summary",
    "datastore_contains_all_records_of_source_file", "qa", "archiver",
})


def labels() -> dict[str, str]:
    return {"format": tk._("Format"), "mimetype": tk._("Media type"),
            "size": tk._("Size"), "created": tk._("Created"),
            "last_modified": tk._("Data last updated"),
            "metadata_modified": tk._("Metadata last updated"),
            "hash": tk._("Checksum"), "language": tk._("Language")}


def resource_items(items: list[tuple[str, Any]], lang: str, zone: str) -> list[tuple[str, Any]]:
    """(label, value) rows for the resource page; other keys (set by a publisher) are
    shown as they were named."""
    known = labels()
    rows = []
    for key, value in items:
        if key in INTERNAL or key in ("name", "description", "url") or value in (None, "", [],
                                                                               {}):
            continue
        if isinstance(value, bool):
            value = tk._("Yes") if value else tk._("No")
        elif key in ("created", "last_modified", "metadata_modified"):
            value = dates.display(value, lang, zone, with_time=True)
        elif key == "size":
            value = tk.h.localised_filesize(int(value)) if str(value).isdigit() else value
        rows.append((known.get(key, key.replace("_", " ")), value))
    return sorted(rows, key=lambda row: str(row[0]))
