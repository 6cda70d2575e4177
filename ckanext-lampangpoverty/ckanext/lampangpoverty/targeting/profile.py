"""An area's profile (``lampangpoverty_area_profile``), a programme match
(``lampangpoverty_programme_match``) and the province's widest gaps
(``lampangpoverty_area_gaps``), as plain data. Names come in Thai and English; the pages
choose."""
from __future__ import annotations

import datetime
from typing import Any

from ..catalogue import areas
from ..lib.clock import utcnow
from . import figures as figures_mod
from . import indicators, matching, programmes
from .figures import Figures

# Programmes a profile lists in full (it counts them all): the pages show a dozen.
PROGRAMMES_SHOWN = 50


def today() -> datetime.date:
    """Today in Thailand (programmes open and close by Thai dates)."""
    return (utcnow() + datetime.timedelta(hours=7)).date()


_ALLOCATION: dict[str, Any] = {"key": None, "value": None}


def allocation(figs: Figures, year: int | None) -> matching.Allocation:
    """The supply of every tambon for every target from every open public programme. It
    depends only on the figures, the programmes and the day, each kept in memory until it
    changes, so it is worked out once per change instead of once per request."""
    everyone = programmes.query()
    key = (id(figs), id(everyone), year, today())
    if _ALLOCATION["key"] != key:
        _ALLOCATION["value"] = matching.Allocation(figs, year, everyone, today())
        _ALLOCATION["key"] = key
    return _ALLOCATION["value"]


def area_dict(code: str) -> dict[str, Any]:
    area = areas.areas()[code]
    return {"code": code, "level": area.level, "name_th": area.name_th,
            "name_en": area.name_en, "parent": area.parent, "pilot": area.pilot}


def read_figures(code: str) -> Figures:
    """Every public figure: the area's family, and every tambon's need (the programmes
    serving the area serve other tambon too, and share their capacity by need)."""
    return figures_mod.current()


def _series(figs: Figures, code: str, indicator: str) -> list[dict[str, Any]]:
    return [{"year": y, "value": figs.get(code, indicator, y)} for y in figs.years]


def _headline(figs: Figures, code: str, year: int | None) -> list[dict[str, Any]]:
    out = []
    for indicator in indicators.HEADLINE:
        value = figs.get(code, indicator, year) if year else None
        before = figs.get(code, indicator, year - 1) if year else None
        out.append({"indicator": indicator, "value": value, "previous": before,
                    "unit": indicators.indicators()[indicator].unit})
    return out


def _sub_area(alloc: matching.Allocation, figs: Figures, code: str,
              year: int | None) -> dict[str, Any]:
    needs = {d: alloc.need(code, matching.Target("dimension", d)).as_dict()
             for d in indicators.DIMENSIONS}
    return {**area_dict(code),
            "target_poor_households": figs.get(code, "target_poor_households", year)
            if year else None,
            "dimensions": needs,
            "gap": sum(n["gap"] or 0 for n in needs.values())}


def profile(code: str) -> dict[str, Any]:
    figs = read_figures(code)
    year = figs.latest_year(code)
    serving = programmes.query(code)
    alloc = allocation(figs, year)
    dimensions = [{"dimension": d, "indicator": indicators.dimension_indicator(d),
                   "series": _series(figs, code, indicators.dimension_indicator(d)),
                   **alloc.need(code, matching.Target("dimension", d)).as_dict()}
                  for d in indicators.DIMENSIONS]
    groups = [{"group": g, "indicator": ind, "series": _series(figs, code, ind),
               **alloc.need(code, matching.Target("group", g)).as_dict()}
              for g, ind in indicators.group_indicators().items()]
    bmn = [{"indicator": i.code, "dimension": i.dimension,
            "value": figs.get(code, i.code, year) if year else None}
           for i in indicators.indicators().values() if i.kind == "bmn"]
    ranked = matching.rank(serving, matching.Criteria(code, [], [], [], open_only=False),
                           today(), explain=PROGRAMMES_SHOWN)
    return {
        "area": area_dict(code),
        "ancestors": [area_dict(c) for c in _ancestors(code)],
        "year": year, "years": figs.years,
        "headline": _headline(figs, code, year),
        "dimensions": dimensions, "target_groups": groups, "bmn": bmn,
        "sub_areas": [_sub_area(alloc, figs, c, year) for c in figures_mod.children(code)],
        "programme_count": len(ranked),
        "programmes": [_programme(p, score, reasons)
                       for p, score, reasons in ranked[:PROGRAMMES_SHOWN]],
        "sources": _sources(figs.packages),
    }


def _sources(package_ids: set[str]) -> list[dict[str, Any]]:
    """The datasets the figures come from (demo ones say so in their name)."""
    from ckan import model

    found = [model.Package.get(i) for i in sorted(package_ids)]
    return [{"id": p.id, "name": p.name, "title": p.title, "type": p.type,
             "demo": p.name.startswith("demo-")} for p in found if p is not None]


def _ancestors(code: str) -> list[str]:
    out: list[str] = []
    parent = areas.areas()[code].parent
    while parent:
        out.insert(0, parent)
        parent = areas.areas()[parent].parent
    return out


def _programme(p: programmes.Programme, score: float,
               reasons: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "title": p.title, "organization": p.organization,
            "status": p.status, "is_open": p.is_open(today()), "score": round(score, 2),
            "capacity": p.capacity, "capacity_unit": p.capacity_unit,
            "open_date": p.open_date.isoformat() if p.open_date else None,
            "close_date": p.close_date.isoformat() if p.close_date else None,
            "dimensions": sorted(p.dimensions), "target_groups": sorted(p.groups),
            "area_codes": list(p.area_codes), "reasons": reasons}


def match(code: str, *, dimensions: list[str], groups: list[str], capitals: list[str],
          open_only: bool, limit: int) -> dict[str, Any]:
    figs = read_figures(code)
    year = figs.latest_year(code)
    serving = programmes.query(code)
    targets = ([matching.Target("dimension", d) for d in dimensions or indicators.DIMENSIONS]
               + [matching.Target("group", g) for g in groups
                  if g in indicators.group_indicators()])
    alloc = allocation(figs, year)
    ranked = matching.rank(serving, matching.Criteria(code, dimensions, groups, capitals,
                                                      open_only), today(), explain=limit)
    return {
        "area": area_dict(code), "year": year,
        "needs": [{"kind": t.kind, "value": t.value, "indicator": t.indicator,
                   "unit": t.unit, **alloc.need(code, t).as_dict()} for t in targets],
        "count": len(ranked),
        "programmes": [_programme(p, score, reasons) for p, score, reasons in ranked[:limit]],
    }


def gaps(level: str, dimension: str | None, limit: int) -> dict[str, Any]:
    """Areas of a level ranked by their gap (in one dimension, or summed over the five)."""
    figs = figures_mod.current()
    year = figs.latest_year(areas.PROVINCE_CODE)
    alloc = allocation(figs, year)
    chosen = [dimension] if dimension else list(indicators.DIMENSIONS)
    rows = []
    for area in areas.areas().values():
        if area.level != level:
            continue
        needs = {d: alloc.need(area.code, matching.Target("dimension", d)).as_dict()
                 for d in indicators.DIMENSIONS}
        known = [needs[d] for d in chosen if needs[d]["need"] is not None]
        if not known:
            continue
        need = sum(n["need"] for n in known)
        supply = sum(n["supply"] for n in known)
        rows.append({**area_dict(area.code), "need": need, "supply": round(supply, 1),
                     "gap": round(sum(n["gap"] for n in known), 1),
                     "coverage": round(supply / need, 3) if need else None,
                     "dimensions": needs})
    rows.sort(key=lambda r: (-r["gap"], r["code"]))
    return {"year": year, "level": level, "dimension": dimension, "count": len(rows),
            "areas": rows[:limit]}
