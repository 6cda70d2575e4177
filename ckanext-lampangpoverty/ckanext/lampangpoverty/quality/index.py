"""What the quality checks add to a record's search document: ``freshness`` (a facet and a
filter: ``fq=freshness:overdue``), ``quality_score`` (sortable: ``sort=quality_score desc``;
zero-padded text, which sorts like the number), ``quality_band`` (a facet) and
``vocab_quality_flags`` (``broken_link``, ``invalid_data``). Read from what the hooks and the daily
pass stored: indexing computes nothing."""
from __future__ import annotations

from typing import Any

from ..model import PackageQuality
from . import score, state


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    quality = PackageQuality.get(pkg_dict.get("id"))
    if quality is None:
        return pkg_dict
    pkg_dict["freshness"] = quality.freshness
    if quality.score is not None:
        pkg_dict["quality_score"] = f"{quality.score:03d}"
        pkg_dict["quality_band"] = score.band(quality.score)
    broken, invalid = state.flags(quality.parts)
    flags = [name for name, on in (("broken_link", broken), ("invalid_data", invalid)) if on]
    if flags:
        pkg_dict["vocab_quality_flags"] = flags
    return pkg_dict
