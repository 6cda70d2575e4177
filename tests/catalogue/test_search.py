"""Search against the real Solr with the project's configset: Thai words inside unspaced
Thai text are found, English stemming still works, and the spatial index answers a
bounding-box query."""
from __future__ import annotations

import json

import pytest

from ckan.tests.helpers import call_action

THAI_TITLE = "ข้อมูลครัวเรือนยากจนจังหวัดลำปาง"  # "poor-household data, Lampang province"


def search(**params) -> list[str]:
    return [d["name"] for d in call_action("package_search", **params)["results"]]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestThaiSearch:
    def test_a_word_inside_an_unspaced_thai_title_finds_the_dataset(self, make_record):
        make_record(name="thai-title", title=THAI_TITLE, notes="-")
        make_record(name="other", title="ข้อมูลสุขภาพ", notes="-")
        for word in ("ยากจน", "ครัวเรือน", "ลำปาง"):
            assert search(q=word) == ["thai-title"], word

    def test_thai_words_in_the_description_are_found(self, make_record):
        make_record(name="thai-notes", title="Survey",
                          notes="สำรวจรายได้ครัวเรือนในอำเภอเถิน")
        assert search(q="รายได้") == ["thai-notes"]
        assert search(q="เถิน") == ["thai-notes"]

    def test_a_fragment_that_is_not_a_word_does_not_match(self, make_record):
        # Word segmentation, not substring search: "รัวเรือ" lies inside "ครัวเรือน" but is
        # no word, and "สุขภาพ" (health) is not in the title at all.
        make_record(name="thai-title", title=THAI_TITLE, notes="-")
        assert search(q="รัวเรือ") == []
        assert search(q="สุขภาพ") == []

    def test_a_multi_word_thai_query_finds_the_phrase(self, make_record):
        make_record(name="thai-title", title=THAI_TITLE, notes="-")
        assert search(q="ครัวเรือนยากจน") == ["thai-title"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_english_title_is_found_by_a_stemmed_query(make_record):
    make_record(name="english", title="Households surveyed in Ngao", notes="-")
    assert search(q="household survey") == ["english"]
    assert search(q="surveying") == ["english"]


# A box inside Thoen district (amphoe 5208), south of Lampang city, and one inside Mueang
# Pan district (5213), in the north of the province.
THOEN_BOX = "99.2,17.5,99.3,17.6"
MUEANG_PAN_BOX = "99.45,18.75,99.55,18.85"


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestMapSearch:
    def test_an_explicit_extent_is_found_by_a_box_over_it(self, make_record):
        thoen = {"type": "Polygon", "coordinates": [[[99.10, 17.45], [99.35, 17.45], [99.35, 17.75],
                                                      [99.10, 17.75], [99.10, 17.45]]]}
        make_record(name="explicit", title="Explicit", spatial=json.dumps(thoen),
                    area_codes=["52"])
        assert search(extras={"ext_bbox": "99.2,17.5,99.3,17.6"}) == ["explicit"]
        # The explicit extent wins over the (province-wide) area codes.
        assert search(extras={"ext_bbox": MUEANG_PAN_BOX}) == []

    @pytest.mark.parametrize("dataset_type", ["poverty-dataset", "agency-resource"])
    def test_the_extent_is_derived_from_the_area_codes(self, make_record, dataset_type):
        make_record(dataset_type, name="thoen", title="Thoen", area_codes=["5208"])
        make_record(dataset_type, name="mueang-pan", title="Mueang Pan", area_codes=["521301"])
        assert search(extras={"ext_bbox": THOEN_BOX}) == ["thoen"]
        assert search(extras={"ext_bbox": MUEANG_PAN_BOX}) == ["mueang-pan"]

    def test_a_province_wide_record_is_found_in_every_district(self, make_record):
        make_record(name="province", title="Province", area_codes=["52"])
        assert search(extras={"ext_bbox": THOEN_BOX}) == ["province"]
        assert search(extras={"ext_bbox": MUEANG_PAN_BOX}) == ["province"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_an_area_name_finds_every_record_serving_the_area(make_record):
    """Searching an area's name finds every record serving it, whether the record names the
    district, one of its tambons, or neither in its text (one set of records, several
    queries: indexing is the slow part)."""
    make_record(name="ngao-district", title="Survey A", notes="-", area_codes=["5205"])
    make_record(name="ngao-tambon", title="Survey B", notes="-", area_codes=["520501"])
    make_record("agency-resource", name="ngao-programme", title="Programme C",
                area_codes=["520502", "5208"])
    make_record(name="thoen-only", title="Survey D", notes="-", area_codes=["5208"])
    for query in ("งาว", "Ngao", "ngao", "อำเภองาว"):
        assert sorted(search(q=query)) == ["ngao-district", "ngao-programme", "ngao-tambon"], \
            query
    # A tambon's name finds that tambon's records only; a district's, all of its own.
    assert search(q="หลวงเหนือ") == ["ngao-tambon"]
    assert search(q="ตำบลหลวงเหนือ") == ["ngao-tambon"]
    assert search(q="Luang Tai") == ["ngao-programme"]
    assert sorted(search(q="เถิน")) == ["ngao-programme", "thoen-only"]
