"""One household table, read exactly, for the disclosure gate: CSV/TSV (UTF-8, UTF-8 with BOM,
TIS-620/cp874 or UTF-16; \\n, \\r\\n or \\r line ends), XLSX/XLSM/XLSB, XLS or ODS (the first
sheet with data), optionally gzip-compressed; within the limits. Every refusal is a
``TableError`` naming the file and, where there is one, the row and column."""
from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..disclosure.table import TableError, _
from . import sheets, sniff, text
from .limits import Budget, Exceeded, Limits, Metered, read_all


def read_frame(path: Path | str, name: str, limits: Limits) -> pd.DataFrame:
    budget = Budget(limits)
    try:
        with open(path, "rb") as raw:
            return _read(raw, name, limits, budget, compressed=False)
    except Exceeded as e:
        raise e.as_error() from e
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        raise TableError(name, _("a damaged file (%(error)s)"),
                         params={"error": str(e)[:200]}) from e


def _read(raw: BinaryIO, name: str, limits: Limits, budget: Budget,
          compressed: bool) -> pd.DataFrame:
    stream = io.BufferedReader(Metered(raw, budget, name), buffer_size=sniff.HEAD)
    kind = sniff.kind(stream.peek(sniff.HEAD)[:sniff.HEAD])
    if kind == "gzip" and not compressed:
        inner = gzip.GzipFile(fileobj=stream, mode="rb")
        return _read(inner, name, limits, budget, compressed=True)  # type: ignore[arg-type]
    if kind in ("text", "json"):
        return _table(text.rows(stream, name, limits.max_line, strict=True), name,
                      limits.max_rows, csv_file=True)
    if kind in ("zip", "ole2"):
        data = read_all(stream, budget, name)
        if kind == "zip":
            archive = zipfile.ZipFile(io.BytesIO(data))
            if sniff.zip_kind(archive) != "sheet":
                raise _not_a_table(name)
            sheets.verify_zip(archive, budget, name)
        for _sheet, rows in sheets.sheets(data, name, budget, limits.max_rows):
            rows = iter(rows)
            first = next(rows, None)
            if first is not None:
                return _table(_chain(first, rows), name, limits.max_rows, csv_file=False)
        raise TableError(name, _("the file is empty"))
    raise _not_a_table(name)


def _not_a_table(name: str) -> TableError:
    return TableError(name, _("not a table (CSV, TSV, XLSX, XLS or ODS)"))


def _chain(first: tuple[int, list[str]],
           rest: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield first
    yield from rest


def _table(rows: Iterator[tuple[int, list[str]]], name: str, max_rows: int,
           csv_file: bool) -> pd.DataFrame:
    first = next(rows, None)
    if first is None or not any(c.strip() for c in first[1]):
        raise TableError(name, _("the file is empty"))
    header = _header(first[1], name, csv_file)
    body = []
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if not csv_file:
            cells = _trim(cells, len(header), number, name)
        if len(cells) != len(header):
            raise TableError(name, _("%(cells)s cells where the header has %(header)s"),
                             row=number, params={"cells": len(cells), "header": len(header)})
        body.append(cells)
        if len(body) > max_rows:
            raise Exceeded(name, "rows", max_rows)
    if not body:
        raise TableError(name, _("the table has a header but no rows"))
    return pd.DataFrame(body, columns=header, dtype="string")


def _header(cells: list[str], name: str, csv_file: bool) -> list[str]:
    header = list(cells)
    if not csv_file:
        while header and not header[-1].strip():
            header.pop()
    elif len(header) < 2:
        raise TableError(name, _("not a table: one column only, no comma-separated header"))
    blank = [i for i, h in enumerate(header) if not h.strip()]
    if blank:
        raise TableError(name, _("a column has no name in the header"), row=1,
                         column=str(blank[0] + 1))
    if len(set(header)) != len(header):
        duplicate = next(h for h in header if header.count(h) > 1)
        raise TableError(name, _("two columns share one name"), row=1, column=duplicate)
    return header


def _trim(cells: list[str], width: int, number: int, name: str) -> list[str]:
    """A sheet row cut to the header's width; a value beyond it is a ragged row."""
    extra = [i for i, c in enumerate(cells[width:], start=width + 1) if c.strip()]
    if extra:
        raise TableError(name, _("a value beyond the last named column"), row=number,
                         column=str(extra[0]))
    return (cells + [""] * width)[:width]
