"""Spatial extent of a record from its area codes, using the Lampang boundary polygons in
``data/`` (RTSD / OCHA HDX COD-AB, CC BY 3.0 IGO; see data/SOURCE.md)."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from . import areas

DATA = Path(__file__).resolve().parent.parent / "data"
LEVEL_FILES = ("lampang_province.geojson", "lampang_amphoe.geojson", "lampang_tambon.geojson")
# Tolerance of the simplified extent, in degrees (about 500 m): enough for map search and
# the extent map, and keeps the index document small.
SIMPLIFY = 0.005


@functools.cache
def polygons() -> dict:
    """{DOPA code: shapely polygon} for the province, its amphoe and tambon."""
    out = {}
    for name in LEVEL_FILES:
        with (DATA / name).open(encoding="utf-8") as f:
            for feature in json.load(f)["features"]:
                out[feature["properties"]["code"]] = shape(feature["geometry"])
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


# The boundaries are package data that never change while a process runs, so the answer for a
# set of current codes is computed once per worker: the union and simplification cost tens of
# milliseconds (the whole province on every search page). Bounded, since a record can name any
# combination of areas.
@functools.lru_cache(maxsize=2048)
def _extent(current: tuple[str, ...]) -> str | None:
    known = polygons()
    shapes = [known[code] for code in current if code in known]
    if not shapes:
        return None
    union = unary_union(shapes).simplify(SIMPLIFY, preserve_topology=True)
    return json.dumps(mapping(union))
