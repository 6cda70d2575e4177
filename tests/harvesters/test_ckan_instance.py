"""Harvesting a real, separate CKAN 2.12 portal: the suite starts a second CKAN on loopback
(its own database on the test PostgreSQL, its own site id on the test Solr), seeds it through
its action API with datasets carrying GD-Catalog field names, and harvests it with
``lampangpoverty_ckan``: records arrive, a change at the portal updates ours, a deletion at
the portal withdraws ours."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ..conftest import load_stack
from .conftest import harvested, run_job, search
from .source_portal import SourcePortal

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

GDC = {"data_type": "ข้อมูลสถิติ", "geo_coverage": "จังหวัด", "update_frequency_unit": "ปี",
       "update_frequency_interval": "1", "first_year_of_data": "2565",
       "objective": "ยุทธศาสตร์ชาติ", "data_category": "ข้อมูลสาธารณะ", "data_collect": "ไม่มี",
       "data_language": "ไทย"}


@pytest.fixture(scope="module")
def portal():
    portal = SourcePortal(load_stack()).start()
    portal.call("organization_create", {"name": "lampang-pso", "title": "สำนักงานสถิติจังหวัดลำปาง"})
    portal.call("organization_create", {"name": "other-agency", "title": "หน่วยงานอื่น"})
    for n, org in ((1, "lampang-pso"), (2, "lampang-pso"), (3, "lampang-pso"),
                   (4, "other-agency")):
        portal.call("package_create", {
            "name": f"poverty-indicators-{n}", "title": f"ตัวชี้วัดความยากจน อำเภอที่ {n}",
            "notes": "ตัวชี้วัดความยากจนรายอำเภอ", "owner_org": org,
            "license_id": "cc-by", "maintainer": "สำนักงานสถิติจังหวัดลำปาง",
            "maintainer_email": "lampang@nso.go.th",
            "tags": [{"name": "ความยากจน"}],
            "extras": [{"key": k, "value": v} for k, v in GDC.items()],
            "resources": [{"url": f"https://data.example.go.th/{n}.csv", "name": "ตาราง",
                           "format": "CSV"}]})
    yield portal
    portal.stop()


def test_a_real_ckan_portal_is_harvested_updated_and_withdrawn(portal, make_source):
    source = make_source("lampangpoverty_ckan", portal.url, {
        "organizations": ["lampang-pso"],
        "defaults": {"unit_of_observation": "amphoe", "area_codes": ["5201", "5205"]}})

    summary = run_job(source["id"])

    assert summary["outcome"] == "succeeded", summary
    assert summary["counts"]["added"] == 3          # the other agency's dataset filtered out
    records = {r.name: r for r in harvested(source["id"])}
    record = tk.get_action("package_show")(
        {"ignore_auth": True}, {"id": records["src-ckan-poverty-indicators-1"].id})
    assert record["data_type"] == "ข้อมูลสถิติ" and record["update_frequency_unit"] == "ปี"
    assert record["reference_period_start"] == "2022-01-01"
    assert record["area_codes"] == ["5201", "5205"]
    assert search(q="ตัวชี้วัดความยากจน")["count"] == 3

    portal.call("package_patch", {"id": "poverty-indicators-2",
                                  "title": "ตัวชี้วัดความยากจน อำเภอที่ 2 (ปรับปรุง)"})
    portal.call("package_delete", {"id": "poverty-indicators-3"})
    summary = run_job(source["id"])

    assert summary["counts"] == {"added": 0, "updated": 1, "unchanged": 1, "withdrawn": 1,
                                 "errored": 0}, summary
    assert {r.title for r in harvested(source["id"])} == {
        "ตัวชี้วัดความยากจน อำเภอที่ 1", "ตัวชี้วัดความยากจน อำเภอที่ 2 (ปรับปรุง)"}
    assert len(harvested(source["id"], include_withdrawn=True)) == 3
