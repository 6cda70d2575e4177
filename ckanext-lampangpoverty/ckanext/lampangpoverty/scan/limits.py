"""The bounds every reading works within: unpacked bytes, rows, line length, archive members
and depth, and (for scans inside a web request) seconds."""
from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import BinaryIO

from ..disclosure.table import TableError, _


@dataclass(frozen=True)
class Limits:
    max_unpacked: int            # bytes of content read, every member and decompression counted
    max_rows: int                # rows of one table (a sheet, a CSV, a JSON list)
    max_line: int                # bytes of one line of text
    max_members: int = 10000     # files inside archives, all levels together
    max_depth: int = 4           # archives inside archives
    seconds: float | None = None  # wall-clock budget; None: no deadline


class Exceeded(Exception):
    """A bound of this reading was reached: the content is larger (or slower) than it may
    take. ``what`` is bytes, rows, members, depth or seconds."""

    def __init__(self, where: str, what: str, limit: float):
        super().__init__(f"{where}: more than {limit} {what}")
        self.where, self.what, self.limit = where, what, limit

    def as_error(self) -> TableError:
        messages = {
            "bytes": _("more than %(limit)s MB once unpacked"),
            "rows": _("more than %(limit)s rows"),
            "members": _("more than %(limit)s files in the archive"),
            "depth": _("archives nested more than %(limit)s deep"),
            "seconds": _("reading took more than %(limit)s seconds"),
        }
        limit = f"{self.limit / 1024 ** 2:.3g}" if self.what == "bytes" else self.limit
        return TableError(self.where, messages[self.what], params={"limit": limit})


class Budget:
    """What a reading has used so far, against its limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.used = 0
        self.members = 0
        self.deadline = (time.monotonic() + limits.seconds) if limits.seconds else None

    def take(self, size: int, where: str) -> None:
        self.used += size
        if self.used > self.limits.max_unpacked:
            raise Exceeded(where, "bytes", self.limits.max_unpacked)
        self.tick(where)

    def tick(self, where: str) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise Exceeded(where, "seconds", self.limits.seconds or 0)

    def member(self, where: str) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise Exceeded(where, "members", self.limits.max_members)


class Metered(io.RawIOBase):
    """A stream whose every byte read is taken from the budget (decompressed data included,
    so an archive bomb stops at the limit instead of filling memory or disk)."""

    def __init__(self, inner: BinaryIO, budget: Budget, where: str):
        self.inner, self.budget, self.where = inner, budget, where

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(len(buffer))
        self.budget.take(len(data), self.where)
        buffer[:len(data)] = data
        return len(data)


def read_all(stream: BinaryIO, budget: Budget, where: str) -> bytes:
    """All of a stream, within the budget."""
    chunks = []
    while chunk := stream.read(1024 * 1024):
        budget.take(len(chunk), where)
        chunks.append(chunk)
    return b"".join(chunks)
