"""The front page, the area profiles and the gaps page as people meet them, in a real
Chromium: front page -> district (a click on the map) -> area profile -> programme, charts
drawn, no console error, Thai by default and English at /en/, desktop and phone."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("portal")


def test_front_page_to_district_to_tambon_to_programme(page, portal, shot, problems):
    page.goto(portal.url("/"))
    assert page.locator("h1.lampangpoverty-title").inner_text() == (
        "แพลตฟอร์มข้อมูลเปิดเพื่อแก้ไขปัญหาความยากจนจังหวัดลำปาง")
    assert "ยินดีต้อนรับสู่ CKAN" not in page.content()
    page.wait_for_selector("#home-map[data-ready='13']")
    assert page.locator(".lampangpoverty-open-programmes li a").count() >= 3
    shot("front-page")

    # a click on Thoen's outline on the district map opens Thoen's profile
    page.locator("#home-map path[data-code='5208']").click()
    page.wait_for_url("**/area/5208")
    assert page.locator("h1.page-heading").inner_text() == "เถิน"
    page.wait_for_selector("#area-map[data-ready='8']")
    for chart in ("#chart-trend", "#chart-coverage"):
        page.wait_for_selector(f"{chart}[data-ready]")
        assert int(page.get_attribute(chart, "data-ready")) >= 5
        assert page.evaluate(f"""() => {{
            const c = document.querySelector('{chart}');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
            return false; }}""")
    assert page.locator("table.lampangpoverty-needs tr[data-dimension]").count() == 5
    shot("district-profile")

    page.locator("table.lampangpoverty-subareas a").first.click()
    page.wait_for_url("**/area/5208*")
    assert page.locator(".lampangpoverty-area").get_attribute("data-area").startswith("5208")
    page.wait_for_selector("#area-map[data-ready]")
    shot("tambon-profile")

    # The programme page is the catalogue's: its extent map still asks the OpenStreetMap
    # tile server of ckanext.spatial.common_map.custom_url (config/ckan.ini), which this
    # machine cannot reach; the catalogue's maps are issue 13's. Our own pages ask nothing
    # outside the portal (checked above).
    problems.allow_host("tile.openstreetmap.org", "catalogue extent map (issue 13)")
    card = page.locator("article.lampangpoverty-programme").first
    assert card.locator(".badge").first.inner_text() in ("เปิดรับอยู่ขณะนี้", "ไม่เปิดรับขณะนี้")
    card.locator("h4 a").click()
    page.wait_for_url("**/agency-resource/**")
    shot("programme")


def test_english_at_en(page, portal, shot):
    page.goto(portal.url("/area/5205", lang="en"))
    assert page.locator("h1.page-heading").inner_text() == "Ngao"
    assert "Needs against programmes" in page.content()
    page.wait_for_selector("#chart-trend[data-ready]")
    shot("ngao-in-english")
    page.goto(portal.url("/", lang="en"))
    assert page.locator("h1.lampangpoverty-title").inner_text() == (
        "Lampang Poverty Open Data Platform")
    shot("front-page-in-english")


def test_gaps_page_and_about(page, portal, shot):
    page.goto(portal.url("/area/gaps"))
    page.wait_for_selector("#gap-map[data-ready='100']")
    assert page.locator("table.lampangpoverty-gaps tbody tr").count() >= 10
    shot("gaps")
    page.goto(portal.url("/about"))
    text = page.locator("article").inner_text()
    assert "นโยบายการเปิดเผยข้อมูล" in text and "เงื่อนไขการใช้" in text
    assert "CKAN is the world" not in page.content()
    shot("about")
