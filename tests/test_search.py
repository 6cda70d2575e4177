"""Search against the real Solr with the project's configset: Thai words inside unspaced
Thai text are found, English stemming still works, and the spatial index answers a
bounding-box query."""
from __future__ import annotations

import json

import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

THAI_TITLE = "ข้อมูลครัวเรือนยากจนจังหวัดลำปาง"  # "poor-household data, Lampang province"


def search(**params) -> list[str]:
    return [d["name"] for d in call_action("package_search", **params)["results"]]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestThaiSearch:
    def test_a_word_inside_an_unspaced_thai_title_finds_the_dataset(self, organization):
        factories.Dataset(type="poverty-dataset", name="thai-title", title=THAI_TITLE,
                          notes="", owner_org=organization["id"])
        factories.Dataset(type="poverty-dataset", name="other", title="ข้อมูลสุขภาพ",
                          notes="", owner_org=organization["id"])
        for word in ("ยากจน", "ครัวเรือน", "ลำปาง"):
            assert search(q=word) == ["thai-title"], word

    def test_thai_words_in_the_description_are_found(self, organization):
        factories.Dataset(type="poverty-dataset", name="thai-notes", title="Survey",
                          notes="สำรวจรายได้ครัวเรือนในอำเภอเถิน", owner_org=organization["id"])
        assert search(q="รายได้") == ["thai-notes"]
        assert search(q="เถิน") == ["thai-notes"]

    def test_a_fragment_that_is_not_a_word_does_not_match(self, organization):
        # Word segmentation, not substring search: "รัวเรือ" lies inside "ครัวเรือน" but is
        # no word, and "สุขภาพ" (health) is not in the title at all.
        factories.Dataset(type="poverty-dataset", name="thai-title", title=THAI_TITLE,
                          notes="", owner_org=organization["id"])
        assert search(q="รัวเรือ") == []
        assert search(q="สุขภาพ") == []

    def test_a_multi_word_thai_query_finds_the_phrase(self, organization):
        factories.Dataset(type="poverty-dataset", name="thai-title", title=THAI_TITLE,
                          notes="", owner_org=organization["id"])
        assert search(q="ครัวเรือนยากจน") == ["thai-title"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_english_title_is_found_by_a_stemmed_query(organization):
    factories.Dataset(type="poverty-dataset", name="english", title="Households surveyed in Ngao",
                      notes="", owner_org=organization["id"])
    assert search(q="household survey") == ["english"]
    assert search(q="surveying") == ["english"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_bounding_box_search_finds_a_dataset_by_its_extent(organization):
    # A box around Thoen district (amphoe 5208), south of Lampang city.
    thoen = {"type": "Polygon", "coordinates": [[[99.10, 17.45], [99.35, 17.45], [99.35, 17.75],
                                                  [99.10, 17.75], [99.10, 17.45]]]}
    factories.Dataset(type="poverty-dataset", name="thoen", title="Thoen",
                      spatial=json.dumps(thoen), owner_org=organization["id"])
    factories.Dataset(type="poverty-dataset", name="no-extent", title="Elsewhere",
                      owner_org=organization["id"])
    assert search(extras={"ext_bbox": "99.2,17.5,99.3,17.6"}) == ["thoen"]
    # Mueang Pan, far to the north of Thoen: nothing there.
    assert search(extras={"ext_bbox": "99.4,18.7,99.6,18.9"}) == []
