"""GD-Catalog records as ckanext-thai_gdc portals really serve them: every field kept (ours
where the meaning matches, an extra otherwise), licences read as licence ids, values that
cannot be used left out with a warning instead of losing the record, one record per remote
dataset across sources, and a source cut short that withdraws nothing."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from .conftest import harvested, run_job
from .test_ckan import Portal, gdc_dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

CONFIG = {"defaults": {"unit_of_observation": "amphoe", "area_codes": ["5201"]}}


def thai_gdc(n: int, **fields) -> dict:
    """A record with every GD-Catalog field, as package_show of a thai_gdc portal gives it
    (scheming multiple choices as lists, the rest as text)."""
    return gdc_dataset(n, **{
        "objective": ["ยุทธศาสตร์ชาติ", "พันธกิจหน่วยงาน"], "objective_other": "",
        "data_format": ["CSV", "XLS"], "data_category": "ข้อมูลสาธารณะ",
        "data_language": ["ไทย"], "disaggregate": ["เพศ", "อายุ/กลุ่มอายุ"],
        "official_statistics": "True", "geo_coverage": "ประเทศ",
        "update_frequency_unit": "วันทำการ", "data_support": "หน่วยงานของรัฐ",
        "data_collect": "ไม่มี", "unit_of_measure": "ร้อยละ", "high_value_dataset": "False",
        "allow_harvest": "True", "reference_url_catalog": "", "data_release_calendar": "",
        "license_id": "Creative Commons Attributions",
        "tags": [{"name": "กรมการปกครอง (DOPA)"}, {"name": "ข้อมูล จปฐ./กชช. 2ค"},
                 {"name": "ความยากจน"}],
        "resources": [{"url": f"https://data.example.go.th/{n}.csv", "name": "ตาราง",
                       "format": "CSV", "resource_data_collect": "ไม่มี"}],
        **fields})


@pytest.fixture
def portal(partner):
    portal = Portal([thai_gdc(1)])
    partner.serve("/api/3/action/package_search", portal)
    return portal


@pytest.fixture
def source(partner, portal, make_source):
    return make_source("lampangpoverty_ckan", partner.base, CONFIG)


def _show(record_id: str) -> dict:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": record_id})


def test_every_gd_catalog_field_is_kept(source):
    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1, summary
    record = _show(harvested(source["id"])[0].id)
    assert record["objective"] == ["ยุทธศาสตร์ชาติ", "พันธกิจหน่วยงาน"]
    assert record["data_format"] == ["CSV", "XLS"]
    assert record["data_category"] == "ข้อมูลสาธารณะ"
    assert record["data_language"] == ["ไทย"]
    assert record["disaggregate"] == ["เพศ", "อายุ/กลุ่มอายุ"]
    assert record["official_statistics"] == "True"
    assert record["geo_coverage"] == "ประเทศ"
    assert record["update_frequency_unit"] == "วันทำการ"
    assert record["license_id"] == "cc-by"
    assert {t["name"] for t in record["tags"]} == {
        "กรมการปกครอง (DOPA)", "ข้อมูล จปฐ./กชช. 2ค", "ความยากจน"}
    extras = {e["key"]: e["value"] for e in record["extras"]}
    assert extras["data_support"] == "หน่วยงานของรัฐ"
    assert extras["unit_of_measure"] == "ร้อยละ"
    assert extras["data_collect"] == "ไม่มี"
    assert summary["warnings"] == []
    assert record["resources"][0]["resource_data_collect"] == "ไม่มี"


def test_an_ftp_link_is_left_out_with_a_warning(portal, source):
    portal.datasets[0] = gdc_dataset(1)           # its second file is on an FTP server

    summary = run_job(source["id"])

    record = _show(harvested(source["id"])[0].id)
    assert [r["url"] for r in record["resources"]] == ["https://data.example.go.th/1.csv"]
    assert "ftp://old.example/file" in summary["warnings"][0]["message"]


@pytest.mark.parametrize("fields, expected", [
    ({"first_year_of_data": "2023"}, {"first_year_of_data": "2566",
                                      "reference_period_start": "2023-01-01"}),
    ({"first_year_of_data": "พ.ศ. 2566"}, {"first_year_of_data": "2566"}),
    ({"last_year_of_data": "ค.ศ. 2024"}, {"last_year_of_data": "2567"}),
    ({"update_frequency_interval": "-"}, {"update_frequency_interval": None}),
    ({"license_id": "อื่นๆ", "license_id_other": "CC BY 4.0"}, {"license_id": "cc-by"}),
    ({"license_id": "Open Data Common"}, {"license_id": "odc-by"}),
    ({"license_id": "http://creativecommons.org/licenses/by-sa/4.0/"},
     {"license_id": "cc-by-sa"}),
])
def test_values_written_as_partners_write_them_are_read(portal, source, fields, expected):
    portal.datasets[0] = thai_gdc(1, **fields)

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1, summary
    record = _show(harvested(source["id"])[0].id)
    for field, value in expected.items():
        assert record.get(field) == value, (field, record.get(field))


def test_a_value_that_cannot_be_used_leaves_the_field_empty_with_a_warning(portal, source):
    portal.datasets[0] = thai_gdc(
        1, first_year_of_data="ปีงบประมาณ 66", geo_coverage="ทั่วประเทศไทย",
        maintainer_email="ติดต่อสำนักงาน", license_id="อื่นๆ",
        license_id_other="ตามระเบียบกรม", tags=[{"name": "x"}, {"name": "<b>ภาษี</b>"},
                                                 {"name": "ครัวเรือน"}])

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1 and summary["counts"]["errored"] == 0, summary
    record = _show(harvested(source["id"])[0].id)
    assert "first_year_of_data" not in record and "geo_coverage" not in record
    assert not record.get("maintainer_email") and not record.get("license_id")
    assert [t["name"] for t in record["tags"]] == ["ครัวเรือน"]
    extras = {e["key"]: e["value"] for e in record["extras"]}
    assert extras["original_first_year_of_data"] == "ปีงบประมาณ 66"
    assert extras["original_geo_coverage"] == "ทั่วประเทศไทย"
    assert extras["original_maintainer_email"] == "ติดต่อสำนักงาน"
    assert extras["license_id_other"] == "ตามระเบียบกรม"
    assert "<b>ภาษี</b>" in extras["original_tags"]
    messages = " ".join(w["message"] for w in summary["warnings"])
    for field in ("first_year_of_data", "geo_coverage", "maintainer_email", "license_id",
                  "tags"):
        assert field in messages, (field, messages)
    assert summary["warnings"][0]["guid"] == portal.datasets[0]["id"]


def test_only_a_required_field_refuses_the_record(portal, source):
    """Without any year or date there is no reference period, which poverty datasets
    require: that record alone is refused, naming the field."""
    portal.datasets[0] = thai_gdc(1, first_year_of_data="ไม่ระบุ", metadata_created="")
    portal.datasets.append(thai_gdc(2, first_year_of_data="ไม่ทราบ"))

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1 and summary["counts"]["errored"] == 1, summary
    assert "reference_period_start" in summary["errors"][0]["message"]


def test_warnings_show_on_the_job_page_in_thai(app, portal, source, org_admin):
    from ckan.tests import factories

    portal.datasets[0] = thai_gdc(1, geo_coverage="ทั่วประเทศไทย")
    summary = run_job(source["id"])
    token = factories.APIToken(user=org_admin["user"]["name"])["token"]

    page = app.get(f"/harvest/{source['name']}/job/{summary['id']}",
                   headers={"Authorization": token}).body

    assert "คำเตือน" in page
    assert "ทั่วประเทศไทย" in page and "original_geo_coverage" in page


@pytest.mark.parametrize("url, expected", [
    ("HTTPS://DATA.EXAMPLE.GO.TH/files/a.csv", "https://data.example.go.th/files/a.csv"),
    ("data.example.go.th/files/a.csv", "http://data.example.go.th/files/a.csv"),
    ("/dataset/x/resource/y/download/a.csv", "{base}/dataset/x/resource/y/download/a.csv"),
])
def test_resource_addresses_as_portals_write_them(partner, portal, source, url, expected):
    portal.datasets[0] = thai_gdc(1, resources=[{"url": url, "name": "ตาราง", "format": "CSV"}])

    run_job(source["id"])

    record = _show(harvested(source["id"])[0].id)
    assert [r["url"] for r in record["resources"]] == [expected.format(base=partner.base)]


def test_one_record_per_remote_dataset_across_sources(partner, portal, make_source):
    """Two sources on one portal (one by organisation, one by tag) list the same dataset:
    the second links to the first source's record instead of publishing a copy."""
    portal.datasets[:] = [thai_gdc(1), thai_gdc(2)]
    first = make_source("lampangpoverty_ckan", partner.base,
                        {**CONFIG, "organizations": ["nso-lampang"]}, name="by-org",
                        title="By organisation")
    second = make_source("lampangpoverty_ckan", partner.base + "/",
                         {**CONFIG, "tags": ["ความยากจน"]}, name="by-tag")

    run_job(first["id"])
    summary = run_job(second["id"])

    assert summary["counts"]["added"] == 0 and summary["counts"]["unchanged"] == 2, summary
    assert harvested(second["id"]) == []
    assert len(harvested(first["id"])) == 2
    assert len(summary["warnings"]) == 2
    assert all("By organisation" in w["message"] for w in summary["warnings"])
    titles = [r["title"] for r in tk.get_action("package_search")(
        {"ignore_auth": True}, {"fq": "-dataset_type:harvest", "rows": 100})["results"]]
    assert sorted(titles) == sorted(set(titles))


def test_a_source_cut_to_a_few_rows_withdraws_nothing(partner, portal, source):
    """12 records, 3 of which were withdrawn by hand at our end: a listing of 5 is still a
    listing cut short."""
    portal.datasets[:] = [thai_gdc(n) for n in range(1, 13)]
    run_job(source["id"])
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    for record in harvested(source["id"])[:3]:
        tk.get_action("package_delete")({"user": site_user}, {"id": record.id})
    del portal.datasets[5:]

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed", summary
    assert "no longer lists 7 of its 12" in summary["gather_errors"][0]
    assert len(harvested(source["id"])) == 9


def test_a_script_in_a_kept_field_is_left_out_not_the_record(portal, source):
    portal.datasets[0] = thai_gdc(1, data_support="<script>alert(1)</script>",
                                  unit_of_measure="ครัวเรือน")

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1, summary
    extras = {e["key"]: e["value"] for e in _show(harvested(source["id"])[0].id)["extras"]}
    assert "data_support" not in extras and extras["unit_of_measure"] == "ครัวเรือน"
    assert not any("<script>" in value for value in extras.values())
    assert "extras" in summary["warnings"][0]["message"]
