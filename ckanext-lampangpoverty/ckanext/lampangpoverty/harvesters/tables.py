"""Partner tables as agencies export them from Excel: a title above the header, a header of
two rows with merged cells, blank lines, notes and a totals row below the data.

Options of a table source (all optional): ``header_row`` (the row of the header, counted
from 1; rows above it are titles), ``header_rows`` (how many rows the header takes; merged
cells are joined with a space: "งบประมาณ (บาท)" over "2567" gives "งบประมาณ (บาท) 2567"),
``skip_rows`` (more lines to ignore, e.g. a units line), ``footer_rows`` (lines at the end
to ignore: notes, sources) and ``totals`` (a regular expression; a row whose first filled
cell matches it is a totals row and ignored). Blank lines are always ignored, and so is a
row whose key is empty and whose first filled cell reads like a total ("รวม", "Total").

Every refusal names the file and the line (and column) of the source.
"""
from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

import ckan.plugins.toolkit as tk

from ..disclosure import table

DEFAULT_TOTALS = r"^\s*(รวม|รวมทั้งสิ้น|ยอดรวม|total|grand total|sum)\b"


@dataclass
class Table:
    frame: pd.DataFrame       # text cells, "" for empty
    lines: list[int]          # the source line of each row of ``frame``


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return (value.date().isoformat() if value.time() == datetime.time()
                else value.isoformat())
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def grid(body: bytes, name: str, kind: str, config: dict) -> list[list[str]]:
    """Every line of the source as text cells (a JSON table: its header and rows)."""
    if kind == "xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for a bad file
            raise ValueError(tk._("%(file)s is not a readable XLSX workbook (%(error)s)")
                             % {"file": name, "error": type(e).__name__}) from e
        rows = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
        return rows
    if kind == "json":
        return _json_grid(body, name, config)
    try:
        text = table.decode(body, name)
    except table.TableError as e:
        raise ValueError(str(e)) from e
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def _json_grid(body: bytes, name: str, config: dict) -> list[list[str]]:
    try:
        data = json.loads(body)
    except ValueError as e:
        raise ValueError(tk._("%(file)s is not JSON (%(error)s)")
                         % {"file": name, "error": e}) from e
    for part in (config.get("records_path") or "").split("."):
        if part:
            if not isinstance(data, dict) or part not in data:
                raise ValueError(tk._("%(file)s: no %(path)s in the JSON") %
                                 {"file": name, "path": config["records_path"]})
            data = data[part]
    if not isinstance(data, list):
        raise ValueError(tk._("%s: the rows are not a JSON list") % name)
    columns: dict[str, None] = {}
    for number, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            raise ValueError(tk._("%(file)s, row %(row)s: not a JSON object")
                             % {"file": name, "row": number})
        columns.update(dict.fromkeys(map(str, row)))
    header = list(columns)
    return [header] + [[_cell(row.get(c)) for c in header] for row in data]


def _header(rows: list[list[str]], name: str, first: int) -> list[str]:
    """One name per column: the header lines joined, a merged cell's text carried over the
    blank cells to its right (upper lines) or kept alone (a cell merged downwards)."""
    width = max(len(r) for r in rows)
    filled = []
    for depth, row in enumerate(rows):
        row = row + [""] * (width - len(row))
        if depth < len(rows) - 1:
            carried, last = [], ""
            for cell in row:
                last = cell or last
                carried.append(last)
            row = carried
        filled.append(row)
    names = []
    for column in range(width):
        parts: list[str] = []
        for row in filled:
            if row[column] and (not parts or parts[-1] != row[column]):
                parts.append(row[column])
        names.append(re.sub(r"\s+", " ", " ".join(parts)).strip())
    duplicates = {n for n in names if n and names.count(n) > 1}
    if duplicates:
        raise ValueError(tk._("%(file)s, row %(line)s: two columns are named %(column)s")
                         % {"file": name, "line": first, "column": sorted(duplicates)[0]})
    return names


def read(rows: list[list[str]], name: str, config: dict) -> Table:
    """The data rows of an export under its (joined) header, with their source lines."""
    header_row = config.get("header_row", 1)
    header_rows = config.get("header_rows", 1)
    skip = set(config.get("skip_rows") or [])
    end = len(rows) - config.get("footer_rows", 0)
    if header_row + header_rows - 1 > len(rows):
        raise ValueError(tk._("%(file)s has no row %(line)s for its header")
                         % {"file": name, "line": header_row})
    header = _header(rows[header_row - 1:header_row - 1 + header_rows], name, header_row)
    totals = re.compile(config["totals"], re.IGNORECASE) if config.get("totals") else None
    body, lines = [], []
    for line in range(header_row + header_rows, end + 1):
        row = rows[line - 1]
        if line in skip or not any(row):
            continue
        first = next(c for c in row if c)
        if totals is not None and totals.search(first):
            continue
        extra = [i for i in range(len(header), len(row)) if row[i]]
        if extra or len(row) < len(header):
            raise ValueError(tk._("%(file)s, row %(line)s: %(cells)s cells where the header "
                                  "has %(header)s") % {"file": name, "line": line,
                                                       "cells": extra[-1] + 1 if extra
                                                       else len(row), "header": len(header)})
        body.append((row + [""] * len(header))[:len(header)])
        lines.append(line)
    used = [i for i, h in enumerate(header) if h or any(r[i] for r in body)]
    unnamed = [i for i in used if not header[i]]
    if unnamed:
        raise ValueError(tk._("%(file)s, column %(column)s: holds values but has no name in "
                              "the header") % {"file": name, "column": unnamed[0] + 1})
    frame = pd.DataFrame([[r[i] for i in used] for r in body],
                         columns=[header[i] for i in used], dtype="string").fillna("")
    return Table(frame, lines)


def is_total(row: dict[str, str], key: str) -> bool:
    """A row without key whose first filled cell reads like a total."""
    first = next((v for v in row.values() if v), "")
    return not row.get(key) and bool(re.search(DEFAULT_TOTALS, first, re.IGNORECASE))
