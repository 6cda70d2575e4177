"""Reading partner tables (CSV in UTF-8, UTF-8 with BOM or TIS-620/cp874; XLSX) into a
DataFrame of strings, and writing releases that no spreadsheet will run as formulas.

Every refusal is a :class:`TableError` naming the file and, where there is one, the row and
column: nothing is half-read."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters spreadsheets also read as the start of a formula: full-width and small forms of
# = + - @ (Excel and LibreOffice normalise them), the minus sign and other dashes.
_LOOKALIKES = frozenset("\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\ufe6b\u2212\u2012\u2013"
                        "\u2014\u2015\u207a\u207b\u208a\u208b\u2795\u2796")
# Leading characters a spreadsheet skips before it sees the formula.
_SKIPPED = (" \t\r\n\u00a0\u3000\u200b\ufeff"
            "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _(message: str) -> str:
    """Marks a message for the translation catalogue; it is translated when shown."""
    return message


def translate(message: str) -> str:
    """The platform sets this to CKAN's gettext (``set_translator``); plain English here."""
    return message


def set_translator(function) -> None:
    global translate
    translate = function


def _translated(message: str) -> str:
    try:
        return translate(message)
    except RuntimeError:  # no request or app context (a bare script): English
        return message


def render(message: str, params: dict | None = None,
           translate: list[str] | tuple[str, ...] = ()) -> str:
    """A message id in the current language, filled in with ``params``; the params named in
    ``translate`` (level, method and measure names) are message ids too."""
    # Whole numbers stored as floats (cuts, percentiles) read as whole numbers: 9300, not 9300.0.
    values: dict[str, Any] = {k: int(v) if isinstance(v, float) and v.is_integer() else v
                              for k, v in (params or {}).items()}
    for name in translate:
        value = values.get(name)
        if isinstance(value, str):
            values[name] = _translated(value)
    return _translated(message) % values


@dataclass
class TableError(Exception):
    file: str
    message: str                # an English msgid, with %(name)s placeholders
    row: int | None = None      # 1-based line of the file (the header is line 1)
    column: str | None = None
    params: dict | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(_translated(_("row %(row)s")) % {"row": self.row})
        if self.column is not None:
            where.append(_translated(_("column %(column)s")) % {"column": self.column})
        return f"{', '.join(where)}: {_translated(self.message) % (self.params or {})}"


def decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), or TIS-620/cp874. Each line is classified: a file whose
    non-ASCII lines are all UTF-8, or all TIS-620, is read; a file mixing them, or with bytes
    that are neither, is refused with the first line that does not fit."""
    if b"\x00" in raw[:4096]:
        raise TableError(name, _("not a text table (binary content)"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    utf8_line = tis_line = None
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            try:
                line.decode("cp874")
            except UnicodeDecodeError:
                raise TableError(name, _("unknown text encoding (neither UTF-8 nor TIS-620)"),
                                 row=number) from None
            tis_line = tis_line or number
        if utf8_line and tis_line:
            raise TableError(name, _("mixed text encodings (UTF-8 and TIS-620 in one file)"),
                             row=max(utf8_line, tis_line))
    return raw.decode("cp874" if tis_line else "utf-8")


def read_csv(raw: bytes, name: str) -> pd.DataFrame:
    text = decode(raw, name)
    if not text.strip():
        raise TableError(name, _("the file is empty"))
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    if len(header) < 2 and not any("," in r for r in text.splitlines()[:2]):
        raise TableError(name, _("not a table: one column only, no comma-separated header"))
    blank = [i for i, h in enumerate(header) if not h.strip()]
    if blank:
        raise TableError(name, _("a column has no name in the header"), row=1,
                         column=str(blank[0] + 1))
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise TableError(name, _("two columns share one name"), row=1, column=dup)
    body = [r for r in rows[1:] if r]
    for line, row in enumerate(rows[1:], start=2):
        if row and len(row) != len(header):
            raise TableError(name, _("%(cells)s cells where the header has %(header)s"),
                             row=line, params={"cells": len(row), "header": len(header)})
    if not body:
        raise TableError(name, _("the table has a header but no rows"))
    return pd.DataFrame(body, columns=header, dtype="string")


def read_xlsx(raw: bytes, name: str) -> pd.DataFrame:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:
        raise TableError(name, _("not a readable XLSX workbook (%(error)s)"),
                         params={"error": type(e).__name__}) from e
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(r for r in rows if any(c.strip() for c in r))
    return read_csv(buffer.getvalue().encode("utf-8"), name)


def too_large(name: str, size: str, limit: int) -> TableError:
    """The refusal of a table over ``limit`` bytes (``size``: its size in GB, as shown)."""
    return TableError(name, _("%(size)s GB is larger than the %(limit)s GB limit"),
                      params={"size": size, "limit": f"{limit / 1024 ** 3:.3g}"})


def read_table(path: Path | str, name: str | None = None, *,
               max_bytes: int | None = None) -> pd.DataFrame:
    """A stored table; one larger than ``max_bytes`` is refused before it is read."""
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise too_large(name, f"{size / 1024 ** 3:.1f}", max_bytes)
    return read_bytes(path.read_bytes(), name)


def read_bytes(raw: bytes, name: str) -> pd.DataFrame:
    """A table from its bytes: XLSX when it is a zip or named so, CSV otherwise."""
    if raw[:2] == b"PK" or name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(raw, name)
    return read_csv(raw, name)


def check_roles(df: pd.DataFrame, roles: dict[str, str], name: str) -> None:
    """Every role names a column of the table."""
    for column in roles:
        if column not in df.columns:
            raise TableError(name, _("a role is given for a column the table does not have"),
                             column=column)


def safe_cell(value: object) -> str:
    """A cell that a spreadsheet shows as text: one that starts with =, +, -, @, tab or CR,
    or a full-width or other look-alike of them, also after leading spaces, gets a leading
    apostrophe, except a plain number such as -12.5."""
    text = "" if value is None or value is pd.NA else str(value)
    if _PLAIN_NUMBER.match(text):
        return text
    start = text.lstrip(_SKIPPED)
    if text.startswith(_FORMULA_START) or (start[:1] and (
            start[0] in _FORMULA_START or start[0] in _LOOKALIKES)):
        return "'" + text
    return text


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8 with BOM (Excel opens Thai correctly), formula-safe cells."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([safe_cell(c) for c in df.columns])
        for row in df.itertuples(index=False):
            writer.writerow([safe_cell(v) for v in row])
