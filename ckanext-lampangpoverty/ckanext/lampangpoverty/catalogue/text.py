"""Free text of records as readers meet it: a recommendation text as a list of points."""
from __future__ import annotations

import itertools
import re

# "1. ", "2) ", "(3) ", "- ", "* ", "• " at the start of a point
_MARKER = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|[-*•])\s+")
_NUMBERED = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s+")
_TRANSLATION = re.compile(r"\s+/\s+")


def points(text: str | None) -> list[str]:
    """The points of a text: one per line, or, for text on one line (YAML folding, a form
    without line breaks), split at its numbers ("1. … 2. …") when it has two or more; an
    English rendering after " / " becomes a point of its own. Markers are dropped."""
    if not text or not text.strip():
        return []
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1:
        one = lines[0]
        starts = [m.start() for m in _NUMBERED.finditer(one)]
        if len(starts) >= 2:
            bounds = [0, *starts[1:], len(one)]
            lines = [one[a:b] for a, b in itertools.pairwise(bounds)]
    out: list[str] = []
    for line in lines:
        parts = _TRANSLATION.split(line, maxsplit=1) if out or len(lines) > 1 else [line]
        out.extend(_MARKER.sub("", p).strip() for p in parts if p.strip())
    return [p for p in out if p]
