"""Numeric sensitive values (income, debt, land, benefits) are never published exactly by
default: bottom and top coded at declared percentiles (outliers always fall beyond them), and
in between banded (default) or rounded. ``topcode`` keeps the values between the cut points
exact and is only ever the editor's explicit choice."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import pandas as pd

from .hierarchy import _fmt, _sig2, numbers
from .table import _

METHODS = ("bands", "round", "topcode")


@dataclass
class Coding:
    """What was done to one numeric column, for the report."""
    column: str
    method: str
    bottom: float | None                # values below are published as "<bottom"
    top: float | None                   # values at or above as "top+"
    bottom_percentile: float
    top_percentile: float
    cells_bottom: int = 0
    cells_top: int = 0
    edges: list[float] = field(default_factory=list)   # band edges (bands)
    message: str = _("%(column)s: values below %(bottom)s and from %(top)s up are coded "
                     "(percentiles %(bottom_percentile)s and %(top_percentile)s), %(method)s")


def is_numeric(values: pd.Series, share: float = 0.5) -> bool:
    """At least ``share`` of the cells are numbers, with enough distinct values to be a
    measurement (an income column with "n/a" in some cells is still an income)."""
    counts = values.astype("string").fillna("").str.strip().value_counts()
    counts = counts[counts.index != ""]
    if counts.empty:
        return False
    parsed = numbers(pd.Series(counts.index, dtype="string"))
    finite = np.isfinite(parsed)
    return bool(counts.to_numpy()[finite].sum() >= share * counts.sum()
                and pd.Series(parsed[finite]).nunique() > 10)


def _round2(a: float, up: bool) -> float:
    """``a`` rounded up or down to 2 significant digits."""
    if a == 0:
        return 0.0
    scale = 10.0 ** (np.floor(np.log10(abs(a))) - 1)
    return float((np.ceil if up else np.floor)(a / scale) * scale)


def _cut(ordered: np.ndarray, percentile: float, k: int, upper: bool) -> float:
    """The cut at a percentile, moved inward so that at least ``k`` values lie beyond it,
    rounded outward-safe to 2 significant digits (a cut is published in the labels)."""
    q = float(np.quantile(ordered, percentile / 100.0))
    if upper:  # at least k values >= cut
        return _round2(min(q, float(ordered[len(ordered) - k])), up=False)
    edge = float(ordered[k - 1])  # at least k values < cut
    cut = _round2(max(q, edge), up=True)
    while cut <= edge:
        cut = _round2(cut + abs(cut) * 0.01 + 1e-9, up=True)
    return cut


def code(column: str, values: pd.Series, *, method: str = "bands", bottom: float = 5.0,
         top: float = 95.0, bands: int = 5, k: int = 5) -> tuple[pd.Series, Coding]:
    """The published column and what was done. Empty cells stay empty; a word shared by at
    least ``k`` cells stays, rarer unparseable cells become "?"."""
    if method not in METHODS:
        method = "bands"
    v = numbers(values)
    ok = np.isfinite(v)
    text = values.astype("string").fillna("").str.strip()
    # Words in a numeric column ("n/a", "ไม่ทราบ") stay when at least k cells share them.
    counts = text.map(text.value_counts())
    out = np.where((text.to_numpy() == "") | (counts.to_numpy() >= k), text.to_numpy(),
                   "?").astype(object)
    coding = Coding(column, method, None, None, bottom, top)
    if ok.sum() == 0:
        return pd.Series(out, index=values.index, dtype="string"), coding
    ordered = np.sort(v[ok])
    k = max(1, min(k, len(ordered) // 2))
    low, high = _cut(ordered, bottom, k, False), _cut(ordered, top, k, True)
    low = min(high, low)
    coding.bottom, coding.top = low, high
    under, over = ok & (v < low), ok & (v >= high)
    coding.cells_bottom, coding.cells_top = int(under.sum()), int(over.sum())
    out[under] = f"<{_fmt(low)}"
    out[over] = f"{_fmt(high)}+"
    inner = ok & ~under & ~over
    if method == "topcode":
        out[inner] = [_fmt(x) for x in v[inner]]
    elif method == "round":
        out[inner] = [_fmt(x) for x in _sig2(v[inner])]
    else:
        edges = _band_edges(v[inner], low, high, bands)
        coding.edges = edges
        i = np.searchsorted(edges, v[inner], side="right") - 1
        labels = np.array([f"{_fmt(a)}-<{_fmt(b)}" for a, b in pairwise(edges)],
                          dtype=object)
        out[inner] = labels[np.clip(i, 0, len(labels) - 1)] if len(labels) else f"{_fmt(low)}"
    return pd.Series(out, index=values.index, dtype="string"), coding


def _band_edges(inner: np.ndarray, low: float, high: float, bands: int) -> list[float]:
    """Edges from ``low`` to ``high`` at the inner values' quantiles, 2 significant digits."""
    if not inner.size:
        return [low, high]
    qs = np.quantile(inner, np.linspace(0, 1, bands + 1)[1:-1])
    return sorted({low, high, *(float(x) for x in _sig2(qs) if low < x < high)})
