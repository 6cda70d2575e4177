"""A record's derived extent (the union of its areas' boundaries) comes from boundaries
simplified once per process, and follows the record's areas when they are edited: on its page
and in the search index (map search)."""
from __future__ import annotations

import html
import json
import re

import pytest
from shapely.geometry import shape

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.catalogue import spatial

THOEN_BOX = "99.2,17.5,99.3,17.6"
MUEANG_PAN_BOX = "99.45,18.75,99.55,18.85"


def _found_in(box: str) -> list[str]:
    return [d["name"] for d in
            call_action("package_search", extras={"ext_bbox": box})["results"]]


def _page_extent(app, name: str) -> dict:
    page = app.get(f"/poverty-dataset/{name}").body
    found = re.search(r'data-module="dataset-map" data-extent="([^"]*)"', page)
    assert found, "the record's page draws no extent"
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_editing_the_areas_moves_the_extent_on_the_page_and_in_the_index(app, make_record):
    make_record(name="moving", area_codes=["5208"])  # Thoen
    assert _found_in(THOEN_BOX) == ["moving"]
    assert _found_in(MUEANG_PAN_BOX) == []
    assert shape(_page_extent(app, "moving")).contains(shape(
        {"type": "Point", "coordinates": [99.25, 17.55]}))

    editor = {"user": factories.Sysadmin()["name"]}
    call_action("package_patch", editor, id="moving", area_codes=["521301", "5205"])
    assert _found_in(MUEANG_PAN_BOX) == ["moving"]
    assert _found_in(THOEN_BOX) == []  # Ngao is north of Thoen
    drawn = _page_extent(app, "moving")
    assert drawn == json.loads(spatial.extent(["521301", "5205"]) or "null")
    assert drawn["type"] == "MultiPolygon"  # a tambon and a district apart


def test_unions_of_simplified_neighbours_have_no_slivers():
    """A district and one of its tambon, or all of a district's tambon, make the district's
    boundary exactly; the province's tambon make one polygon without holes."""
    simplified = spatial.simplified()
    thoen = shape(json.loads(spatial.extent(["5208"]) or "null"))
    with_tambon = shape(json.loads(spatial.extent(["5208", "520801"]) or "null"))
    assert with_tambon.equals(thoen)
    all_tambon = [code for code in simplified if len(code) == 6 and code.startswith("5208")]
    assert len(all_tambon) > 3
    assert shape(json.loads(spatial.extent(all_tambon) or "null")).equals(thoen)
    province = shape(json.loads(spatial.extent(["52"]) or "null"))
    assert province.geom_type == "Polygon" and not list(province.interiors)
    # simplified, yet within a small fraction of the published boundary's area
    published = spatial.polygons()["52"]
    assert abs(province.area - published.area) / published.area < 0.005
    assert len(province.exterior.coords) < len(published.exterior.coords) / 5
