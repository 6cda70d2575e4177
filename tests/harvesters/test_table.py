"""``lampangpoverty_table`` against a partner table served on 127.0.0.1: rows become
agency programmes, runs leave no duplicates, changes update in place, rows gone are
withdrawn (kept, not shown), and broken sources fail the job without touching anything."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan import model

from .conftest import harvested, run_job, search

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

HEADER = "รหัส,ชื่อโครงการ,อำเภอ,งบประมาณ,ผู้ติดต่อ\n"
ROWS = {
    "P1": "P1,ซ่อมแซมบ้านผู้มีรายได้น้อย,5201,150000,นายสมชาย ใจดี\n",
    "P2": "P2,ฝึกอาชีพทอผ้า,5208,80000,นางสาวศรี ทองดี\n",
    "P3": "P3,กองทุนเมล็ดพันธุ์,5213,30000,นางมาลี สุขใจ\n",
}
CONFIG = {
    "type": "agency-resource", "key": "รหัส",
    "fields": {"title": "ชื่อโครงการ", "area_codes": "อำเภอ", "budget_baht": "งบประมาณ",
               "maintainer": "ผู้ติดต่อ"},
    "defaults": {"programme_kind": "housing_repair", "eligibility": "ครัวเรือนยากจนเป้าหมาย",
                 "programme_status": "open"},
}


def table(*keys: str, encoding: str = "cp874") -> bytes:
    return (HEADER + "".join(ROWS[k] for k in keys)).encode(encoding)


@pytest.fixture
def source(partner, make_source):
    partner.serve("/programmes.csv", table("P1", "P2", "P3"), content_type="text/csv")
    return make_source("lampangpoverty_table", partner.url("/programmes.csv"), CONFIG)


def test_rows_become_searchable_programmes_with_their_source(source):
    summary = run_job(source["id"])

    assert summary["outcome"] == "succeeded", summary
    assert summary["counts"] == {"added": 3, "updated": 0, "unchanged": 0, "withdrawn": 0,
                                 "errored": 0}
    records = harvested(source["id"])
    assert sorted(r.title for r in records) == sorted(
        ["ซ่อมแซมบ้านผู้มีรายได้น้อย", "ฝึกอาชีพทอผ้า", "กองทุนเมล็ดพันธุ์"])
    # TIS-620 text arrived intact and is searchable in Thai.
    found = search(q="ทอผ้า")["results"]
    assert [r["title"] for r in found] == ["ฝึกอาชีพทอผ้า"]
    assert found[0]["type"] == "agency-resource"
    assert found[0]["owner_org"] == source["owner_org"]
    assert found[0]["area_codes"] == ["5208"]
    info = tk.h.lampangpoverty_harvest_info(found[0]["id"])
    assert info["source_title"] == "Partner source" and info["guid"] == "P2"
    assert info["last_harvested"]


def test_five_runs_leave_one_record_per_row(source):
    for _ in range(5):
        summary = run_job(source["id"])
    assert summary["counts"]["unchanged"] == 3 and summary["counts"]["added"] == 0
    records = harvested(source["id"], include_withdrawn=True)
    assert len(records) == 3
    assert search(fq=f"owner_org:{source['owner_org']}")["count"] == 3


def test_a_changed_row_updates_the_record_in_place(source, partner):
    run_job(source["id"])
    before = {r.title: r.id for r in harvested(source["id"])}
    partner.serve("/programmes.csv", table("P1", "P2", "P3").replace(
        "ฝึกอาชีพทอผ้า".encode("cp874"), "ฝึกอาชีพทอผ้าไหม".encode("cp874")),
        content_type="text/csv")

    summary = run_job(source["id"])

    assert summary["counts"] == {"added": 0, "updated": 1, "unchanged": 2, "withdrawn": 0,
                                 "errored": 0}
    after = {r.title: r.id for r in harvested(source["id"])}
    assert after["ฝึกอาชีพทอผ้าไหม"] == before["ฝึกอาชีพทอผ้า"]
    assert len(after) == 3


def test_a_row_gone_is_withdrawn_kept_and_restored_when_it_returns(source, partner):
    run_job(source["id"])
    gone = next(r for r in harvested(source["id"]) if r.title == "กองทุนเมล็ดพันธุ์")
    partner.serve("/programmes.csv", table("P1", "P2"), content_type="text/csv")

    summary = run_job(source["id"])

    assert summary["counts"]["withdrawn"] == 1 and summary["counts"]["unchanged"] == 2
    kept = model.Package.get(gone.id)
    assert kept is not None and kept.state == "deleted"      # in the database, for audit
    assert search(q="เมล็ดพันธุ์")["count"] == 0              # not searchable
    with pytest.raises(tk.NotAuthorized):                   # not shown to the public
        tk.get_action("package_show")({"user": ""}, {"id": gone.id})

    partner.serve("/programmes.csv", table("P1", "P2", "P3"), content_type="text/csv")
    summary = run_job(source["id"])
    assert summary["counts"]["updated"] == 1
    assert model.Package.get(gone.id).state == "active"
    assert search(q="เมล็ดพันธุ์")["count"] == 1
    assert len(harvested(source["id"], include_withdrawn=True)) == 3


@pytest.mark.parametrize("answer, reason", [
    ({"body": b"server error", "status": 500, "content_type": "text/plain"}, "HTTP 500"),
    ({"body": HEADER.encode("cp874"), "content_type": "text/csv"}, "no rows"),
    ({"body": table("P1") + "P9,ไม่ครบ\n".encode("cp874"), "content_type": "text/csv"},
     "row 3"),
    ({"body": table("P1", "P2") + ROWS["P1"].encode("cp874"), "content_type": "text/csv"},
     "appears twice"),
])
def test_a_broken_source_fails_the_job_and_touches_nothing(source, partner, answer, reason):
    run_job(source["id"])
    before = {r.id: r.metadata_modified for r in harvested(source["id"])}
    partner.routes["/programmes.csv"] = type(partner.routes["/programmes.csv"])(**answer)

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert any(reason in e for e in summary["gather_errors"]), summary["gather_errors"]
    assert summary["counts"]["withdrawn"] == 0
    after = {r.id: r.metadata_modified for r in harvested(source["id"])}
    assert after == before


@pytest.mark.ckan_config("ckanext.lampangpoverty.harvest.deadline", "2")
@pytest.mark.ckan_config("ckanext.lampangpoverty.harvest.retries", "0")
def test_a_source_answering_a_byte_a_second_fails_on_time(partner, make_source):
    url = partner.serve("/slow.csv", table("P1", "P2"), content_type="text/csv", trickle=1.0)
    source = make_source("lampangpoverty_table", url, CONFIG)

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert "longer than 2 s" in summary["gather_errors"][0]
    assert harvested(source["id"]) == []


def test_household_identifiers_in_a_row_table_fail_the_job(partner, make_source):
    body = ("รหัส,ชื่อโครงการ,ผู้รับ\n"
            "H1,ช่วยเหลือครัวเรือน,1101700203450\n").encode("utf-8-sig")
    url = partner.serve("/beneficiaries.csv", body, content_type="text/csv")
    source = make_source("lampangpoverty_table", url, {
        **CONFIG, "fields": {"title": "ชื่อโครงการ", "notes": "ผู้รับ"},
        "defaults": {**CONFIG["defaults"], "area_codes": ["5201"]}})

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert "thai_id" in summary["gather_errors"][0] and "microdata" in summary["gather_errors"][0]
    assert "1101700203450" not in summary["gather_errors"][0]
    assert harvested(source["id"]) == []
    assert search(q="1101700203450")["count"] == 0


def test_an_internal_address_is_refused_before_any_connection(make_source):
    source = make_source("lampangpoverty_table", "http://169.254.169.254/latest/meta-data",
                         CONFIG)

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert "internal address" in summary["gather_errors"][0]


@pytest.mark.parametrize("config, key", [
    ({**CONFIG, "colour": "red"}, "colour"),
    ({**CONFIG, "type": "dataset"}, "type"),
    ({**CONFIG, "fields": {"title": "ชื่อ", "budget": "งบ"}}, "fields"),
    ({**CONFIG, "defaults": {"programme_status": "maybe"}}, "defaults"),
    ({"type": "agency-resource", "fields": CONFIG["fields"]}, "key"),
    ({"mode": "microdata", "dataset": {"title": "x"}, "roles": {"age": "quasi"}}, "roles"),
    ({"mode": "microdata", "dataset": {"title": "x"}, "roles": {"age": "quasi_identifier"},
      "recodes": {"age": {"method": "age", "level": "7-year bands"}}}, "recodes"),
    ({"mode": "microdata", "dataset": {"title": "x"}, "roles": {"income": "sensitive"},
      "recodes": {"income": {"method": "age"}}}, "recodes"),
])
def test_a_bad_config_is_refused_on_save_naming_the_key(partner, make_source, config, key):
    with pytest.raises(tk.ValidationError) as error:
        make_source("lampangpoverty_table", partner.url("/x.csv"), config)
    message = json.dumps(error.value.error_dict, ensure_ascii=False)
    assert f"{key}:" in message


def test_only_organisation_admins_create_sources(partner, org_admin):
    from ckan.tests import factories

    editor = factories.User()
    other_admin = factories.User()
    factories.Organization(sector="government",
                           users=[{"name": other_admin["name"], "capacity": "admin"}])
    tk.get_action("member_create")({"ignore_auth": True}, {
        "id": org_admin["org"]["id"], "object": editor["name"], "object_type": "user",
        "capacity": "editor"})
    data = {"name": "src", "title": "t", "url": partner.url("/x.csv"),
            "source_type": "lampangpoverty_table", "owner_org": org_admin["org"]["id"],
            "config": json.dumps(CONFIG)}
    for user in (editor, other_admin):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("harvest_source_create")({"user": user["name"]}, dict(data))
    created = tk.get_action("harvest_source_create")(
        {"user": org_admin["user"]["name"]}, dict(data))
    assert created["owner_org"] == org_admin["org"]["id"]


def test_a_household_table_goes_through_the_gate_and_stays_private(partner, make_source):
    from ckanext.harvest.model import HarvestObject

    from ckanext.lampangpoverty.disclosure import synthetic
    from ckanext.lampangpoverty.gate import submission as microdata
    from ckanext.lampangpoverty.model import Microdata

    people = synthetic.households(3000, seed=7)
    url = partner.serve("/bmn.csv", people.to_csv(index=False).encode("utf-8-sig"),
                        content_type="text/csv")
    source = make_source("lampangpoverty_table", url, {
        "mode": "microdata", "roles": synthetic.roles(), "recodes": synthetic.RECODES,
        "household_column": "household_id",
        "dataset": {"title": "จปฐ. ลำปาง 2567 (ครัวเรือน)", "area_codes": ["5201"],
                    "reference_period_start": "2024-01-01"}})

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1, summary
    [dataset] = harvested(source["id"])
    assert dataset.private is True and dataset.type == "poverty-dataset"
    submission = Microdata.latest(dataset.id)
    assert submission.status == "queued"
    # The raw table is in private storage only: not in the harvest object, not indexed.
    raw_id = people["national_id"].iloc[0]
    contents = [o.content or "" for o in model.Session.query(HarvestObject)]
    assert not any(raw_id in c for c in contents)
    assert search(q=raw_id)["count"] == 0

    microdata.run_gate(submission.id)           # what the RQ worker runs
    assert Microdata.get(submission.id).status == "passed"
    assert model.Package.get(dataset.id).private is True   # the organisation publishes

    # The same table again: nothing new to check.
    assert run_job(source["id"])["counts"]["unchanged"] == 1
    assert model.Session.query(Microdata).filter_by(package_id=dataset.id).count() == 1


def test_pages_show_the_source_of_a_record_and_the_outcome_of_a_job(app, source, partner,
                                                                    org_admin):
    from ckan.tests import factories

    run_job(source["id"])
    partner.serve("/programmes.csv", b"broken", status=500, content_type="text/plain")
    summary = run_job(source["id"])
    record = next(r for r in harvested(source["id"]) if r.title == "ฝึกอาชีพทอผ้า")

    page = app.get(f"/dataset/{record.name}").body
    assert "เก็บเกี่ยวจาก" in page and "Partner source" in page and "<code>P2</code>" in page

    token = factories.APIToken(user=org_admin["user"]["name"])["token"]
    page = app.get(f"/harvest/{source['name']}/job/{summary['id']}",
                   headers={"Authorization": token}).body
    assert "ล้มเหลว" in page and "HTTP 500" in page
    assert 'data-count="withdrawn">0' in page.replace("\n", "")


def test_a_json_source_with_a_records_path_and_an_xlsx_source(partner, make_source):
    import io

    import openpyxl

    rows = [{"code": "J1", "name": "อบรมอาชีพ", "amphoe": "5203"},
            {"code": "J2", "name": "ปรับปรุงบ้าน", "amphoe": "5204"}]
    url = partner.serve("/programmes.json", {"result": {"records": rows}})
    config = {**CONFIG, "key": "code", "fields": {"title": "name", "area_codes": "amphoe"},
              "records_path": "result.records"}
    json_source = make_source("lampangpoverty_table", url, config, name="src-json")
    book = openpyxl.Workbook()
    book.active.append(["code", "name", "amphoe"])
    for row in rows:
        book.active.append([f"X{row['code']}", row["name"], int(row["amphoe"])])
    buffer = io.BytesIO()
    book.save(buffer)
    url = partner.serve("/programmes.xlsx", buffer.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    xlsx_source = make_source("lampangpoverty_table", url, config, name="src-xlsx")

    for source in (json_source, xlsx_source):
        assert run_job(source["id"])["counts"]["added"] == 2
    assert search(q="อบรมอาชีพ")["count"] == 2


def test_html_instead_of_json_fails_the_job(partner, make_source):
    url = partner.serve("/programmes.json", "<html><body>Service unavailable</body></html>",
                        content_type="text/html")
    source = make_source("lampangpoverty_table", url, {**CONFIG, "format": "json"})

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert "programmes.json" in summary["gather_errors"][0]
    assert "JSON" in summary["gather_errors"][0]


def test_harvest_objects_are_read_only_by_the_sources_organisation(app, source, org_admin):
    from ckan.tests import factories
    from ckanext.harvest.model import HarvestObject

    run_job(source["id"])
    obj = model.Session.query(HarvestObject).filter(HarvestObject.package_id.isnot(None)).first()
    url = f"/api/3/action/harvest_object_show?id={obj.id}"
    stranger = factories.APIToken(user=factories.User()["name"])["token"]

    app.get(url, status=403)
    app.get(url, headers={"Authorization": stranger}, status=403)
    app.get(f"/harvest/object/{obj.id}", status=403)
    admin = factories.APIToken(user=org_admin["user"]["name"])["token"]
    shown = app.get(url, headers={"Authorization": admin}).json["result"]
    assert shown["guid"] == obj.guid
