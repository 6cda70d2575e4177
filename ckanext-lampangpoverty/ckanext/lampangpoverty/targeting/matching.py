"""Needs against programmes.

The need of an area in a TPMAP dimension is its target-poor households deprived in that
dimension (persons for a target group), in the latest year loaded. The supply is the capacity
of the open programmes addressing it there. A programme serving several tambon has its
capacity shared between them in proportion to their need (evenly where no need is known), so
that a province-wide programme is not counted in full in every tambon and the figures of an
amphoe are the sum of its tambon's. Capacity counted in persons is turned into households
(and back) with the province's mean household size from the BMN survey. Coverage is supply
over need; the gap is the need left over."""
from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from ..catalogue import areas
from . import indicators
from .figures import Figures, tambons_of
from .programmes import Programme

DEFAULT_HOUSEHOLD_SIZE = 3.0


@dataclass
class Need:
    """Need and supply of one area in one dimension or target group."""

    need: float | None
    supply: float = 0.0
    programmes: int = 0
    without_capacity: int = 0

    @property
    def coverage(self) -> float | None:
        if not self.need:
            return None
        return self.supply / self.need

    @property
    def gap(self) -> float | None:
        if self.need is None:
            return None
        return max(self.need - self.supply, 0.0)

    def as_dict(self) -> dict[str, Any]:
        return {"need": self.need, "supply": round(self.supply, 1),
                "coverage": round(self.coverage, 3) if self.coverage is not None else None,
                "gap": round(self.gap, 1) if self.gap is not None else None,
                "programmes": self.programmes, "programmes_without_capacity":
                self.without_capacity}


@dataclass(frozen=True)
class Target:
    """What a need is counted for: a TPMAP dimension (households) or a target group
    (persons)."""

    kind: str    # "dimension" | "group"
    value: str

    @functools.cached_property
    def indicator(self) -> str:
        if self.kind == "dimension":
            return indicators.dimension_indicator(self.value)
        return indicators.group_indicators()[self.value]

    @property
    def unit(self) -> str:
        return "households" if self.kind == "dimension" else "persons"

    def addressed_by(self, programme: Programme) -> bool:
        offered = programme.dimensions if self.kind == "dimension" else programme.groups
        return self.value in offered


def all_targets() -> list[Target]:
    return ([Target("dimension", d) for d in indicators.DIMENSIONS]
            + [Target("group", g) for g in indicators.group_indicators()])


@dataclass
class _Pool:
    """Open programmes serving the same tambon for the same target, added up."""

    served: frozenset[str]
    capacity: float = 0.0
    programmes: int = 0
    without_capacity: int = 0


class Allocation:
    """Supply of every tambon for every target, from the open programmes: one pass over the
    programmes (pooled by the set of tambon they serve, which province- and district-wide
    programmes share), then each pool's capacity shared between its tambon by need."""

    def __init__(self, figures: Figures, year: int | None, programmes: list[Programme],
                 today: datetime.date, targets: list[Target] | None = None):
        self.figures, self.year, self.today = figures, year, today
        self.household_size = household_size(figures, year)
        self.targets = targets or all_targets()
        self.pools: dict[Target, dict[str, _Pool]] = {t: {} for t in self.targets}
        self._by_value = {(t.kind, t.value): t for t in self.targets}
        self._needs: dict[tuple[str, str], float] = {}
        for programme in programmes:
            if programme.served and programme.is_open(today):
                self._add(programme)
        self.supply: dict[tuple[str, Target], float] = {}
        for target, pools in self.pools.items():
            for pool in pools.values():
                self._share(target, pool)

    def _add(self, programme: Programme) -> None:
        wanted = [self._by_value.get(("dimension", d)) for d in programme.dimensions]
        wanted += [self._by_value.get(("group", g)) for g in programme.groups]
        for target in wanted:
            if target is None:
                continue
            pool = self.pools[target].setdefault(programme.served_key,
                                                 _Pool(served=programme.served))
            pool.programmes += 1
            capacity = self._capacity(programme, target.unit)
            if capacity is None:
                pool.without_capacity += 1
            else:
                pool.capacity += capacity

    def _capacity(self, programme: Programme, unit: str) -> float | None:
        if programme.capacity is None:
            return None
        if programme.capacity_unit == unit:
            return float(programme.capacity)
        if unit == "households":
            return programme.capacity / self.household_size
        return programme.capacity * self.household_size

    def tambon_need(self, tambon: str, indicator: str) -> float:
        key = (tambon, indicator)
        if key not in self._needs:
            value = (self.figures.values.get((tambon, indicator, self.year))
                     if self.year is not None else None)
            self._needs[key] = value or 0.0
        return self._needs[key]

    def _share(self, target: Target, pool: _Pool) -> None:
        if not pool.capacity:
            return
        needs = {t: self.tambon_need(t, target.indicator) for t in pool.served}
        total = sum(needs.values())
        for tambon, need in needs.items():
            part = need / total if total > 0 else 1 / len(needs)
            key = (tambon, target)
            self.supply[key] = self.supply.get(key, 0.0) + pool.capacity * part

    def need(self, code: str, target: Target) -> Need:
        inside = tambons_of(code)
        value = (self.figures.get(code, target.indicator, self.year)
                 if self.year is not None else None)
        result = Need(need=value)
        result.supply = sum(self.supply.get((t, target), 0.0) for t in inside)
        for pool in self.pools[target].values():
            if pool.served & inside:
                result.programmes += pool.programmes
                result.without_capacity += pool.without_capacity
        return result


def household_size(figures: Figures, year: int | None) -> float:
    if year is None:
        return DEFAULT_HOUSEHOLD_SIZE
    people = figures.get(areas.PROVINCE_CODE, "population_surveyed", year)
    households = figures.get(areas.PROVINCE_CODE, "households_surveyed", year)
    return people / households if people and households else DEFAULT_HOUSEHOLD_SIZE


STATUS_WEIGHT = {"open": 3.0, "ongoing": 2.0, "planned": 0.5}
SCOPE_WEIGHT = {"tambon": 3.0, "district": 2.0, "province": 1.0}


@dataclass
class Criteria:
    """What a match asks for: any of the values of each criterion given."""

    code: str
    dimensions: list[str]
    groups: list[str]
    capitals: list[str]
    open_only: bool


def _judge(p: Programme, c: Criteria, open_now: bool,
           explain: bool) -> tuple[float, list[dict[str, Any]]] | None:
    """The programme's score and (when ``explain``) why it matched; None when it does not
    meet a criterion."""
    reasons: list[dict[str, Any]] = []
    score = 0.0
    if c.code != areas.PROVINCE_CODE:
        scope = p.scope(c.code)
        score += SCOPE_WEIGHT[scope]
        reasons.append({"kind": "area", "scope": scope, "area_code": c.code})
    for kind, wanted, offered, weight in (("dimension", c.dimensions, p.dimensions, 2.0),
                                          ("target_group", c.groups, p.groups, 2.0),
                                          ("capital", c.capitals, p.capitals, 1.0)):
        if not wanted:
            continue
        if kind == "target_group" and not offered:
            score += 0.5
            reasons.append({"kind": "target_group", "values": [], "all_groups": True})
            continue
        hits = sorted(set(wanted) & offered)
        if not hits:
            return None
        score += weight * len(hits)
        reasons.append({"kind": kind, "values": hits})
    status = STATUS_WEIGHT.get(p.status, 0.0)
    score += status if open_now else status / 4
    if explain:
        reasons.append({"kind": "open", "status": p.status,
                        "until": p.close_date.isoformat() if p.close_date else None}
                       if open_now else {"kind": "status", "status": p.status})
        if p.capacity is not None:
            reasons.append({"kind": "capacity", "capacity": p.capacity,
                            "unit": p.capacity_unit})
    return score, reasons


def rank(programmes: list[Programme], criteria: Criteria, today: datetime.date,
         explain: int) -> list[tuple[Programme, float, list[dict[str, Any]]]]:
    """Programmes serving the area that meet every criterion, best first (open ones first,
    then by score, closing date and title), with their score; the first ``explain`` also
    with the reasons they matched (the rest with none: they are only counted)."""
    scored = []
    for p in programmes:
        open_now = p.is_open(today)
        if criteria.open_only and not open_now:
            continue
        judged = _judge(p, criteria, open_now, explain=False)
        if judged is not None:
            scored.append((not open_now, -judged[0], p.close_date or datetime.date.max,
                           p.title, p))
    scored.sort(key=lambda item: item[:4])
    out = []
    for index, (_closed, negative, _close, _title, p) in enumerate(scored):
        reasons: list[dict[str, Any]] = []
        if index < explain:
            judged = _judge(p, criteria, not _closed, explain=True)
            reasons = judged[1] if judged else []
        out.append((p, -negative, reasons))
    return out
