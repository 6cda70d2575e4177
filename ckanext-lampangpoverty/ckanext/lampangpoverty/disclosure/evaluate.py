"""Evaluation of one node of the generalisation lattice (one level per quasi-identifier): the
equivalence classes it makes, the records that must be suppressed for k and l, the global
risk, the household risk, and the information lost.

Records are held as a compressed frame (distinct rows of quasi-identifier and sensitive codes,
with their counts); a node is evaluated by rolling up the smallest frame already computed at a
node below it (ARX's roll-up), so nodes high in the lattice cost little.

Suppression rule, shared with the tests' independent re-implementation: the records of every
class with fewer than ``k`` records or fewer than ``l`` distinct values of a sensitive
attribute have all their quasi-identifiers suppressed; suppressed records form one class. If
that class is itself smaller than ``k`` or not l-diverse, whole passing classes are added to
it, smallest first (ties: the class whose first record comes first), until it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .hierarchy import Hierarchy
from .measure import dense, household_classes

DENSE_LIMIT = 1 << 24


@dataclass(frozen=True)
class Criteria:
    k: int                      # smallest class: max(k, ceil(1 / max_risk))
    l: int
    global_risk: float          # the release's mean risk must stay below this
    household_k: int = 0        # smallest household composition class; 0: not gated
    budget: float = 0.02        # share of records (and of households) that may be suppressed


@dataclass
class Frame:
    """Records grouped by their quasi-identifier codes at ``levels``; for each sensitive
    attribute, the distinct (row, value) pairs (l-diversity needs presence, not counts)."""
    levels: tuple[int, ...]
    codes: list[np.ndarray]     # per quasi-identifier: each row's code at ``levels``
    weight: np.ndarray          # records per row
    first: np.ndarray           # first record of each row (rows are in this order)
    pairs: list[tuple[np.ndarray, np.ndarray]]  # per sensitive attribute: rows, values


@dataclass
class Evaluation:
    node: tuple[int, ...]
    failing: int                # records in classes that miss k or l
    suppressed: int = 0         # records suppressed (failing plus padding)
    classes: int = 0            # classes of the release (the suppressed records are one)
    k: int = 0
    l: dict[int, int] = field(default_factory=dict)
    global_risk: float = 1.0
    unlinked: int = 0           # households whose key is removed
    household_risk: float | None = None
    genloss: float = 0.0
    loss: float = 1.0
    erased: int = 0
    feasible: bool = False
    reason: str = ""            # the first criterion missed

    @property
    def objective(self) -> float:
        """Fewest erased columns first, then least loss (loss <= 1)."""
        return 2.0 * self.erased + self.loss


def distinct(key: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array (sorting: faster here than hashing)."""
    a = np.sort(key)
    return a[np.r_[True, a[1:] != a[:-1]]] if a.size else a


def first_rows(cid: np.ndarray, classes: int) -> np.ndarray:
    """The first row of each class."""
    out = np.full(classes, len(cid), dtype=np.int64)
    np.minimum.at(out, cid, np.arange(len(cid)))
    return out


def _combine(columns: list[np.ndarray], cards: list[int], weight: np.ndarray):
    """Dense class ids (ordered by the classes' codes) and class sizes."""
    rows = len(weight)
    key = np.zeros(rows, dtype=np.int64)
    span = 1
    for col, card in zip(columns, cards, strict=False):
        if card <= 1:
            continue
        if span * card >= 1 << 62:
            key = dense(key)
            span = int(key.max()) + 1 if rows else 1
        key *= card
        key += col
        span *= card
    if span <= max(4 * rows, 1 << 16) and span <= DENSE_LIMIT:
        sizes = np.bincount(key, weights=weight, minlength=span)
        present = sizes > 0
        rank = np.cumsum(present) - 1
        return rank[key], sizes[present].astype(np.int64)
    cid = dense(key)
    return cid, np.bincount(cid, weights=weight).astype(np.int64)


class Diversity:
    """Which values of one sensitive attribute each class holds."""

    def __init__(self, cid: np.ndarray, values: np.ndarray, card: int, classes: int) -> None:
        self.card = max(card, 1)
        if classes * self.card <= DENSE_LIMIT:
            pres = np.bincount(cid * self.card + values, minlength=classes * self.card) > 0
            self.matrix: np.ndarray | None = pres.reshape(classes, self.card)
            self.distinct = self.matrix.sum(axis=1)
        else:
            self.matrix = None
            self.pairs = distinct(cid.astype(np.int64) * self.card + values)
            self.distinct = np.bincount(self.pairs // self.card, minlength=classes)

    def values(self, chosen: np.ndarray) -> set[int]:
        """The values held by the classes in ``chosen`` (a boolean mask)."""
        if self.matrix is not None:
            return set(np.flatnonzero(self.matrix[chosen].any(axis=0)).tolist())
        keep = chosen[self.pairs // self.card]
        return set(np.unique(self.pairs[keep] % self.card).tolist())

    def of_class(self, c: int) -> list[int]:
        if self.matrix is not None:
            return np.flatnonzero(self.matrix[c]).tolist()
        lo, hi = np.searchsorted(self.pairs, [c * self.card, (c + 1) * self.card])
        return (self.pairs[lo:hi] % self.card).tolist()


class Evaluator:
    """Evaluates nodes of one table's lattice, caching frames and results."""

    def __init__(self, hierarchies: list[Hierarchy], sensitive: list[np.ndarray],
                 criteria: Criteria, household: np.ndarray | None = None, *,
                 n: int | None = None) -> None:
        self.h = hierarchies
        self.m, self.criteria = len(hierarchies), criteria
        self.n = n if n is not None else len(hierarchies[0].base)
        self.sens_cards = [int(s.max()) + 1 if len(s) else 1 for s in sensitive]
        self.household = household
        self.snapshots = True       # the search turns this off where frames would go unused
        self.cache: dict[tuple[int, ...], Evaluation] = {}
        self.work = 0
        if hierarchies:
            codes = np.column_stack([h.codes(0) for h in hierarchies])
            self.inverse = pd.DataFrame(codes).groupby(list(range(self.m)), sort=False) \
                .ngroup().to_numpy()
        else:
            codes = np.zeros((self.n, 0), dtype=np.int32)
            self.inverse = np.zeros(self.n, dtype=np.int64)
        first = first_rows(self.inverse, int(self.inverse.max()) + 1 if self.n else 0)
        pairs = []
        for values, card in zip(sensitive, self.sens_cards, strict=False):
            key = distinct(self.inverse.astype(np.int64) * card + values)
            pairs.append((key // card, key % card))
        self.base = Frame(tuple([0] * self.m),
                          [np.ascontiguousarray(codes[first, i]) for i in range(self.m)],
                          np.bincount(self.inverse).astype(np.int64), first, pairs)
        self.frames = [self.base]
        self._trans: dict[tuple[int, int, int], np.ndarray] = {}

    def genloss(self, node: tuple[int, ...]) -> float:
        return float(sum(h.loss[j] for h, j in zip(self.h, node, strict=False)) / max(1, self.m))

    def erased(self, node: tuple[int, ...]) -> int:
        return sum(h.erased(j) for h, j in zip(self.h, node, strict=False))

    def _source(self, node: tuple[int, ...]) -> Frame:
        fits = [f for f in self.frames if all(a <= b for a, b in zip(f.levels, node, strict=False))]
        return min(fits, key=lambda f: len(f.weight))

    def _columns(self, frame: Frame, node: tuple[int, ...]) -> list[np.ndarray]:
        out = []
        for i, (h, low, high) in enumerate(zip(self.h, frame.levels, node, strict=False)):
            if low == high:
                out.append(frame.codes[i])
                continue
            key = (i, low, high)
            if key not in self._trans:
                self._trans[key] = h.trans(low, high)
            out.append(self._trans[key][frame.codes[i]])
        return out

    def classes(self, node: tuple[int, ...], frame: Frame | None = None):
        """Class id of each row of ``frame`` (the smallest usable one by default), the class
        sizes, the sensitive diversity per class, and the frame and columns used."""
        frame = frame or self._source(node)
        cols = self._columns(frame, node)
        cid, sizes = _combine(cols, [h.cardinality(j) for h, j in zip(self.h, node, strict=False)],
                              frame.weight)
        div = [Diversity(cid[rows], values, card, len(sizes))
               for (rows, values), card in zip(frame.pairs, self.sens_cards, strict=False)]
        self.work += len(frame.weight) * (self.m + 1) + sum(len(r) for r, _ in frame.pairs)
        return cid, sizes, div, frame, cols

    def failing(self, sizes: np.ndarray, div: list[Diversity]) -> np.ndarray:
        fail = sizes < self.criteria.k
        for d in div:
            fail |= d.distinct < self.criteria.l
        return fail

    def pad(self, cid: np.ndarray, sizes: np.ndarray, div: list[Diversity], fail: np.ndarray,
            frame: Frame) -> np.ndarray | None:
        """The classes to suppress: the failing ones, plus whole passing classes (smallest
        first, then by first record) until the suppressed group meets k and l; None if even
        all classes do not."""
        chosen = fail.copy()
        total = int(sizes[chosen].sum())
        present = [d.values(chosen) for d in div]
        def ok() -> bool:
            return total == 0 or (total >= self.criteria.k
                                  and all(len(p) >= self.criteria.l for p in present))
        if ok():
            return chosen
        idx = first_rows(cid, len(sizes))
        for c in np.lexsort((frame.first[idx], sizes)):
            if chosen[c]:
                continue
            chosen[c] = True
            total += int(sizes[c])
            for p, d in zip(present, div, strict=False):
                p.update(d.of_class(c))
            if ok():
                return chosen
        return None

    def evaluate(self, node: tuple[int, ...]) -> Evaluation:
        if node in self.cache:
            return self.cache[node]
        cid, sizes, div, frame, cols = self.classes(node)
        fail = self.failing(sizes, div)
        ev = Evaluation(node, int(sizes[fail].sum()), genloss=self.genloss(node),
                        erased=self.erased(node))
        ev.loss = ev.genloss
        self.cache[node] = ev
        if self.snapshots and len(sizes) <= len(frame.weight) // 4:
            self._snapshot(node, frame, cols, cid, len(sizes))
        if ev.failing > self.criteria.budget * self.n:
            ev.reason = "suppression"
            return ev
        chosen = self.pad(cid, sizes, div, fail, frame)
        if chosen is None:
            ev.reason = "suppressed_group"
            return ev
        self._measure(ev, cid, sizes, div, chosen, frame, cols)
        if ev.suppressed > self.criteria.budget * self.n:
            ev.reason = "suppression"
        elif not ev.global_risk < self.criteria.global_risk:
            ev.reason = "global_risk"
        elif self.criteria.household_k and self.household is not None \
                and not self._households(ev, chosen):
            ev.reason = "household_risk"
        else:
            ev.feasible = True
        return ev

    def _measure(self, ev: Evaluation, cid, sizes, div, chosen, frame, cols) -> None:
        ev.suppressed = int(sizes[chosen].sum())
        kept = ~chosen
        ev.classes = int(kept.sum()) + (1 if ev.suppressed else 0)
        ev.global_risk = ev.classes / max(1, self.n)
        parts = ([int(sizes[kept].min())] if kept.any() else []) + \
            ([ev.suppressed] if ev.suppressed else [])
        ev.k = min(parts) if parts else 0
        for j, d in enumerate(div):
            held = [int(d.distinct[kept].min())] if kept.any() else []
            if ev.suppressed:
                held.append(len(d.values(chosen)))
            ev.l[j] = min(held) if held else 0
        rows = chosen[cid]
        if rows.any():
            w = frame.weight[rows]
            kept_loss = sum(float((w * (1.0 - h.cell_loss[j][c[rows]])).sum())
                            for h, j, c in zip(self.h, ev.node, cols, strict=False))
            ev.loss = ev.genloss + kept_loss / (self.n * max(1, self.m))

    def record_classes(self, node: tuple[int, ...], chosen: np.ndarray) -> np.ndarray:
        """Each record's class in the release at ``node``; -1 for suppressed records."""
        cid = self.classes(node, self.base)[0]
        out = np.where(chosen[cid], -1, cid)
        return out[self.inverse]

    def _households(self, ev: Evaluation, chosen: np.ndarray) -> bool:
        if self.household is None:
            return True
        risk = household_classes(self.household, self.record_classes(ev.node, chosen))
        if risk is None:
            return True
        sizes = risk.sizes
        failing = sizes < self.criteria.household_k
        ev.unlinked = int(failing.sum())
        passing = sizes[~failing]
        ev.household_risk = float(1.0 / passing.min()) if passing.size else None
        return ev.unlinked <= self.criteria.budget * len(sizes)

    def outcome(self, node: tuple[int, ...]):
        """Suppressed records (mask) and households to unlink (their codes) at ``node``."""
        cid, sizes, div, frame, _ = self.classes(node, self.base)
        chosen = self.pad(cid, sizes, div, self.failing(sizes, div), frame)
        if chosen is None:
            chosen = np.ones(len(sizes), dtype=bool)
        suppressed = chosen[cid][self.inverse]
        unlink = np.zeros(0, dtype=np.int64)
        if self.criteria.household_k and self.household is not None:
            risk = household_classes(self.household, np.where(chosen[cid], -1, cid)[self.inverse])
            if risk is not None:
                unlink = risk.households[risk.sizes < self.criteria.household_k]
        return suppressed, unlink

    def _snapshot(self, node, frame: Frame, cols, cid, classes: int) -> None:
        """Keep the classes of ``node`` as a frame: nodes above it roll up from it."""
        idx = first_rows(cid, classes)
        first = frame.first[idx]
        order = np.argsort(first, kind="stable")
        rank = np.empty(classes, dtype=np.int64)
        rank[order] = np.arange(classes)
        take = idx[order]
        codes = [c[take] for c in cols]
        weight = np.bincount(cid, weights=frame.weight, minlength=classes).astype(np.int64)
        pairs = []
        for (rows, values), card in zip(frame.pairs, self.sens_cards, strict=False):
            key = distinct(rank[cid[rows]] * card + values)
            pairs.append((key // card, key % card))
        self.frames.append(Frame(node, codes, weight[order], first[order], pairs))
        if len(self.frames) > 24:
            self.frames.remove(max(self.frames[1:], key=lambda f: len(f.weight)))
