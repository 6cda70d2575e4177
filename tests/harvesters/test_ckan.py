"""``lampangpoverty_ckan`` against a CKAN action API served on 127.0.0.1 (the test of a real
second CKAN 2.12 instance is in test_ckan_instance.py): GD-Catalog fields mapped into ours,
paging, filters, incremental runs, and portals that fail in the known ways."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from .conftest import harvested, run_job, search

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def gdc_dataset(n: int, **fields) -> dict:
    """A dataset as a GD-Catalog portal (ckanext-thai_gdc) returns it from package_search."""
    return {
        "id": f"00000000-0000-0000-0000-{n:012d}", "name": f"poverty-{n}",
        "title": f"ข้อมูลครัวเรือนยากจน ชุดที่ {n}", "notes": "ข้อมูลจากพอร์ทัลจังหวัด",
        "metadata_created": "2024-05-01T03:00:00", "metadata_modified": "2025-01-01T00:00:00",
        "data_type": "ข้อมูลสถิติ", "data_collect": "ไม่มี", "geo_coverage": "จังหวัด",
        "update_frequency_unit": "ปี", "update_frequency_interval": "1",
        "first_year_of_data": "2566", "last_year_of_data": "2567",
        "objective": "ยุทธศาสตร์ชาติ", "data_category": "ข้อมูลสาธารณะ",
        "maintainer": "สำนักงานสถิติจังหวัดลำปาง", "maintainer_email": "lampang@nso.go.th",
        "license_id": "cc-by", "organization": {"name": "nso-lampang", "title": "สสจ. ลำปาง"},
        "tags": [{"name": "ความยากจน"}, {"name": "ลำปาง"}],
        "resources": [{"url": f"https://data.example.go.th/{n}.csv", "name": "ตาราง",
                       "format": "CSV"},
                      {"url": "ftp://old.example/file", "name": "ftp", "format": "CSV"}],
        **fields,
    }


class Portal:
    """package_search of a CKAN portal holding ``datasets``, paged as CKAN pages."""

    def __init__(self, datasets: list[dict]):
        self.datasets = datasets
        self.count_extra = 0          # a portal whose count and listing disagree
        self.listings = 0

    def __call__(self, query: dict) -> bytes:
        import json
        import re

        found = sorted(self.datasets, key=lambda d: d["id"])
        if query.get("fq", "").startswith("id:("):
            wanted = set(re.findall(r'"([^"]+)"', query["fq"]))
            found = [d for d in found if d["id"] in wanted]
        else:
            self.listings += 1
        start, rows = int(query.get("start", 0)), int(query.get("rows", 10))
        page = found[start:start + rows]
        if query.get("fl"):
            fields = query["fl"].split(",")
            page = [{f: d[f] for f in fields} for d in page]
        return json.dumps({"success": True, "result": {
            "count": len(found) + self.count_extra, "results": page}},
            ensure_ascii=False).encode()


@pytest.fixture
def portal(partner):
    portal = Portal([gdc_dataset(n) for n in range(1, 4)])
    partner.serve("/api/3/action/package_search", portal)
    return portal


@pytest.fixture
def source(partner, portal, make_source):
    return make_source("lampangpoverty_ckan", partner.base,
                       {"defaults": {"unit_of_observation": "amphoe", "area_codes": ["5201"]}})


def test_gd_catalog_fields_map_into_poverty_datasets(source):
    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 3, summary
    record = tk.get_action("package_show")({"ignore_auth": True},
                                           {"id": harvested(source["id"])[0].id})
    assert record["type"] == "poverty-dataset"
    assert record["data_type"] == "ข้อมูลสถิติ"
    assert record["update_frequency_unit"] == "ปี"
    assert record["first_year_of_data"] == "2566"
    assert record["reference_period_start"] == "2023-01-01"     # B.E. 2566 -> 2023
    assert record["maintainer_email"] == "lampang@nso.go.th"
    assert record["area_codes"] == ["5201"] and record["unit_of_observation"] == "amphoe"
    assert {t["name"] for t in record["tags"]} == {"ความยากจน", "ลำปาง"}
    assert [r["url"] for r in record["resources"]] == [
        f"https://data.example.go.th/{record['name'].rsplit('-', 1)[-1]}.csv"]
    assert record["private"] is False
    assert search(q="ครัวเรือนยากจน")["count"] == 3


def test_unchanged_datasets_are_not_imported_again(source, portal, partner):
    run_job(source["id"])
    portal.datasets[0] = {**portal.datasets[0], "metadata_modified": "2025-06-01T00:00:00",
                          "title": "ข้อมูลครัวเรือนยากจน ฉบับปรับปรุง"}
    summary = run_job(source["id"])
    assert summary["counts"] == {"added": 0, "updated": 1, "unchanged": 2, "withdrawn": 0,
                                 "errored": 0}
    assert len(harvested(source["id"], include_withdrawn=True)) == 3
    # Only the modified dataset was read in full; the listing carried ids and dates only.
    reads = [q for path, q in partner.requests if q.get("fq", "").startswith("id:(")]
    assert reads[-1]["fq"] == f'id:("{portal.datasets[0]["id"]}")'
    listings = [q for path, q in partner.requests if "fl" in q]
    assert listings[-1]["fl"] == "id,metadata_modified"


def test_many_pages_are_followed_and_counted(partner, make_source, monkeypatch):
    from ckanext.lampangpoverty.harvesters.ckan import CkanHarvester

    monkeypatch.setattr(CkanHarvester, "page", 4)
    partner.serve("/api/3/action/package_search",
                  Portal([gdc_dataset(n) for n in range(1, 11)]))
    source = make_source("lampangpoverty_ckan", partner.base,
                         {"defaults": {"unit_of_observation": "amphoe", "area_codes": ["52"]}})
    summary = run_job(source["id"])
    assert summary["counts"]["added"] == 10
    starts = [q["start"] for path, q in partner.requests if "fl" in q]
    assert starts == ["0", "4", "8"]


def test_filters_from_the_config_reach_the_portal(partner, portal, make_source):
    source = make_source("lampangpoverty_ckan", partner.base, {
        "organizations": ["nso-lampang"], "tags": ["ความยากจน"], "q": "จปฐ",
        "defaults": {"unit_of_observation": "amphoe", "area_codes": ["52"]}})
    run_job(source["id"])
    query = partner.requests[0][1]
    assert query["q"] == "จปฐ"
    assert query["fq"] == 'organization:("nso-lampang") AND tags:("ความยากจน")'


def test_household_level_datasets_arrive_private_and_their_tables_go_to_the_gate(
        source, portal, partner):
    from ckan import model
    from ckanext.harvest.model import HarvestObject

    from ckanext.lampangpoverty.disclosure import synthetic
    from ckanext.lampangpoverty.model import Microdata

    people = synthetic.households(300, seed=3)
    table_url = partner.serve("/files/bmn.csv", people.to_csv(index=False),
                              content_type="text/csv")
    portal.datasets[0] = gdc_dataset(1, data_collect="ครัวเรือน/ครอบครัว", resources=[
        {"url": table_url, "name": "จปฐ. รายครัวเรือน", "format": "CSV"}])

    run_job(source["id"])

    household = next(r for r in harvested(source["id"]) if r.name.endswith("poverty-1"))
    assert household.private is True
    assert household.resources == []                  # the raw file is never linked
    assert search(fq=f"id:{household.id}", include_private=False)["count"] == 0
    submission = Microdata.latest(household.id)
    assert submission.status == "needs_roles" and submission.filename == "bmn.csv"
    assert submission.roles["national_id"] == "direct_identifier"
    raw_id = people["national_id"].iloc[0]
    assert search(q=raw_id)["count"] == 0
    assert not any(raw_id in (o.content or "") for o in model.Session.query(HarvestObject))


def test_an_unreachable_household_table_errors_the_record_and_is_retried(source, portal,
                                                                          partner):
    portal.datasets[0] = gdc_dataset(1, data_collect="บุคคล", resources=[
        {"url": partner.url("/files/missing.csv"), "format": "CSV"}])

    summary = run_job(source["id"])
    assert summary["counts"]["errored"] == 1
    assert "gate" in summary["errors"][0]["message"] and "404" in summary["errors"][0]["message"]

    partner.serve("/files/missing.csv", "age,sex\n30,M\n", content_type="text/csv")
    assert run_job(source["id"])["counts"]["updated"] == 1


@pytest.mark.ckan_config("ckanext.lampangpoverty.harvest.retries", "1")
@pytest.mark.parametrize("serve, reason", [
    (dict(body=b"<html><body>Maintenance</body></html>", content_type="text/html"),
     "did not answer with JSON"),
    (dict(body=b"oops", status=500, content_type="text/plain"), "HTTP 500"),
    (dict(body=b'{"success": true, "result": {"count": 0, "results": []}}'), "no datasets"),
    (dict(body=b'{"success": false, "error": {"message": "x"}}'), "CKAN action API"),
])
def test_a_failing_portal_fails_the_job_and_withdraws_nothing(partner, source, serve, reason):
    run_job(source["id"])
    before = {r.id: r.metadata_modified for r in harvested(source["id"])}
    partner.serve("/api/3/action/package_search", **serve)

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert reason in summary["gather_errors"][0]
    assert {r.id: r.metadata_modified for r in harvested(source["id"])} == before


def test_a_truncated_listing_withdraws_nothing(source, portal):
    run_job(source["id"])
    portal.count_extra = 2
    del portal.datasets[0]

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert "counted 4" in summary["gather_errors"][0]
    assert len(harvested(source["id"])) == 3


def test_a_changed_source_config_reimports_unmodified_datasets(source, portal, org_admin):
    run_job(source["id"])
    tk.get_action("harvest_source_update")({"user": org_admin["user"]["name"]}, {
        **{k: source[k] for k in ("id", "name", "title", "url", "source_type", "owner_org")},
        "config": '{"defaults": {"unit_of_observation": "amphoe", "area_codes": ["5213"]}}'})
    summary = run_job(source["id"])
    assert summary["counts"]["updated"] == 3
    assert all(tk.get_action("package_show")({"ignore_auth": True}, {"id": r.id})["area_codes"]
               == ["5213"] for r in harvested(source["id"]))
