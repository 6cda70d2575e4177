"""JSON and GeoJSON as tables: every list of records becomes a table (each element a row,
its nested keys flattened into columns such as ``properties.phone``), values outside any
list form one row. GeoJSON points keep their coordinates as "lon, lat"; lines and polygons
(areas, not households) do not."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..disclosure.table import TableError, _
from .limits import Exceeded

_SHAPES = {"LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}
Table = tuple[str, list[tuple[int, dict[str, str]]]]


def load(data: bytes, where: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as e:
        raise TableError(where, _("not readable as JSON (%(error)s)"),
                         params={"error": str(e)[:200]}) from e


def tables(document: Any, where: str, max_rows: int) -> Iterator[Table]:
    """(path of the list, [(1-based index, flat row)]) for each list of records."""
    loose: dict[str, str] = {}
    yield from _walk(document, "", loose, where, max_rows)
    if loose:
        yield "", [(1, loose)]


def _walk(node: Any, path: str, loose: dict[str, str], where: str,
          max_rows: int) -> Iterator[Table]:
    if isinstance(node, list) and any(isinstance(item, dict | list) for item in node):
        if len(node) > max_rows:
            raise Exceeded(f"{where} {path}", "rows", max_rows)
        rows = []
        for index, item in enumerate(node, start=1):
            flat: dict[str, str] = {}
            _flatten(item, "", flat)
            rows.append((index, flat))
        yield path or "[]", rows
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "coordinates" and node.get("type") in _SHAPES:
                continue
            yield from _walk(value, f"{path}.{key}" if path else str(key), loose, where,
                             max_rows)
    else:
        _flatten(node, path, loose)


def _flatten(node: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "coordinates" and node.get("type") in _SHAPES:
                continue
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(node, list):
        if all(not isinstance(item, dict | list) for item in node):
            _put(out, prefix, ", ".join("" if v is None else str(v) for v in node))
        else:
            for item in node:
                _flatten(item, f"{prefix}[]", out)
    elif node is not None:
        _put(out, prefix or "value", str(node))


def _put(out: dict[str, str], key: str, value: str) -> None:
    out[key] = f"{out[key]} | {value}" if key in out else value
