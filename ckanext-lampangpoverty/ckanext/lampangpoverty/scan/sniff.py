"""What a file is, from its first bytes (never from its name)."""
from __future__ import annotations

import zipfile

HEAD = 8192

_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_MIMETYPES = {
    b"application/vnd.oasis.opendocument.spreadsheet": "sheet",
    b"application/vnd.oasis.opendocument.text": "office",
    b"application/vnd.oasis.opendocument.presentation": "office",
}


def kind(head: bytes) -> str:
    """zip, ole2, gzip, bzip2, xz, tar, pdf, image, json, text or binary."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head[257:262] == b"ustar":
        return "tar"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"                      # UTF-16 with its byte order mark
    if b"\x00" in head:
        return "binary"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "json"
    return "text"


def zip_kind(archive: zipfile.ZipFile) -> str:
    """sheet (XLSX/XLSM/XLSB/ODS), office (DOCX/PPTX/ODT/ODP) or archive."""
    names = set(archive.namelist())
    if {"xl/workbook.xml", "xl/workbook.bin"} & names:
        return "sheet"
    if "word/document.xml" in names or any(n.startswith("ppt/slides/") for n in names):
        return "office"
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size < 200:
            found = _MIMETYPES.get(archive.read(info).strip())
            if found:
                return found
    return "archive"
