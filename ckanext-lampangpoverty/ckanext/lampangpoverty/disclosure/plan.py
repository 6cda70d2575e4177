"""What the editor sees before the run: candidate releases (the best, and the best ones that keep
some column finer at the cost of others: "keep tambon and lose age detail, or keep age and use
amphoe") and what keeping each column finer costs in information lost overall."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from .evaluate import Evaluation, Evaluator
from .search import Search


class Allowance:
    """The work the searches of one proposal may spend together (each search also at most
    its own budget): a million rows with ten quasi-identifiers cannot run dozens of full
    searches before the editor sees the form. Searches past it still climb to a release
    (from nodes evaluated before, mostly), but are not proven best."""

    def __init__(self, ev: Evaluator, total: float = math.inf) -> None:
        self.ev = ev
        self.until = ev.work + total

    def search(self, budget: float) -> Search:
        return Search(self.ev, max(0.0, min(budget, self.until - self.ev.work)))


@dataclass
class Candidate:
    levels: dict[str, str]              # column -> level name (message id)
    level_index: dict[str, int]
    loss: float                         # mean loss per quasi-identifier cell (0..1)
    column_loss: dict[str, float]       # per column, generalisation only
    erased: list[str]                   # columns left with a single value
    suppressed_records: int
    k: int
    l: dict[str, int]
    global_risk: float
    household_risk: float | None
    unlinked_households: int
    feasible: bool
    optimal: bool
    kinds: dict[str, str] = field(default_factory=dict)
    reason: str = ""                    # the measure missed, when not feasible

    def recodes(self) -> dict[str, dict[str, Any]]:
        """Recodes that make ``transform.release`` publish exactly this candidate."""
        return {c: {"method": self.kinds.get(c, "categorical"), "level": name}
                for c, name in self.levels.items()}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def candidate(prep: Any, ev: Evaluation, optimal: bool) -> Candidate:
    hs = prep.hierarchies
    return Candidate(
        levels={h.column: h.levels[j] for h, j in zip(hs, ev.node, strict=False)},
        level_index={h.column: int(j) for h, j in zip(hs, ev.node, strict=False)},
        loss=round(ev.loss, 6),
        column_loss={h.column: round(float(h.loss[j]), 6)
                     for h, j in zip(hs, ev.node, strict=False)},
        erased=[h.column for h, j in zip(hs, ev.node, strict=False) if h.erased(j)],
        suppressed_records=ev.suppressed, k=ev.k,
        l={s: ev.l.get(i, 0) for i, s in enumerate(prep.sensitive)},
        global_risk=round(ev.global_risk, 6), household_risk=ev.household_risk,
        unlinked_households=ev.unlinked, feasible=ev.feasible, optimal=optimal,
        kinds={h.column: h.kind for h in hs}, reason=ev.reason)


def alternatives(prep: Any, budget: float, count: int = 3,
                 allowance: Allowance | None = None) -> list[Candidate]:
    """The best release first, then the best releases that keep one column finer than it
    does, up to ``count`` in all (fewer when no other release exists); ranked by erased
    columns, then loss (a search stopped by its budget may find a better one later)."""
    allowance = allowance or Allowance(prep.evaluator)
    first = allowance.search(budget).run(prep.floor, prep.cap)
    if first.best is None:
        return []
    found = {first.best.node: candidate(prep, first.best, first.optimal)}
    for i, level in enumerate(first.best.node):
        if level <= prep.floor[i]:
            continue
        cap = (*prep.cap[:i], level - 1, *prep.cap[i + 1:])
        other = allowance.search(budget).run(prep.floor, cap)
        if other.best is not None and other.best.node not in found:
            found[other.best.node] = candidate(prep, other.best, other.optimal)
    ranked = sorted(found.values(), key=lambda c: (len(c.erased), c.loss))
    return ranked[:count]


@dataclass
class ColumnCost:
    column: str
    chosen: str                         # the level the best release publishes
    levels: list[dict[str, Any]]        # each level: name, column loss, best release's loss


def costs(prep: Any, budget: float, allowance: Allowance | None = None) -> dict[str, ColumnCost]:
    """For every quasi-identifier and every level from its floor to the one the best release
    chose: the column's own loss there, and the loss of the best release that keeps it
    there (None when no release does; ``optimal`` False when a search stopped at its
    budget): what keeping that column finer costs."""
    allowance = allowance or Allowance(prep.evaluator)
    first = allowance.search(budget).run(prep.floor, prep.cap)
    best = first.best
    out = {}
    for i, h in enumerate(prep.hierarchies):
        chosen = best.node[i] if best else h.top
        rows = []
        found: Evaluation | None
        for level in range(prep.floor[i], max(chosen, prep.floor[i]) + 1):
            if best is not None and level == chosen:
                found, optimal = best, first.optimal
            else:
                fixed_floor = (*prep.floor[:i], level, *prep.floor[i + 1:])
                fixed_cap = (*prep.cap[:i], level, *prep.cap[i + 1:])
                outcome = allowance.search(budget).run(fixed_floor, fixed_cap)
                found, optimal = outcome.best, outcome.optimal
            erased = [g.column for g, j in zip(prep.hierarchies, found.node, strict=False)
                      if g.erased(j)] if found else None
            rows.append({"level": h.levels[level], "column_loss": round(float(h.loss[level]), 6),
                         "release_loss": round(found.loss, 6) if found else None,
                         "erased_columns": erased, "optimal": optimal})
        out[h.column] = ColumnCost(h.column, h.levels[chosen], rows)
    return out
