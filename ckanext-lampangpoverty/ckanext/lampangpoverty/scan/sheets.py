"""Spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) read with calamine, every sheet. A zip-based
workbook is first unpacked once through Python's zipfile, which stops at each member's
declared size and checks its CRC, so a workbook inflating to gigabytes of XML is refused at
the unpacked-bytes limit before the sheet reader sees it."""
from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator

import python_calamine

from ..disclosure.table import TableError, _
from .limits import Budget, Exceeded


def verify_zip(archive: zipfile.ZipFile, budget: Budget, where: str) -> None:
    """Unpack every member within the budget (its real size, not the size it claims)."""
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise TableError(where, _("the file is encrypted"))
        try:
            with archive.open(info) as member:
                while chunk := member.read(1024 * 1024):
                    budget.take(len(chunk), where)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as e:
            raise TableError(where, _("a damaged archive (%(error)s)"),
                             params={"error": str(e)}) from e


def cell_text(value: object) -> str:
    """A cell as the text a person reads: 45 not 45.0, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def workbook(data: bytes, where: str) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as e:  # calamine raises its own error types, and ValueError
        raise TableError(where, _("not a readable spreadsheet (%(error)s)"),
                         params={"error": type(e).__name__}) from e


def sheets(data: bytes, where: str, budget: Budget,
           max_rows: int) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    """Each sheet's name and its non-empty rows as (1-based row number, cells)."""
    book = workbook(data, where)
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception as e:  # a chart sheet or a damaged one
            raise TableError(where, _("sheet %(sheet)s cannot be read (%(error)s)"),
                             params={"sheet": name, "error": type(e).__name__}) from e
        if sheet.height > max_rows + 1:
            raise Exceeded(f"{where} ({name})", "rows", max_rows)
        yield name, _rows(sheet, f"{where} ({name})", budget)


def _rows(sheet: python_calamine.CalamineSheet, where: str,
          budget: Budget) -> Iterator[tuple[int, list[str]]]:
    first = sheet.start[0] + 1 if sheet.start else 1
    for number, row in enumerate(sheet.iter_rows(), start=first):
        cells = [cell_text(v) for v in row]
        if number % 1000 == 0:
            budget.tick(where)
        if any(c.strip() for c in cells):
            yield number, cells
