"""The identifier scan of any file: what it is is read from its content, archives are opened
member by member, every table, sheet, JSON list and document page is looked at with the
disclosure engine's detector (``disclosure.detect``), chunk by chunk, within the limits.

Raises :class:`~.limits.Exceeded` when the file is larger or slower to read than the limits
allow, and ``TableError`` when it cannot be read at all: a caller never takes either for
"nothing found"."""
from __future__ import annotations

import bz2
import gzip
import io
import itertools
import lzma
import tarfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..disclosure import detect
from ..disclosure.table import TableError, _
from . import documents, sheets, sniff, structured, text
from .limits import Budget, Exceeded, Limits, Metered, read_all

ROWS_PER_CHUNK = 5000
# In running text (documents) only what cannot be an author's or an office's contact.
DOCUMENT_KINDS = {"thai_id", "coordinates"}
_STREAMS = {"gzip": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
            "bzip2": lambda f: bz2.BZ2File(f, mode="rb"),
            "xz": lambda f: lzma.LZMAFile(f, mode="rb")}
_SUFFIXES = {"gzip": (".gz", ".tgz"), "bzip2": (".bz2",), "xz": (".xz",)}


@dataclass
class Hit:
    where: str            # the file, or file/member, with the sheet in brackets
    row: int | None       # the first row (line, page or paragraph) it was found in
    column: str | None
    kind: str
    count: int


@dataclass
class Result:
    hits: list[Hit] = field(default_factory=list)
    unpacked: int = 0          # bytes read, every level counted
    skipped: list[str] = field(default_factory=list)   # images: no text to read


class Scanner:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.budget = Budget(limits)
        self.found: dict[tuple[str, str | None, str], Hit] = {}
        self.skipped: list[str] = []

    def scan_path(self, path: Path | str, name: str) -> Result:
        with open(path, "rb") as raw:
            return self.scan_stream(raw, name)

    def scan_stream(self, raw: BinaryIO, name: str) -> Result:
        self._content(raw, name, 0)
        return Result(list(self.found.values()), self.budget.used, self.skipped)

    # ----------------------------------------------------------------- dispatch
    def _content(self, raw: BinaryIO, where: str, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise Exceeded(where, "depth", self.limits.max_depth)
        stream = io.BufferedReader(Metered(raw, self.budget, where), buffer_size=sniff.HEAD)
        kind = sniff.kind(stream.peek(sniff.HEAD)[:sniff.HEAD])
        try:
            if kind in _STREAMS:
                inner = _STREAMS[kind](stream)
                self._content(inner, _strip(where, kind), depth + 1)  # type: ignore[arg-type]
            elif kind == "tar":
                self._tar(stream, where, depth)
            elif kind == "zip":
                self._zip(read_all(stream, self.budget, where), where, depth)
            elif kind == "ole2":
                self._sheets(read_all(stream, self.budget, where), where)
            elif kind == "pdf":
                data = read_all(stream, self.budget, where)
                pages = documents.pdf_pages(data, where, self.budget)
                self._detect(where, ["text"], ((n, [t]) for n, t in pages), DOCUMENT_KINDS)
            elif kind == "image":
                self.skipped.append(where)
            elif kind == "json":
                self._json(read_all(stream, self.budget, where), where)
            elif kind == "text":
                self._text(stream, where)
            else:
                raise TableError(where, _("the content cannot be read: it is not a table, "
                                          "text, spreadsheet, document or archive"))
        except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile, lzma.LZMAError) as e:
            raise TableError(where, _("a damaged file (%(error)s)"),
                             params={"error": str(e)[:200]}) from e

    def _tar(self, stream: BinaryIO, where: str, depth: int) -> None:
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                path = f"{where}/{member.name}"
                self.budget.member(path)
                extracted = archive.extractfile(member)
                if extracted is not None:
                    self._content(extracted, path, depth + 1)  # type: ignore[arg-type]

    def _zip(self, data: bytes, where: str, depth: int) -> None:
        archive = zipfile.ZipFile(io.BytesIO(data))
        kind = sniff.zip_kind(archive)
        if kind == "sheet":
            sheets.verify_zip(archive, self.budget, where)
            self._sheets(data, where)
        elif kind == "office":
            paragraphs = documents.office_paragraphs(archive, where, self.budget)
            self._detect(where, ["text"], ((n, [t]) for _part, n, t in paragraphs),
                         DOCUMENT_KINDS)
        else:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                path = f"{where}/{info.filename}"
                self.budget.member(path)
                if info.flag_bits & 0x1:
                    raise TableError(path, _("the file is encrypted"))
                with archive.open(info) as member:
                    self._content(member, path, depth + 1)  # type: ignore[arg-type]

    # ----------------------------------------------------------------- contents
    def _sheets(self, data: bytes, where: str) -> None:
        for name, rows in sheets.sheets(data, where, self.budget, self.limits.max_rows):
            rows = iter(rows)
            first = next(rows, None)
            if first is not None:
                self._detect(f"{where} ({name})", first[1], itertools.chain([first], rows))

    def _text(self, stream: BinaryIO, where: str) -> None:
        rows = text.rows(stream, where, self.limits.max_line, strict=False)
        first = next(rows, None)
        if first is not None:
            self._detect(where, first[1], itertools.chain([first], rows))

    def _json(self, data: bytes, where: str) -> None:
        try:
            document = structured.load(data, where)
        except TableError:
            # Not JSON after all (JSON lines, a log): read it as text, line by line.
            self._text(io.BytesIO(data), where)
            return
        for path, records in structured.tables(document, where, self.limits.max_rows):
            columns = list(dict.fromkeys(k for _n, row in records for k in row))
            label = f"{where} {path}".rstrip() if path not in ("", "[]") else where
            self._detect(label, columns,
                         ((n, [row.get(c, "") for c in columns]) for n, row in records))

    # ----------------------------------------------------------------- detection
    def _detect(self, where: str, header: list[str], rows: Iterable[tuple[int, list[str]]],
                kinds: set[str] | None = None) -> None:
        """Look at every row (the header line too: a file may have none) in chunks."""
        names = _unique(header)
        chunk: list[list[str]] = []
        numbers: list[int] = []
        count = 0
        for number, cells in rows:
            count += 1
            if count > self.limits.max_rows + 1:
                raise Exceeded(where, "rows", self.limits.max_rows)
            chunk.append(cells)
            numbers.append(number)
            if len(chunk) == ROWS_PER_CHUNK:
                self._flush(where, names, chunk, numbers, kinds)
                chunk, numbers = [], []
        if chunk:
            self._flush(where, names, chunk, numbers, kinds)

    def _flush(self, where: str, names: list[str], chunk: list[list[str]], numbers: list[int],
               kinds: set[str] | None) -> None:
        self.budget.tick(where)
        width = max(len(names), *(len(r) for r in chunk))
        columns = names + [f"#{i + 1}" for i in range(len(names), width)]
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in chunk], columns=columns,
                             dtype="string")
        for finding in detect.find_identifiers(frame):
            if kinds is not None and finding.kind not in kinds:
                continue
            column = None if columns == ["text"] else finding.column
            key = (where, column, finding.kind)
            if key in self.found:
                self.found[key].count += finding.count
            else:
                self.found[key] = Hit(where, numbers[finding.rows[0] - 1], column,
                                      finding.kind, finding.count)


def _unique(header: list[str]) -> list[str]:
    """Column names as the file gives them; blank or repeated ones by position (#3)."""
    seen: set[str] = set()
    names = []
    for index, name in enumerate(header, start=1):
        name = name.strip()
        if not name or name in seen:
            name = f"#{index}"
        seen.add(name)
        names.append(name)
    return names


def _strip(where: str, kind: str) -> str:
    for suffix in _SUFFIXES[kind]:
        if where.lower().endswith(suffix):
            return where[: -len(suffix)] + (".tar" if suffix == ".tgz" else "")
    return where


def scan(path: Path | str, name: str, limits: Limits) -> Result:
    """Scan a stored file."""
    return Scanner(limits).scan_path(path, name)
