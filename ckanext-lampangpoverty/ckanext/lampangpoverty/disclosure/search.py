"""The search of the generalisation lattice for the node (one level per quasi-identifier) that
meets every threshold with the fewest columns erased and then the least information lost.

Exact by branch and bound: a node's loss is at least its generalisation loss, which only grows
up the lattice, so nodes whose bound is not below the best release found are never evaluated;
and the records failing k or l only shrink up the lattice (predictive tagging: when a node
needs more suppression than the budget, so does every node below it). A greedy climb from the
floor (rolling classes up as it goes) and a greedy descent from the release it reaches give
a good bound early; nodes are then evaluated top down, so that failures prune whole
sub-lattices. Deterministic: a work budget (records processed), not a clock, ends a search
that cannot finish, and the result then says it is not proven optimal.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from .evaluate import Evaluation, Evaluator

MAX_NODES = 400_000


@dataclass
class Outcome:
    best: Evaluation | None
    optimal: bool
    evaluated: int
    nodes: int


class Lattice:
    """The nodes between ``floor`` and ``cap`` (per column, inclusive), as index arrays."""

    def __init__(self, ev: Evaluator, floor: tuple[int, ...], cap: tuple[int, ...]) -> None:
        self.allowed = [list(range(f, c + 1)) for f, c in zip(floor, cap, strict=False)]
        while np.prod([len(a) for a in self.allowed], dtype=float) > MAX_NODES:
            # Too many nodes: drop the intermediate level next to the floor of the column
            # with the most levels (its coarser levels and its floor stay searchable).
            widest = max(range(len(self.allowed)), key=lambda i: len(self.allowed[i]))
            del self.allowed[widest][1]
        if self.allowed:  # every combination, the last column varying fastest
            grids = np.meshgrid(*[np.array(a, dtype=np.int16) for a in self.allowed],
                                indexing="ij")
            self.nodes = np.stack(grids, axis=-1).reshape(-1, len(self.allowed))
        else:
            self.nodes = np.zeros((1, 0), dtype=np.int16)
        pairs = list(zip(ev.h, self.allowed, strict=False))
        lossmat = [np.array([h.loss[j] for j in a]) for h, a in pairs]
        gone = [np.array([h.erased(j) for j in a]) for h, a in pairs]
        genloss = np.zeros(len(self.nodes))
        erased = np.zeros(len(self.nodes))
        height = np.zeros(len(self.nodes))
        for i, a in enumerate(self.allowed):
            pos = np.searchsorted(np.array(a), self.nodes[:, i])
            genloss += lossmat[i][pos]
            erased += gone[i][pos]
            height += pos
        # Nodes are in lexicographic order: a node's row is its mixed-radix number.
        sizes = [len(a) for a in self.allowed]
        self.stride = [int(np.prod(sizes[i + 1:], dtype=np.int64)) for i in range(len(sizes))]
        self.bound = 2.0 * erased + genloss / max(1, len(self.allowed))
        self.height = height
        self.status = np.zeros(len(self.nodes), dtype=np.int8)  # 0 open, 1 seen, -1 pruned

    def row(self, node: tuple[int, ...]) -> int:
        """The node's row, -1 when it is outside this lattice."""
        row = 0
        for a, stride, level in zip(self.allowed, self.stride, node, strict=False):
            if level not in a:
                return -1
            row += a.index(level) * stride
        return row

    def prune_below(self, node: tuple[int, ...]) -> None:
        below = (self.nodes <= np.array(node)).all(axis=1) & (self.status == 0)
        self.status[below] = -1

    def parents(self, node: tuple[int, ...]) -> list[tuple[int, ...]]:
        out = []
        for i, a in enumerate(self.allowed):
            pos = a.index(node[i])
            if pos + 1 < len(a):
                out.append((*node[:i], a[pos + 1], *node[i + 1:]))
        return out

    def children(self, node: tuple[int, ...]) -> list[tuple[int, ...]]:
        out = []
        for i, a in enumerate(self.allowed):
            pos = a.index(node[i])
            if pos > 0:
                out.append((*node[:i], a[pos - 1], *node[i + 1:]))
        return out


def _gain(here: Evaluation, step: Evaluation) -> tuple:
    """Sorts the climb's candidate steps: most failing records removed per loss added."""
    cost = (2.0 * step.erased + step.genloss) - (2.0 * here.erased + here.genloss)
    return (-(max(0, here.failing - step.failing) + 1) / (cost + 1e-9), step.node)


class Search:
    def __init__(self, ev: Evaluator, work_budget: float) -> None:
        self.ev = ev
        self.work_budget = work_budget
        self.start = ev.work
        self.best: Evaluation | None = None

    def _better(self, a: Evaluation | None, b: Evaluation | None) -> Evaluation | None:
        if b is None or not b.feasible:
            return a
        if a is None or (b.objective, b.node) < (a.objective, a.node):
            return b
        return a

    def _look(self, lattice: Lattice, node: tuple[int, ...]) -> Evaluation:
        """Evaluate a node, tag the lattice and keep the best release seen (every node
        evaluated counts, whichever phase asked for it)."""
        result = self.ev.evaluate(node)
        self.best = self._better(self.best, result)
        row = lattice.row(node)
        if row >= 0:
            lattice.status[row] = 1
        if result.reason == "suppression" and result.failing > self.ev.criteria.budget * self.ev.n:
            lattice.prune_below(node)
        return result

    def _start(self, lattice: Lattice) -> tuple[int, ...]:
        """Where the climb starts: on the chain that always takes the cheapest step up (no
        column erased while another can still be recoded), the first node where at most half
        the records fail, found by binary search (failing records only fall up a chain)."""
        chain = [tuple(int(a[0]) for a in lattice.allowed)]
        while parents := lattice.parents(chain[-1]):
            chain.append(min(parents, key=lambda p: (lattice.bound[lattice.row(p)], p)))
        low, high = 0, len(chain) - 1
        while low < high:
            mid = (low + high) // 2
            if self._look(lattice, chain[mid]).failing <= 0.5 * self.ev.n:
                high = mid
            else:
                low = mid + 1
        return chain[max(0, low - 1)]

    def _climb(self, lattice: Lattice) -> None:
        """Up from the start, each step generalising the column that removes the most
        failing records per unit of loss, until a node passes. Not cut by the work budget:
        at most the lattice's height in steps."""
        node = self._start(lattice)
        while True:
            here = self._look(lattice, node)
            if here.feasible:
                return
            steps = [self._look(lattice, p) for p in lattice.parents(node)]
            if not steps:
                return
            node = min(steps, key=partial(_gain, here)).node

    def _descend(self, lattice: Lattice) -> None:
        """From the best release down, while a child is a better release."""
        while self.best is not None:
            here = self.best
            for child in lattice.children(here.node):
                self._look(lattice, child)
            if self.best is here:
                return

    def _spent(self) -> bool:
        return self.ev.work - self.start > self.work_budget

    def run(self, floor: tuple[int, ...], cap: tuple[int, ...]) -> Outcome:
        lattice = Lattice(self.ev, floor, cap)
        self.best = None
        for node, seen in list(self.ev.cache.items()):  # earlier searches on this table
            row = lattice.row(node)
            if row >= 0:
                lattice.status[row] = 1
                self.best = self._better(self.best, seen)
        self.ev.snapshots = True
        self._climb(lattice)
        self._descend(lattice)
        # Top down, nodes rarely lie above one another's classes: no frames kept.
        self.ev.snapshots = False
        optimal = True
        while True:
            bound = self.best.objective if self.best else np.inf
            open_ = np.flatnonzero((lattice.status == 0) & (lattice.bound < bound - 1e-12))
            if not open_.size:
                break
            if self._spent():
                optimal = False
                break
            # Top down: the most general open node first (a failure prunes all below it).
            pick = open_[np.lexsort((open_, lattice.bound[open_], -lattice.height[open_]))[0]]
            self._look(lattice, tuple(int(x) for x in lattice.nodes[pick]))
        self.ev.snapshots = True
        return Outcome(self.best, optimal, int((lattice.status == 1).sum()), len(lattice.nodes))
