"""Boundaries for the area maps, from the boundary files in ``data/`` (RTSD / OCHA HDX
COD-AB, CC BY 3.0 IGO; see data/SOURCE.md), simplified and rounded for a page: the maps draw
them with no tile server at all."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from shapely.geometry import mapping

from ..catalogue import areas, spatial
from ..catalogue.labels import area_label
from .figures import children

SIMPLIFY = 0.002  # degrees, about 200 m: fine at district scale, small on the page
DIGITS = 4


def _round(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), DIGITS) for c in coords]
    return [_round(c) for c in coords]


@cache
def geometry(code: str) -> dict[str, Any] | None:
    polygon = spatial.polygons().get(code)
    if polygon is None:
        return None
    shape = mapping(polygon.simplify(SIMPLIFY, preserve_topology=True))
    return {"type": shape["type"], "coordinates": _round(shape["coordinates"])}


def shown_with(code: str) -> tuple[list[str], str | None]:
    """The areas a map of ``code`` draws (its sub-areas; a tambon with its neighbours in the
    amphoe) and the one to highlight."""
    level = areas.areas()[code].level
    if level == "tambon":
        parent = areas.areas()[code].parent or areas.PROVINCE_CODE
        return children(parent), code
    return children(code), None


def collection(codes: list[str], lang: str, href: Callable[[str], str],
               values: dict[str, float | None] | None = None,
               current: str | None = None) -> dict[str, Any]:
    """A FeatureCollection of the areas with their name in ``lang``, link and value."""
    features = []
    for code in codes:
        geom = geometry(code)
        if geom is None:
            continue
        features.append({"type": "Feature", "geometry": geom, "properties": {
            "code": code, "name": area_label(code, lang), "href": href(code),
            "value": (values or {}).get(code), "current": code == current}})
    return {"type": "FeatureCollection", "features": features}
