"""The loaded area indicators as figures: only those of active, public datasets and active
resources count, and where two tables give the same area, year and indicator the one loaded
last wins. An area without its own figure for a count gets the sum of its sub-areas'.

Every page and answer needs them, and they change only when a table is loaded or its
dataset changes: :func:`current` keeps them in memory, read again when a cheap version query
(loads and their datasets' last change) says something changed."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import sqlalchemy as sa

from ckan import model

from ..catalogue import areas
from ..model import AreaIndicator
from . import indicators

Key = tuple[str, str, int]  # area code, indicator, year (B.E.)


@dataclass
class Figures:
    values: dict[Key, float] = field(default_factory=dict)
    packages: set[str] = field(default_factory=set)

    @property
    def years(self) -> list[int]:
        return sorted({year for _area, _ind, year in self.values})

    def get(self, code: str, indicator: str, year: int) -> float | None:
        """The area's figure, or (for a count) the sum of its sub-areas' when it has none."""
        value = self.values.get((code, indicator, year))
        if value is not None:
            return value
        spec = indicators.indicators().get(indicator)
        if spec is None or not spec.additive:
            return None
        parts = [self.get(child, indicator, year) for child in children(code)]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None

    def latest_year(self, code: str) -> int | None:
        years = [y for y in self.years
                 if self.get(code, "target_poor_households", y) is not None]
        return years[-1] if years else (self.years[-1] if self.years else None)


@cache
def _children() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for area in areas.areas().values():
        if area.parent:
            out.setdefault(area.parent, []).append(area.code)
    return out


def children(code: str) -> list[str]:
    """The sub-areas of an area (amphoe of the province, tambon of an amphoe)."""
    return _children().get(code, [])


@cache
def tambons_of(code: str) -> frozenset[str]:
    """Every tambon inside an area (the tambon itself for a tambon)."""
    area = areas.areas()[code]
    if area.level == "tambon":
        return frozenset({code})
    return frozenset(t for child in children(code) for t in tambons_of(child))


def read(codes: Iterable[str] | None = None,
         only: Iterable[str] | None = None) -> Figures:
    """The figures of ``codes`` (every area when None), of the indicators ``only`` (all when
    None), from public datasets; the latest loaded table wins."""
    ai = AreaIndicator
    query = (sa.select(ai.area_code, ai.indicator, ai.year, ai.value, ai.package_id)
             .join(model.Package, model.Package.id == ai.package_id)
             .join(model.Resource, model.Resource.id == ai.resource_id)
             .where(model.Package.state == "active", model.Package.private.is_(False),
                    model.Resource.state == "active")
             .distinct(ai.area_code, ai.indicator, ai.year)
             .order_by(ai.area_code, ai.indicator, ai.year, ai.loaded.desc()))
    if codes is not None:
        query = query.where(ai.area_code.in_(list(codes)))
    if only is not None:
        query = query.where(ai.indicator.in_(list(only)))
    out = Figures()
    for code, indicator, year, value, package_id in model.Session.execute(query):
        out.values[(code, indicator, year)] = value
        out.packages.add(package_id)
    return out


_CACHE: dict[str, Any] = {"version": None, "figures": None}


def _version() -> tuple[Any, ...]:
    from ..model import IndicatorLoad

    return tuple(model.Session.execute(
        sa.select(sa.func.count(), sa.func.max(IndicatorLoad.loaded),
                  sa.func.max(model.Package.metadata_modified),
                  sa.func.count().filter(model.Package.private.is_(True)),
                  sa.func.count().filter(model.Package.state != "active"))
        .join(model.Package, model.Package.id == IndicatorLoad.package_id)).one())


def current() -> Figures:
    """Every public figure, from memory unless a table or its dataset changed since."""
    version = _version()
    if _CACHE["version"] != version or _CACHE["figures"] is None:
        _CACHE["figures"], _CACHE["version"] = read(), version
    return _CACHE["figures"]


def family(code: str) -> list[str]:
    """An area, its ancestors and every area below it: what its profile needs."""
    area = areas.areas()[code]
    found = {code}
    parent = area.parent
    while parent:
        found.add(parent)
        parent = areas.areas()[parent].parent
    stack = [code]
    while stack:
        for child in children(stack.pop()):
            found.add(child)
            stack.append(child)
    return sorted(found)
