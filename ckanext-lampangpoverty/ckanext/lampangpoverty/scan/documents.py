"""Text of documents: PDF pages (pypdf) and the XML parts of office documents (DOCX, PPTX,
ODT, ODP), paragraph by paragraph."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from ..disclosure.table import TableError, _
from .limits import Budget

_PARAGRAPH_END = re.compile(rb"</(?:w:p|a:p|text:p|text:h)>")
_TAG = re.compile(rb"<[^>]*>")
_TEXT_PARTS = re.compile(r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)"
                         r"|ppt/(slides|notesSlides)/[^/]+|content|styles)\.xml$")
_ENTITIES = {b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'", b"&amp;": b"&"}


def pdf_pages(data: bytes, where: str, budget: Budget) -> Iterator[tuple[int, str]]:
    """(page number, text) of each page."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise TableError(where, _("the file is encrypted"))
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            budget.take(len(text.encode("utf-8")), where)
            yield number, text
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise TableError(where, _("not a readable PDF (%(error)s)"),
                         params={"error": type(e).__name__}) from e


def office_paragraphs(archive: zipfile.ZipFile, where: str,
                      budget: Budget) -> Iterator[tuple[str, int, str]]:
    """(part, paragraph number, text) of the text-bearing XML parts of an office document.
    Tags are stripped, never parsed, so no entity in them is expanded."""
    for info in archive.infolist():
        if not _TEXT_PARTS.match(info.filename):
            continue
        budget.take(info.file_size, where)
        with archive.open(info) as member:
            xml = member.read(info.file_size + 1)
        for number, paragraph in enumerate(_PARAGRAPH_END.split(xml), start=1):
            text = _TAG.sub(b"", paragraph)
            for entity, char in _ENTITIES.items():
                text = text.replace(entity, char)
            if text.strip():
                yield info.filename, number, text.decode("utf-8", "replace")
