"""Search and maps of the catalogue as people meet them, in a real Chromium at desktop and
phone sizes (issue 13): an area's name finds every record serving the area, each result
says its type and access level, the maps open on Lampang with the district outlines and ask
no tile server, and a Thai page has its English twin at /en/."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.usefixtures("portal")


def count(portal, **params) -> int:
    query = urllib.parse.urlencode({**params, "rows": 0})
    with urllib.request.urlopen(portal.url(f"/api/3/action/package_search?{query}")) as r:
        return json.load(r)["result"]["count"]


def test_an_area_name_finds_what_serves_the_area(page, portal, shot):
    serving_ngao = count(portal, fq="vocab_district:5205")
    assert serving_ngao > 5
    for query in ("งาว", "Ngao"):
        assert count(portal, q=query) >= serving_ngao, query
    page.goto(portal.url("/dataset/?q=งาว"))
    header = page.locator(".search-form h1").inner_text()
    assert "พบ" in header and "งาว" in header, header
    # every result says its type (and a poverty dataset its access level) in Thai
    results = page.locator("li.dataset-item")
    assert results.count() >= 10
    badges = page.locator("li.dataset-item .lampangpoverty-result-badge")
    assert badges.count() >= results.count()
    texts = set(badges.all_inner_texts())
    assert texts & {"ชุดข้อมูลความยากจน", "โครงการและบริการของหน่วยงาน"}, texts
    assert texts & {"สาธารณะ", "ลงทะเบียน", "อนุญาตเฉพาะราย"}, texts
    shot("search-ngao-th")
    page.goto(portal.url("/dataset/?q=Ngao", lang="en"))
    assert "found" in page.locator(".search-form h1").inner_text()
    assert set(page.locator(".lampangpoverty-result-badge").all_inner_texts()) & {
        "Poverty dataset", "Agency programme"}
    shot("search-ngao-en")


def outlines_drawn(page, container: str) -> int:
    """How many district outlines the map in ``container`` draws inside its visible box."""
    return page.evaluate("""(sel) => {
        const box = document.querySelector(sel).getBoundingClientRect();
        return [...document.querySelectorAll(sel + ' path')].filter(p => {
            const r = p.getBoundingClientRect();
            return r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1
                && r.top >= box.top - 1 && r.bottom <= box.bottom + 1; }).length; }""",
        container)


def test_the_maps_open_on_lampang_with_district_outlines(page, portal, shot):
    # No tile server is asked: a request outside the portal would fail this test (problems).
    page.goto(portal.url("/poverty-dataset/"))
    page.wait_for_selector("#dataset-map-container path")
    page.locator("#dataset-map").scroll_into_view_if_needed()
    # the 13 districts, all within the widget: it opens on the province
    assert outlines_drawn(page, "#dataset-map-container") >= 13
    assert page.locator("#dataset-map-container .leaflet-tile").count() == 0
    assert "กรองตามพื้นที่บนแผนที่" in page.locator("#dataset-map").inner_text()
    shot("search-map")
    page.goto(portal.url("/poverty-dataset/demo-bmn-ngao-2025"))
    page.wait_for_selector(".dataset-map path")
    page.locator(".dataset-map").first.scroll_into_view_if_needed()
    assert page.locator(".dataset-map path").count() >= 14  # the outlines and the extent
    assert "ขอบเขตพื้นที่ของชุดข้อมูล" in page.content()
    shot("dataset-extent-map")


def test_a_thai_page_and_its_english_twin(page, portal, shot):
    page.goto(portal.url("/poverty-dataset/demo-bmn-ngao-2025"))
    thai = page.locator("div.main").inner_text()
    assert "ขอบเขตพื้นที่ของชุดข้อมูล" in thai and "Dataset extent" not in thai
    shot("dataset-th")
    page.goto(portal.url("/poverty-dataset/demo-bmn-ngao-2025", lang="en"))
    english = page.locator("div.main").inner_text()
    assert "Dataset extent" in english and "ขอบเขตพื้นที่ของชุดข้อมูล" not in english
    shot("dataset-en")
