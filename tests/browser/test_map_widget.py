"""The search-by-location widget in the page's language (issue 13): ckanext-spatial's own
messages (its button, dialog and Leaflet.draw's rectangle tool) and the boundary outlines'
attribution come from the portal's JS catalogue, Thai by default and English at /en/."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("portal")

EXPECTED = {
    "th": {"button": "วาดขอบเขตบนแผนที่", "title": "วาดกรอบพื้นที่ที่ต้องการค้นหาบนแผนที่:",
           "apply": "ใช้ขอบเขตนี้", "cancel": "ยกเลิก", "rectangle": "วาดกรอบสี่เหลี่ยม",
           "attribution": "ขอบเขตพื้นที่: กรมแผนที่ทหาร"},
    "en": {"button": "Draw an extent", "title": "Please draw query extent in the map:",
           "apply": "Apply", "cancel": "Cancel", "rectangle": "Draw a rectangle",
           "attribution": "Boundaries: RTSD"},
}


# the strings, not the layout, are under test: one viewport keeps CI time down
@pytest.mark.parametrize("viewport", ["desktop"])
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_location_filter_speaks_the_pages_language(page, portal, shot, lang, viewport):
    text = EXPECTED[lang]
    page.goto(portal.url("/poverty-dataset/", lang))
    widget = page.locator("#dataset-map")
    widget.locator("path").first.wait_for()
    widget.scroll_into_view_if_needed()
    assert text["attribution"] in widget.locator(".leaflet-control-attribution").inner_text()
    button = widget.locator("a.leaflet-control-custom-button")
    assert button.get_attribute("title") == text["button"]
    shot(f"widget-{lang}")
    button.click()
    dialog = page.locator(".modal.show, .modal.in").first
    dialog.wait_for()
    assert dialog.locator(".modal-title").inner_text().strip() == text["title"]
    assert dialog.locator(".btn-primary").inner_text().strip() == text["apply"]
    assert dialog.locator(".btn-cancel").inner_text().strip() == text["cancel"]
    assert dialog.locator("a.leaflet-draw-draw-rectangle").get_attribute("title") == \
        text["rectangle"]
    shot(f"draw-dialog-{lang}")
