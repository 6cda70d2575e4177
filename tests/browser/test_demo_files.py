"""The demo content's resources are real files the portal serves and previews (issue 13,
item 8): every one an upload of this portal, none a link elsewhere; each public one
downloads with its content type and reads as its format says, with Thai text; a CSV and a
GeoJSON show on their resource pages. The files passed the upload guard when seeding
(seeding fails otherwise), and a restricted record publishes none of its tables."""
from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

CONTENT_TYPES = {"CSV": "text/csv", "PDF": "application/pdf", "JSON": "application/json",
                 "GeoJSON": "application/geo+json",
                 "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DENSITY_MAP = "demo-poverty-density-map-2025"


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


@pytest.fixture(scope="module")
def demo_records(portal) -> list[dict[str, Any]]:
    _status, _type, body = _get(portal.url("/api/3/action/package_search?q=name:demo-*"
                                           "&rows=1000&include_private=true"))
    records = json.loads(body)["result"]["results"]
    assert len(records) > 40
    return records


def _check_body(fmt: str, body: bytes) -> str:
    """The file read as its format; returns text from it, to look for Thai."""
    if fmt == "CSV":
        text = body.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        # the area indicator table keeps its schema's header (schemas/area_indicators.json)
        assert rows[0][:3] in (["รหัสพื้นที่", "พื้นที่", "ปี (พ.ศ.)"],
                               ["area_code", "year", "indicator"]) and len(rows) > 1
        assert all(len(row) == len(rows[0]) for row in rows)
        return text
    if fmt == "XLSX":
        sheet = load_workbook(io.BytesIO(body), read_only=True)["ข้อมูล"]
        first = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert first[0] == "รหัสพื้นที่"
        return str(first[1])
    if fmt == "PDF":
        return PdfReader(io.BytesIO(body)).pages[0].extract_text()
    data = json.loads(body)
    if fmt == "GeoJSON":
        assert data["type"] == "FeatureCollection" and data["features"]
        assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon")
                   for f in data["features"])
        return data["features"][0]["properties"]["พื้นที่"]
    return data["records"][0]["พื้นที่"]


def test_every_demo_resource_is_a_file_this_portal_serves(portal, demo_records):
    public = 0
    for record in demo_records:
        level = record.get("access_level") or "public"
        for resource in record["resources"]:
            where = f"{record['name']} / {resource['name']}"
            assert resource["url_type"] == "upload", where
            assert resource["url"].startswith(portal.base + "/"), where
            path = urlsplit(resource["url"]).path
            assert re.fullmatch(r"/[a-z-]+/[0-9a-f-]{36}/resource/[0-9a-f-]{36}/download/"
                                r"[\w.-]+", path), where
            if level != "public":
                # a restricted record's data is reached through the gate's releases only
                assert resource["format"] == "PDF", where
                continue
            status, content_type, body = _get(portal.base + path)
            assert status == 200, where
            assert content_type.split(";")[0] == CONTENT_TYPES[resource["format"]], where
            text = _check_body(resource["format"], body)
            assert any("\u0e00" <= ch <= "\u0e7f" for ch in text), (where, text[:80])
            public += 1
    assert public > 50


def _view_page(portal, record: dict[str, Any], fmt: str, lang: str) -> str:
    resource = next(r for r in record["resources"] if r["format"] == fmt)
    return portal.url(f"/{record['type']}/{record['name']}/resource/{resource['id']}", lang)


# the strings, not the layout, are under test: one viewport keeps CI time down
@pytest.mark.parametrize("viewport", ["desktop"])
@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_demo_csv_and_geojson_preview_on_their_resource_pages(page, portal, shot, lang,
                                                                demo_records, viewport):
    density = next(r for r in demo_records if r["name"] == DENSITY_MAP)
    for fmt, expected in (("CSV", "รหัสพื้นที่"), ("GeoJSON", "FeatureCollection")):
        page.goto(_view_page(portal, density, fmt, lang))
        viewer = page.frame_locator("iframe[data-module=data-viewer]").first
        viewer.locator("pre").filter(has_text=expected).last.wait_for()
        # the view's tab in the page's language, though the seeding stored CKAN's English title
        assert page.locator("a.view-item").first.inner_text().strip() == (
            "ข้อความ" if lang == "th" else "Text")
        shot(f"{fmt}-{lang}")
