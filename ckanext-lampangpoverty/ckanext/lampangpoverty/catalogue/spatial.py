"""Spatial extent of a record from its area codes, using the Lampang boundary polygons in
``data/`` (RTSD / OCHA HDX COD-AB, CC BY 3.0 IGO; see data/SOURCE.md)."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from shapely import coverage_simplify
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from . import areas

DATA = Path(__file__).resolve().parent.parent / "data"
LEVEL_FILES = ("lampang_province.geojson", "lampang_amphoe.geojson", "lampang_tambon.geojson")
# Tolerance of the simplified boundaries (GEOS coverage simplification, Visvalingam-Whyatt:
# an effective distance in degrees): about the detail of Douglas-Peucker at 0.005 degrees
# (500 m), enough for map search and the extent map, and keeps the index document small.
SIMPLIFY = 0.01
PROVINCE = "52"


def _level(name: str) -> dict[str, BaseGeometry]:
    with (DATA / name).open(encoding="utf-8") as f:
        return {feature["properties"]["code"]: shape(feature["geometry"])
                for feature in json.load(f)["features"]}


@functools.cache
def polygons() -> dict[str, BaseGeometry]:
    """{DOPA code: shapely polygon} for the province, its amphoe and tambon, as published."""
    return {code: polygon for name in LEVEL_FILES for code, polygon in _level(name).items()}


@functools.cache
def simplified() -> dict[str, BaseGeometry]:
    """{DOPA code: simplified boundary}, computed once per process (well under a second). The
    tambon are simplified
    as one coverage, so a border two tambon share stays one line; each amphoe and the province
    are the union of their simplified tambon (the published levels nest exactly). Any union
    of areas, whatever their levels, then has no slivers or gaps and needs no simplifying of
    its own."""
    tambon = _level(LEVEL_FILES[-1])
    out = dict(zip(tambon, coverage_simplify(list(tambon.values()), SIMPLIFY), strict=True))
    by_amphoe: dict[str, list[BaseGeometry]] = {}
    for code in tambon:  # a DOPA code begins with its amphoe's
        by_amphoe.setdefault(code[:4], []).append(out[code])
    out.update((code, unary_union(parts)) for code, parts in by_amphoe.items())
    out[PROVINCE] = unary_union(list(out.values()))
    return out


def extent(codes: list[str]) -> str | None:
    """GeoJSON of the union of the areas' polygons (simplified), or None if none is known."""
    current = set()
    for code in codes:
        try:
            current.add(areas.resolve(code))
        except areas.UnknownAreaCode:
            continue
    return _extent(tuple(sorted(current)))


# The boundaries are package data that never change while a process runs: each area's is
# simplified once (``simplified``), and the answer for a set of current codes is kept
# (bounded, since a record can name any combination of areas). A union of simplified
# neighbours costs well under a millisecond, against several for the published boundaries.
@functools.lru_cache(maxsize=2048)
def _extent(current: tuple[str, ...]) -> str | None:
    known = simplified()
    shapes = [known[code] for code in current if code in known]
    if not shapes:
        return None
    return json.dumps(mapping(unary_union(shapes)))
