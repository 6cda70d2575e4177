"""Text tables: lines split at \\n, \\r\\n or \\r with a length limit, each line decoded as
UTF-8 or TIS-620/cp874 (UTF-16 when the file starts with its byte order mark), read as CSV
with the delimiter its first line uses (comma, tab, semicolon or bar)."""
from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Iterator
from typing import BinaryIO

from ..disclosure.table import TableError, _

_EOL = re.compile(rb"\r\n|\r|\n")
_DELIMITERS = (",", "\t", ";", "|")
CHUNK = 64 * 1024


def chunks(stream: BinaryIO) -> Iterator[bytes]:
    """The stream's bytes as UTF-8/TIS-620 text bytes: UTF-16 is re-encoded as UTF-8 and a
    UTF-8 byte order mark dropped."""
    first = stream.read(CHUNK)
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoder = codecs.getincrementaldecoder("utf-16")()
        yield decoder.decode(first).encode("utf-8")
        while chunk := stream.read(CHUNK):
            yield decoder.decode(chunk).encode("utf-8")
        yield decoder.decode(b"", final=True).encode("utf-8")
        return
    yield first.removeprefix(b"\xef\xbb\xbf")
    while chunk := stream.read(CHUNK):
        yield chunk


def lines(parts: Iterator[bytes], max_line: int, where: str) -> Iterator[bytes]:
    """Physical lines with their terminators; a line over ``max_line`` bytes is refused with
    its number (a 10 MB one-line file is not read into one string)."""
    buffer, number = b"", 0
    for part in parts:
        buffer += part
        start = 0
        while match := _EOL.search(buffer, start):
            if match.group() == b"\r" and match.end() == len(buffer):
                break                       # maybe the first half of \r\n
            number += 1
            if match.end() - start > max_line:
                raise _too_long(where, number, max_line)
            yield buffer[start:match.end()]
            start = match.end()
        buffer = buffer[start:]
        if len(buffer) > max_line:
            raise _too_long(where, number + 1, max_line)
    if buffer:
        yield buffer


def _too_long(where: str, row: int, limit: int) -> TableError:
    return TableError(where, _("a line is longer than %(limit)s bytes"), row=row,
                      params={"limit": limit})


class LineDecoder:
    """Decodes each line as UTF-8, else TIS-620. ``strict`` refuses a file mixing the two or
    with bytes that are neither (the gate reads one table exactly); otherwise every line is
    read as best it can be (the guard looks for identifiers in all of it)."""

    def __init__(self, where: str, strict: bool):
        self.where, self.strict = where, strict
        self.utf8_line: int | None = None
        self.tis_line: int | None = None

    def __call__(self, number: int, line: bytes) -> str:
        if line.isascii():
            return line.decode("ascii")
        try:
            text = line.decode("utf-8")
            self.utf8_line = self.utf8_line or number
        except UnicodeDecodeError:
            try:
                text = line.decode("cp874")
                self.tis_line = self.tis_line or number
            except UnicodeDecodeError:
                if self.strict:
                    raise TableError(self.where, _("unknown text encoding (neither UTF-8 nor "
                                                   "TIS-620)"), row=number) from None
                text = line.decode("utf-8", "replace")
        if self.strict and self.utf8_line and self.tis_line:
            raise TableError(self.where, _("mixed text encodings (UTF-8 and TIS-620 in one "
                                           "file)"), row=max(self.utf8_line, self.tis_line))
        return text


def delimiter(first_line: str) -> str:
    """The delimiter the header uses most, outside quotes (comma when none)."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def rows(stream: BinaryIO, where: str, max_line: int,
         strict: bool) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row ends, cells) for every row, the header included."""
    decode = LineDecoder(where, strict)
    text = (decode(number, line) for number, line in
            enumerate(lines(chunks(stream), max_line, where), start=1))
    first = next(text, None)
    if first is None:
        return
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter(first))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as e:
        raise TableError(where, _("not readable as CSV (%(error)s)"), row=reader.line_num + 1,
                         params={"error": str(e)}) from e
