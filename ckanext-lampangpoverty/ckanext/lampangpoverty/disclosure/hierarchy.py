"""Generalisation hierarchies of quasi-identifiers: for each column the levels a release may
publish it at (age: exact, 5, 10, 20-year bands; tambon -> amphoe -> province; household size
capped, grouped; dates -> month -> year; numbers rounded, banded; categories with rare ones
merged), always ending in full suppression (``*``).

A hierarchy is built once per column over its distinct values: every level maps each distinct
value to a group, and each level's groups nest in the next level's (forced, so the lattice
search can roll classes up from any lower level). Information loss is Iyengar's loss metric
(LM): a cell generalised to a group of g of the column's d distinct values loses
(g - 1) / (d - 1); a suppressed cell loses 1.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .table import _

SUPPRESSED = "*"
KINDS = ("age", "area", "household_size", "date", "numeric", "categorical")

# Level names are message ids: the report and the form show them translated.
LEVELS = {
    "age": (_("exact age"), _("5-year bands"), _("10-year bands"), _("20-year bands")),
    "area": (_("tambon"), _("amphoe"), _("province")),
    "household_size": (_("exact size"), _("capped at 6+"), _("groups 1-2, 3-4, 5+")),
    "date": (_("exact date"), _("month"), _("year")),
    "numeric": (_("exact value"), _("2 significant digits"), _("10 bands"), _("4 bands")),
    "categorical": (_("exact"), _("rare categories merged")),
}
SUPPRESSED_LEVEL = _("suppressed")
OTHER = _("(other)")
_DATE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}))")


@dataclass
class Hierarchy:
    column: str
    kind: str
    levels: list[str]                 # level names (message ids); the last is "suppressed"
    base: np.ndarray                  # every record's distinct-value index (int32)
    maps: list[np.ndarray]            # per level: group of each distinct value (int32)
    labels: list[list[str]]           # per level: the published label of each group
    cell_loss: list[np.ndarray]       # per level: LM loss of each group
    loss: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per level: mean cell loss
    values: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))  # distinct

    @property
    def top(self) -> int:
        return len(self.levels) - 1

    def cardinality(self, level: int) -> int:
        return len(self.labels[level])

    def codes(self, level: int) -> np.ndarray:
        return self.maps[level][self.base]

    def trans(self, low: int, high: int) -> np.ndarray:
        """Group at ``high`` of each group at ``low`` (levels nest, so this is a function)."""
        out = np.zeros(self.cardinality(low), dtype=np.int32)
        out[self.maps[low]] = self.maps[high]
        return out

    def publish(self, level: int) -> np.ndarray:
        """The published label of every record at ``level``."""
        return np.asarray(self.labels[level], dtype=object)[self.codes(level)]

    def published(self, level: int, suppressed: np.ndarray) -> pd.Categorical:
        """The column as published at ``level``, ``suppressed`` records as ``*``."""
        labels = list(self.labels[level])
        codes = self.codes(level).copy()
        if suppressed.any():
            if SUPPRESSED not in labels:
                labels.append(SUPPRESSED)
            codes[suppressed] = labels.index(SUPPRESSED)
        return pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object))

    def recoded(self, level: int) -> np.ndarray:
        """Whether each record's published label differs from its value."""
        label = np.asarray(self.labels[level], dtype=object)[self.maps[level]]
        return (label != self.values)[self.base]

    def erased(self, level: int) -> bool:
        """One value left where the table had several (a constant column is not erased)."""
        return self.cardinality(level) <= 1 < self.cardinality(0)

    def level_of(self, name: str | int) -> int:
        """A level given by name, index or (for compatibility) band width such as "10"."""
        if isinstance(name, int) or str(name).isdigit():
            number = int(name)
            if self.kind == "age" and number in (5, 10, 20):
                name = f"{number}-year bands"
            else:
                return max(0, min(number, self.top))
        if name in self.levels:
            return self.levels.index(name)
        # A level this table does not have (it grouped the same as the one below, which
        # was kept): the highest kept level of the kind's list below the one named.
        order = [*list(LEVELS.get(self.kind, ())), SUPPRESSED_LEVEL]
        wanted = order.index(name) if name in order else 0
        kept = [i for i, level in enumerate(self.levels)
                if level in order and order.index(level) <= wanted]
        return max(kept) if kept else 0


def numbers(values: pd.Series | np.ndarray) -> np.ndarray:
    text = pd.Series(values, dtype="string").str.replace(",", "", regex=False).str.strip()
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _band(v: np.ndarray, width: int, top: int) -> list:
    out: list[str | None] = []
    for a in v:
        if np.isnan(a):
            out.append(None)
        elif a >= top:
            out.append(f"{top}+")
        else:
            low = int(a // width * width)
            out.append(f"{low}-{low + width - 1}")
    return out


def _age(values: np.ndarray) -> list[list]:
    v = numbers(values)
    return [list(values), _band(v, 5, 85), _band(v, 10, 80), _band(v, 20, 60)]


def _area(values: np.ndarray) -> list[list]:
    text = [str(x).strip() for x in values]
    def prefix(n: int) -> list:
        return [t[:n] if t.isdigit() and len(t) in (2, 4, 6) and len(t) >= n else None
                for t in text]
    return [list(values), prefix(4), prefix(2)]


def _household_size(values: np.ndarray) -> list[list]:
    v = numbers(values)
    capped = [None if np.isnan(a) else ("6+" if a >= 6 else str(int(a))) for a in v]
    groups = [None if np.isnan(a) else ("1-2" if a <= 2 else "3-4" if a <= 4 else "5+")
              for a in v]
    return [list(values), capped, groups]


def _date(values: np.ndarray) -> list[list]:
    months: list[str | None] = []
    years: list[str | None] = []
    for x in values:
        m = _DATE.match(str(x))
        if not m:
            months.append(None)
            years.append(None)
            continue
        year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(6), m.group(5))
        months.append(f"{year}-{int(month):02d}")
        years.append(year)
    return [list(values), months, years]


def _sig2(a: np.ndarray | float) -> np.ndarray:
    """Rounded to 2 significant digits (vectorised; 0 and NaN stay)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 10.0 ** (np.floor(np.log10(np.abs(a))) - 1)
        out = np.round(a / scale) * scale
    return np.where((a == 0) | np.isnan(a), a, out)


def _fmt(a: float) -> str:
    return f"{a:.0f}" if abs(a) >= 100 or a == int(a) else f"{a:g}"


def _numeric(values: np.ndarray, counts: np.ndarray) -> list[list]:
    v = numbers(values)
    rounded = _sig2(v)
    ok = ~np.isnan(rounded)
    def bands(quantiles: list[float]) -> list:
        if not ok.any():
            return [None] * len(v)
        weights = np.repeat(rounded[ok], counts[ok])
        edges = sorted({float(q) for q in _sig2(np.quantile(weights, quantiles))})
        out: list[str | None] = []
        for a in rounded:
            if np.isnan(a):
                out.append(None)
                continue
            i = int(np.searchsorted(edges, a, side="right"))
            out.append(f"<{_fmt(edges[0])}" if i == 0 else f"{_fmt(edges[-1])}+"
                       if i == len(edges) else f"{_fmt(edges[i - 1])}-<{_fmt(edges[i])}")
        return out
    tenths = [i / 10 for i in range(1, 10)]
    return [list(values), [None if np.isnan(a) else _fmt(a) for a in rounded],
            bands(tenths), bands([0.2, 0.5, 0.8])]


def _categorical(values: np.ndarray, counts: np.ndarray) -> list[list]:
    # Categories under 5% of the records are merged; the most frequent one always stays.
    share = counts / max(1, counts.sum())
    keep = share >= 0.05
    keep[int(np.argmax(counts))] = True
    return [list(values), [x if k else OTHER for x, k in zip(values, keep, strict=False)]]


def guess_kind(name: str, values: pd.Series) -> str:
    """The hierarchy a column's header and contents suggest (Thai or English header). Looks
    at distinct values, weighted by how often they occur."""
    header = str(name).strip().lower()
    counts = values.astype("string").fillna("").str.strip().value_counts()
    counts = counts[counts.index != ""]
    if counts.empty:
        return "categorical"
    text = pd.Series(counts.index, dtype="string")
    w = counts.to_numpy() / counts.sum()
    def share(mask) -> float:
        return float((np.asarray(mask, dtype=bool) * w).sum())
    parsed = numbers(text)
    if re.search(r"(อายุ|(^|[_\s])age($|[_\s(]))", header) and share(np.isfinite(parsed)) > 0.9:
        return "age"
    if share(text.str.fullmatch(r"[1-9]\d(\d\d){0,2}").fillna(False)) > 0.95:
        return "area"
    if re.search(r"(ขนาดครัวเรือน|จำนวนสมาชิก|household.?size|hh.?size|members)", header):
        return "household_size"
    if share(text.str.match(_DATE).fillna(False)) > 0.9:
        return "date"
    if share(np.isfinite(parsed)) > 0.95 and len(text) > 20:
        return "numeric"
    return "categorical"


def _nest(raw_levels: list[list], names: list[str], original: np.ndarray):
    """Dense group codes per level, forced to nest, identical levels dropped; the top level
    (everything suppressed) appended. Returns maps, labels and the kept levels' names."""
    maps: list[np.ndarray] = []
    labels: list[list[str]] = []
    kept: list[str] = []
    for j, raw in enumerate(raw_levels):
        filled = [r if r is not None else ("?" if str(o).strip() else "")
                  for r, o in zip(raw, original, strict=False)]
        codes, uniques = pd.factorize(pd.Series(filled, dtype=object), sort=False)
        codes = codes.astype(np.int32)
        if maps:  # a group of the previous level goes wholly where its first value goes
            prev = maps[-1]
            first = np.full(prev.max() + 1, -1, dtype=np.int64)
            order = np.arange(len(prev))[::-1]
            first[prev[order]] = order
            codes = codes[first][prev]
            dense, inv = np.unique(codes, return_inverse=True)
            uniques = np.asarray(uniques, dtype=object)[dense]
            codes = inv.astype(np.int32)
            if len(dense) == len(labels[-1]):
                continue  # the same partition as the level below: no new level
            if len(dense) == 1:
                break  # one group for everybody: the same as suppression
        maps.append(codes)
        labels.append([str(u) for u in uniques])
        kept.append(names[j])
        if j == 0 and len(labels[0]) <= 1:
            break
    maps.append(np.zeros(len(original), dtype=np.int32))
    labels.append([SUPPRESSED])
    return maps, labels, [*kept, SUPPRESSED_LEVEL]


def build(column: str, values: pd.Series, kind: str | None = None) -> Hierarchy:
    """The hierarchy of one column (``kind`` guessed from header and contents when None)."""
    kind = kind or guess_kind(column, values)
    text = values.astype("string").fillna("").str.strip()
    base, uniques = pd.factorize(text, sort=False)
    base = base.astype(np.int32)
    original = np.asarray(uniques, dtype=object)
    counts = np.bincount(base, minlength=len(original))
    raw = {"age": lambda: _age(original), "area": lambda: _area(original),
           "household_size": lambda: _household_size(original), "date": lambda: _date(original),
           "numeric": lambda: _numeric(original, counts),
           "categorical": lambda: _categorical(original, counts)}[kind]()
    names = list(LEVELS[kind])
    if kind == "area":  # level 0 is named after what the codes are: tambon, amphoe, province
        lengths = pd.Series([len(str(v)) for v in original]).mode()
        names[0] = {4: _("amphoe"), 2: _("province")}.get(int(lengths.iloc[0]) if len(lengths)
                                                           else 6, names[0])
    maps, labels, names = _nest(raw, names, original)
    d = len(original)
    cell_loss, loss = [], []
    for m in maps:
        group_size = np.bincount(m)
        cl = (group_size - 1) / (d - 1) if d > 1 else np.zeros(len(group_size))
        cell_loss.append(cl.astype(float))
        loss.append(float((cl[m] * counts).sum() / max(1, counts.sum())))
    cell_loss[-1] = np.ones(1) if d > 1 else np.zeros(1)
    loss[-1] = 1.0 if d > 1 else 0.0
    return Hierarchy(column, kind, names, base, maps, labels, cell_loss,
                     np.array(loss), original)
