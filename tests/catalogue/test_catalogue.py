"""The catalogue's three types through the Action API (the form uses the same validation):
create, update, show, search; each validator's field-level error; vocabularies as data;
facets; Thai and English labels; proposal-to-evidence links."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ..conftest import REQUIRED

TYPES = ["poverty-dataset", "agency-resource", "policy-proposal"]


def api_create(app, token, dataset_type, organization, **fields):
    data = {**REQUIRED[dataset_type], "type": dataset_type, "owner_org": organization["id"],
            "name": fields.pop("name", "record"), "title": fields.pop("title", "Record"), **fields}
    if dataset_type == "policy-proposal":
        data.setdefault("issuing_agencies", [organization["name"]])
    return app.post("/api/3/action/package_create", headers={"Authorization": token}, json=data,
                    expect_errors=True)


@pytest.fixture
def token(clean_db):
    sysadmin = factories.Sysadmin()
    return factories.APIToken(user=sysadmin["name"])["token"]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestLifecycle:
    @pytest.mark.parametrize("dataset_type", TYPES)
    def test_create_show_update_search(self, app, token, organization, dataset_type):
        res = api_create(app, token, dataset_type, organization, name="record-1",
                         title="ทะเบียนทดสอบการค้นหา", area_codes=["5210"])
        assert res.status_code == 200, res.body
        shown = call_action("package_show", id="record-1")
        assert shown["type"] == dataset_type
        assert shown["area_codes"] == ["5210"]

        updated = app.post("/api/3/action/package_patch", headers={"Authorization": token},
                           json={"id": "record-1", "title": "ทะเบียนปรับปรุงแล้ว"})
        assert updated.status_code == 200, updated.body
        assert call_action("package_show", id="record-1")["title"] == "ทะเบียนปรับปรุงแล้ว"

        found = call_action("package_search", q="ปรับปรุง", fq=f"dataset_type:{dataset_type}")
        assert [d["name"] for d in found["results"]] == ["record-1"]

    def test_vocabulary_fields_are_stored_as_lists(self, make_record):
        record = make_record(livelihood_capitals=["human", "financial"],
                             tpmap_dimensions=["income"], target_groups=["elderly"])
        shown = call_action("package_show", id=record["id"])
        assert sorted(shown["livelihood_capitals"]) == ["financial", "human"]
        assert shown["tpmap_dimensions"] == ["income"]

    def test_each_type_has_its_schema_documented_in_the_api(self):
        for dataset_type in TYPES:
            schema = call_action("scheming_dataset_schema_show", type=dataset_type)
            fields = {f["field_name"] for f in schema["dataset_fields"]}
            assert {"title", "notes", "owner_org"} <= fields
        poverty = call_action("scheming_dataset_schema_show", type="poverty-dataset")
        assert {"poverty_source", "unit_of_observation", "area_codes", "livelihood_capitals",
                "tpmap_dimensions", "access_level", "update_frequency_unit",
                "data_type"} <= {f["field_name"] for f in poverty["dataset_fields"]}


def error_fields(res) -> dict:
    assert res.status_code == 409, res.body
    return res.json["error"]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestValidation:
    """Every refusal is HTTP 409 naming the field, and nothing is stored."""

    def assert_refused(self, app, token, organization, dataset_type, field, **fields):
        res = api_create(app, token, dataset_type, organization, name="refused", **fields)
        errors = error_fields(res)
        assert field in errors, errors
        with pytest.raises(tk.ObjectNotFound):
            call_action("package_show", id="refused")
        return errors[field]

    def test_unknown_area_code(self, app, token, organization):
        message = self.assert_refused(app, token, organization, "poverty-dataset", "area_codes",
                                      area_codes=["5299"])
        assert "5299" in str(message)

    def test_area_of_another_province(self, app, token, organization):
        self.assert_refused(app, token, organization, "agency-resource", "area_codes",
                            area_codes=["100101"])

    def test_old_area_code_is_mapped_to_the_current_one(self, app, token, organization):
        # 520699 is Mueang Pan's code from when it belonged to Chae Hom; today it is 521301.
        res = api_create(app, token, organization=organization, dataset_type="poverty-dataset",
                         name="old-code", area_codes=["520699", "5201"])
        assert res.status_code == 200, res.body
        assert call_action("package_show", id="old-code")["area_codes"] == ["521301", "5201"]

    def test_reference_period_end_before_start(self, app, token, organization):
        message = self.assert_refused(app, token, organization, "poverty-dataset",
                                      "reference_period_end",
                                      reference_period_start="2025-06-01",
                                      reference_period_end="2025-01-31")
        # the start date is named as the reader reads dates (Thai by default: B.E.)
        assert "1 มิถุนายน 2568" in str(message)

    def test_close_date_before_open_date(self, app, token, organization):
        self.assert_refused(app, token, organization, "agency-resource", "close_date",
                            open_date="2026-03-01", close_date="2026-02-01")

    def test_negative_budget(self, app, token, organization):
        self.assert_refused(app, token, organization, "agency-resource", "budget_baht",
                            budget_baht="-1000")

    def test_negative_capacity(self, app, token, organization):
        self.assert_refused(app, token, organization, "agency-resource", "capacity", capacity=-5)

    def test_evidence_link_to_a_missing_dataset(self, app, token, organization):
        message = self.assert_refused(app, token, organization, "policy-proposal",
                                      "evidence_datasets", evidence_datasets=["no-such-dataset"])
        assert "no-such-dataset" in str(message)

    def test_evidence_link_to_another_type(self, app, token, organization, make_record):
        make_record("agency-resource", name="a-service")
        self.assert_refused(app, token, organization, "policy-proposal", "evidence_datasets",
                            evidence_datasets=["a-service"])

    @pytest.mark.parametrize("field,value", [
        ("livelihood_capitals", ["human", "spiritual"]),
        ("tpmap_dimensions", ["happiness"]),
        ("access_level", "secret"),
        ("poverty_source", "rumour"),
    ])
    def test_choice_outside_its_vocabulary(self, app, token, organization, field, value):
        self.assert_refused(app, token, organization, "poverty-dataset", field, **{field: value})

    def test_programme_kind_outside_its_vocabulary(self, app, token, organization):
        self.assert_refused(app, token, organization, "agency-resource", "programme_kind",
                            programme_kind="lottery")

    def test_issuing_agency_that_does_not_exist(self, app, token, organization):
        self.assert_refused(app, token, organization, "policy-proposal", "issuing_agencies",
                            issuing_agencies=["no-such-agency"])

    @pytest.mark.parametrize("dataset_type", TYPES)
    @pytest.mark.parametrize("field", ["title", "notes", "maintainer"])
    def test_script_tags_in_text_fields(self, app, token, organization, dataset_type, field):
        self.assert_refused(app, token, organization, dataset_type, field,
                            **{field: 'ข้อมูล<script>alert("x")</script>'})

    def test_script_in_a_resource_description(self, app, token, organization):
        res = api_create(app, token, "poverty-dataset", organization, name="refused",
                         resources=[{"url": "https://example.org/a.csv",
                                     "description": "<SCRIPT src=//evil></SCRIPT>"}])
        errors = error_fields(res)
        assert "description" in json.dumps(errors["resources"])

    def test_the_form_shows_the_error_beside_the_field_and_stores_nothing(self, app, token,
                                                                          organization):
        form = {**REQUIRED["poverty-dataset"], "name": "from-form", "title": "จากแบบฟอร์ม",
                "owner_org": organization["id"], "area_codes": "5299",
                "reference_period_start": "2025-06-01", "reference_period_end": "2025-01-01",
                "save": "continue"}
        res = app.post("/th/poverty-dataset/new", data=form, headers={"Authorization": token})
        assert res.status_code == 200
        assert "5299 ไม่ใช่รหัสพื้นที่ของจังหวัดลำปาง" in res.body
        assert "ต้องไม่ก่อนวันที่ 1 มิถุนายน 2568" in res.body
        with pytest.raises(tk.ObjectNotFound):
            call_action("package_show", id="from-form")

    def test_markup_in_a_plain_title(self, app, token, organization):
        self.assert_refused(app, token, organization, "poverty-dataset", "title",
                            title="<b>bold</b> title")

    def test_a_failed_update_leaves_the_record_as_it_was(self, app, token, make_record):
        make_record(name="kept", title="Before")
        res = app.post("/api/3/action/package_patch", headers={"Authorization": token},
                       json={"id": "kept", "title": "After", "area_codes": ["9999"]},
                       expect_errors=True)
        assert "area_codes" in error_fields(res)
        kept = call_action("package_show", id="kept")
        assert kept["title"] == "Before" and kept["area_codes"] == ["5208"]


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("dataset_type", TYPES)
def test_thai_words_in_notes_and_tags_are_found_for_each_type(make_record, dataset_type):
    make_record(dataset_type, name="thai", title="Record",
                notes="โครงการส่งเสริมอาชีพเกษตรกรรายย่อย", tags=[{"name": "หนี้สินครัวเรือน"}])
    make_record(dataset_type, name="other", title="Other", notes="-")
    for word in ("อาชีพ", "เกษตรกร", "หนี้สิน"):
        found = call_action("package_search", q=word, fq=f"dataset_type:{dataset_type}")
        assert [d["name"] for d in found["results"]] == ["thai"], word


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestDisplay:
    def test_text_is_escaped_on_display(self, app, make_record):
        make_record(name="escaped", title="A & B < C",
                    notes='1 < 2 <form action="https://example.org"><input name=pw></form>',
                    maintainer="Somchai & Co")
        body = app.get("/poverty-dataset/escaped").body
        assert "A &amp; B &lt; C" in body
        assert "<form action=" not in body and "<input name=pw" not in body
        assert "Somchai &amp; Co" in body

    def test_field_labels_follow_the_language(self, app, make_record):
        make_record(name="labels", livelihood_capitals=["human"], area_codes=["5205"])
        thai = app.get("/th/poverty-dataset/labels").body
        english = app.get("/en/poverty-dataset/labels").body
        assert "แหล่งข้อมูล" in thai and "ทุนมนุษย์" in thai and "งาว" in thai
        assert "Source" in english and "Human capital" in english and "Ngao" in english

    def test_dates_are_shown_the_thai_way_in_thai(self, app, make_record):
        make_record(name="dated", reference_period_start="2025-10-01")
        assert "1 ตุลาคม 2568" in app.get("/th/poverty-dataset/dated").body
        assert "1 October 2025" in app.get("/en/poverty-dataset/dated").body

    def test_each_type_has_its_own_listing_page(self, app, make_record):
        make_record("poverty-dataset", name="p1", title="Listed poverty data")
        make_record("agency-resource", name="a1", title="Listed agency service")
        poverty_page = app.get("/poverty-dataset/").body
        assert "Listed poverty data" in poverty_page and "Listed agency service" not in poverty_page
        all_page = app.get("/dataset/").body
        assert "Listed poverty data" in all_page and "Listed agency service" in all_page

    def test_search_page_has_the_map_filter_and_record_pages_show_the_extent(self, app,
                                                                            make_record):
        make_record(name="mapped", area_codes=["5210"])
        assert 'data-module="spatial-query"' in app.get("/dataset/").body
        page = app.get("/poverty-dataset/mapped").body
        assert 'data-module="dataset-map"' in page
        assert "Polygon" in page  # the extent drawn from Mae Tha's boundary

    def test_new_record_form_shows_thai_labels(self, app, token, organization):
        res = app.get("/poverty-dataset/new", headers={"Authorization": token})
        assert "หน่วยของข้อมูล" in res.body and "ทุนการดำรงชีพที่ครอบคลุม" in res.body


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestEvidenceLinks:
    def test_proposal_links_to_its_evidence_and_the_evidence_lists_the_proposal(self, app,
                                                                               make_record):
        make_record(name="bmn-thoen", title="BMN Thoen")
        make_record(name="unused", title="Not cited")
        make_record("policy-proposal", name="prop", title="ข้อเสนอเพิ่มรายได้",
                    evidence_datasets=["bmn-thoen"])
        assert call_action("package_show", id="prop")["evidence_datasets"] == ["bmn-thoen"]
        assert "/poverty-dataset/bmn-thoen" in app.get("/policy-proposal/prop").body
        assert "ข้อเสนอเพิ่มรายได้" in app.get("/poverty-dataset/bmn-thoen").body
        assert "ข้อเสนอเพิ่มรายได้" not in app.get("/poverty-dataset/unused").body

    def test_evidence_can_be_given_as_comma_separated_text(self, make_record):
        make_record(name="a1")
        make_record(name="b2")
        prop = make_record("policy-proposal", evidence_datasets="a1, b2")
        assert prop["evidence_datasets"] == ["a1", "b2"]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestFacets:
    def facets(self, **params):
        result = call_action("package_search", rows=0, **params,
                             **{"facet.field": json.dumps(list(self.fields))})
        return {f: {i["name"]: (i["count"], i["display_name"]) for i in v["items"]}
                for f, v in result["search_facets"].items()}

    fields = ("dataset_type", "vocab_district", "vocab_tambon", "vocab_livelihood_capitals",
              "vocab_tpmap_dimensions", "vocab_target_groups", "vocab_programme_kind",
              "organization", "vocab_sector", "vocab_access_level", "res_format", "vocab_year")

    def test_facets_count_and_label_every_dimension(self, make_record):
        make_record(name="p1", area_codes=["520801"], livelihood_capitals=["human"],
                    tpmap_dimensions=["health"], target_groups=["elderly"],
                    access_level="registered", reference_period_start="2024-01-01",
                    resources=[{"url": "https://example.org/a.csv", "format": "CSV"}])
        make_record("agency-resource", name="a1", area_codes=["5213"],
                    programme_kind="scholarship", target_groups=["elderly", "children"])
        facets = self.facets()
        assert facets["dataset_type"]["poverty-dataset"][0] == 1
        assert facets["vocab_district"]["5208"][0] == 1  # from its tambon 520801
        assert facets["vocab_district"]["5213"][0] == 1
        assert facets["vocab_tambon"]["520801"][0] == 1
        assert facets["vocab_livelihood_capitals"]["human"][0] == 1
        assert facets["vocab_tpmap_dimensions"]["health"][0] == 1
        assert facets["vocab_target_groups"]["elderly"][0] == 2
        assert facets["vocab_programme_kind"]["scholarship"][0] == 1
        assert facets["vocab_sector"]["government"][0] == 2
        assert facets["vocab_access_level"]["registered"][0] == 1
        assert facets["res_format"]["CSV"][0] == 1
        assert facets["vocab_year"]["2024"][0] == 1

    def test_facet_values_are_labelled_in_the_language_of_the_request(self, app, make_record):
        make_record(name="p1", area_codes=["5205"], livelihood_capitals=["natural"])
        params = {"facet.field": json.dumps(["vocab_district", "vocab_livelihood_capitals",
                                             "dataset_type", "vocab_year"]), "rows": 0}
        thai = app.get("/th/api/3/action/package_search", query_string=params).json["result"]
        english = app.get("/en/api/3/action/package_search", query_string=params).json["result"]

        def label(result, field, name):
            items = result["search_facets"][field]["items"]
            return {i["name"]: i["display_name"] for i in items}[name]

        assert "งาว" in label(thai, "vocab_district", "5205")
        assert "Ngao" in label(english, "vocab_district", "5205")
        assert label(thai, "vocab_livelihood_capitals", "natural") == "ทุนธรรมชาติ"
        assert label(english, "vocab_livelihood_capitals", "natural") == "Natural capital"
        assert label(thai, "vocab_year", "2025") == "2568"
        assert label(english, "vocab_year", "2025") == "2025"

    def test_filtering_by_a_facet(self, make_record):
        make_record(name="ngao", area_codes=["5205"])
        make_record(name="thoen", area_codes=["5208"])
        found = call_action("package_search", fq="vocab_district:5205")
        assert [d["name"] for d in found["results"]] == ["ngao"]

    def test_the_dataset_page_shows_facet_titles_in_thai(self, app, make_record):
        make_record(name="p1")
        body = app.get("/th/dataset/").body
        for title in ("อำเภอ", "ทุนการดำรงชีพ", "มิติ TPMAP", "กลุ่มเป้าหมาย", "ภาคส่วน"):
            assert title in body, title


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestVocabulariesAsData:
    def test_a_sysadmin_adds_a_term_without_a_deploy(self, app, token, organization):
        sysadmin = {"user": factories.Sysadmin()["name"]}
        vocab = call_action("vocabulary_show", id="target_groups")
        call_action("tag_create", dict(sysadmin), name="returning_migrants",
                    vocabulary_id=vocab["id"])
        call_action("term_translation_update", dict(sysadmin), term="returning_migrants",
                    term_translation="แรงงานคืนถิ่น", lang_code="th")
        res = api_create(app, token, "poverty-dataset", organization, name="migrants",
                         target_groups=["returning_migrants"])
        assert res.status_code == 200, res.body
        assert "แรงงานคืนถิ่น" in app.get("/th/poverty-dataset/migrants").body

    def test_only_sysadmins_may_edit_vocabularies(self, clean_db):
        user = factories.User()
        vocab = call_action("vocabulary_show", id="target_groups")
        with pytest.raises(tk.NotAuthorized):
            call_action("tag_create", {"user": user["name"], "ignore_auth": False},
                        name="x", vocabulary_id=vocab["id"])

    def test_seeding_again_keeps_a_sysadmins_label(self, clean_db):
        from ckanext.lampangpoverty.catalogue import vocabulary

        call_action("term_translation_update", term="human", term_translation="ทุนคน",
                    lang_code="th")
        assert vocabulary.seed() == {"vocabularies": 0, "terms": 0, "labels": 0}
        assert vocabulary.labels(["human"])["human"]["th"] == "ทุนคน"


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestPartnerOrganizations:
    def test_sector_is_required_and_from_its_list(self):
        with pytest.raises(tk.ValidationError) as e:
            factories.Organization(sector="")
        assert "sector" in e.value.error_dict
        with pytest.raises(tk.ValidationError) as e:
            factories.Organization(sector="church")
        assert "sector" in e.value.error_dict

    def test_organisation_fields_are_stored(self):
        org = factories.Organization(sector="education", agency_code="EDU-01",
                                     districts_served=["5201", "5213"],
                                     website="https://example.org/edu")
        shown = call_action("organization_show", id=org["id"])
        assert shown["sector"] == "education"
        assert shown["districts_served"] == ["5201", "5213"]
        assert shown["agency_code"] == "EDU-01"
