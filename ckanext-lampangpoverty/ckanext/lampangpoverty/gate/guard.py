"""Guard on ordinary resource files: every file uploaded as a resource of any dataset, and
every link to a file uploaded here, is scanned by its content (text tables in any Thai
encoding, ragged or not; spreadsheets; JSON/GeoJSON; PDF and office documents; archives,
member by member) for the direct identifiers the disclosure engine finds. A file holding
any is refused and pointed to the disclosure gate; a file the guard cannot read is refused;
a file larger than the guard may scan inside the request (``guard.inline_bytes`` /
``inline_seconds``) is kept privately and handed to the gate on a poverty dataset, refused
elsewhere. Nothing unscanned is published."""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, NoReturn
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader

from ..catalogue.types import POVERTY_DATASET
from ..disclosure.detect import KIND_LABELS
from ..disclosure.table import TableError
from ..scan.limits import Exceeded
from ..scan.scanner import Hit, Scanner
from . import submission

# /dataset/<id>/resource/<id>/download[/name], under any dataset type and locale prefix.
_OWN_DOWNLOAD = re.compile(r"/[^/]+/[^/]+/resource/([0-9a-f-]{36})/download(?:/[^/]*)?$")


def check_resource(resource: dict[str, Any]) -> None:
    """Refuse (``ValidationError`` on ``upload`` or ``url``) what must not be published."""
    upload = resource.get("upload")
    filename = getattr(upload, "filename", None)
    if upload is not None and filename and hasattr(upload, "stream"):
        upload.stream = _check_upload(upload.stream, Path(filename).name, resource)
    elif resource.get("url") and resource.get("url_type") != "upload":
        _check_link(resource["url"])


def _check_upload(stream: BinaryIO, filename: str, resource: dict[str, Any]) -> BinaryIO:
    """Scan the upload; returns it rewound (a copy when the original cannot be rewound)."""
    spooled = _seekable(stream)
    try:
        result = Scanner(submission.limits(inline=True)).scan_stream(spooled, filename)
    except Exceeded as e:
        spooled.seek(0)
        _hand_over(spooled, filename, resource, e)
    except TableError as e:
        _refuse("upload", _unreadable(e))
    finally:
        spooled.seek(0)
    if result.hits:
        _refuse("upload", _holds_identifiers(result.hits))
    return spooled


def _seekable(stream: BinaryIO) -> BinaryIO:
    """The upload as a stream the guard can read and rewind for CKAN's uploader."""
    try:
        stream.seek(0)
        return stream
    except (AttributeError, OSError):
        copy = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        shutil.copyfileobj(stream, copy)
        copy.seek(0)
        return copy  # type: ignore[return-value]


def _check_link(url: str) -> None:
    """A link to a file uploaded to this portal is that file: scan it like an upload."""
    match = _OWN_DOWNLOAD.search(urlsplit(url).path)
    target = model.Resource.get(match.group(1)) if match else None
    if target is None or target.url_type != "upload":
        return
    file = uploader.get_resource_uploader({"id": target.id, "url_type": "upload",
                                           "url": target.url})
    path = file.get_path(target.id) if isinstance(file, uploader.ResourceUpload) else None
    if not path or not Path(path).is_file():
        _refuse("url", tk._("This link points at a file uploaded to this portal that the "
                            "upload guard cannot read; upload the file itself instead"))
    name = Path(urlsplit(url).path).name or target.id
    try:
        result = Scanner(submission.limits(inline=True)).scan_path(path, name)
    except Exceeded as e:
        _refuse("url", _too_large(e) + " " + tk._("The linked file was not published."))
    except TableError as e:
        _refuse("url", _unreadable(e))
    if result.hits:
        _refuse("url", _holds_identifiers(result.hits))


def _refuse(field: str, message: str) -> NoReturn:
    raise tk.ValidationError({field: [message]})


def _holds_identifiers(hits: list[Hit]) -> str:
    places = []
    for hit in hits[:8]:
        where = [hit.where]
        if hit.row is not None:
            where.append(tk._("row %(row)s") % {"row": hit.row})
        if hit.column:
            where.append(tk._("column %(column)s") % {"column": hit.column})
        places.append(tk._("%(where)s: %(kind)s (%(count)s cells)") % {
            "where": ", ".join(where), "kind": tk._(KIND_LABELS[hit.kind]),
            "count": hit.count})
    more = len(hits) - len(places)
    if more > 0:
        places.append(tk._("and %(n)s more") % {"n": more})
    return tk._("This file holds direct identifiers: %(places)s. Household-level data must "
                "be submitted to the disclosure check (Submit a household table on the "
                "poverty dataset's page), not uploaded as a resource") % {
        "places": "; ".join(places)}


def _unreadable(error: TableError) -> str:
    return tk._("This file could not be checked for direct identifiers (%(error)s), so it "
                "is not published. Household-level data go through the disclosure check "
                "(Submit a household table on the poverty dataset's page)") % {
        "error": str(error)}


def _too_large(error: Exceeded) -> str:
    return tk._("%(error)s: larger than the upload guard checks during an upload") % {
        "error": str(error.as_error())}


def _hand_over(stream: BinaryIO, filename: str, resource: dict[str, Any],
               error: Exceeded) -> NoReturn:
    """Too large to scan here: on a poverty dataset the file is kept privately and handed
    to the disclosure gate (whose job reads it in the background); elsewhere refused."""
    package = model.Package.get(resource.get("package_id") or "")
    if package is None or package.type != POVERTY_DATASET:
        _refuse("upload", _too_large(error) + " " + tk._(
            "Nothing was kept. Link to the file instead, or submit household tables to the "
            "disclosure check of a poverty dataset"))
    path, size = submission.store(stream, filename)
    user = getattr(tk.current_user, "name", "") or ""
    record = submission.submit_upload(package.id, path, filename, size, None, {}, user)
    link = tk.url_for("lampangpoverty_gate.microdata_read", microdata_id=record.id,
                      _external=True)
    _refuse("upload", _too_large(error) + " " + tk._(
        "It was not published: it is kept privately and handed to the disclosure check, "
        "which reads it in the background: %(link)s") % {"link": link})
