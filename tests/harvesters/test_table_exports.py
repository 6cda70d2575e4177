"""Partner tables as agencies export them from Excel (a title above the header, a two-row
header with merged cells, blank lines, a totals row, a note at the end) with cells as they
write them (B.E. dates, Thai month names, amounts with separators and currency signs, "-"),
and source configs checked when they are saved."""
from __future__ import annotations

import datetime
import io
import json

import pytest

import ckan.plugins.toolkit as tk

from .conftest import harvested, run_job

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

BUDGET = "งบประมาณ ที่ได้รับ (บาท)"
CONFIG = {
    "type": "agency-resource", "key": "รหัส", "header_row": 3, "header_rows": 2,
    "footer_rows": 1,
    "fields": {"title": "ชื่อโครงการ", "area_codes": "อำเภอ", "budget_baht": BUDGET,
               "fiscal_year": "งบประมาณ ปีงบประมาณ", "open_date": "ระยะเวลา เปิดรับ",
               "close_date": "ระยะเวลา ปิดรับ"},
    "defaults": {"programme_kind": "housing_repair", "eligibility": "ครัวเรือนยากจนเป้าหมาย",
                 "programme_status": "open"},
}


def workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    rows = [
        ["รายงานโครงการช่วยเหลือครัวเรือนยากจน จังหวัดลำปาง ปีงบประมาณ 2568"],
        [],
        ["รหัส", "ชื่อโครงการ", "อำเภอ", "งบประมาณ", None, "ระยะเวลา", None],
        [None, None, None, "ที่ได้รับ (บาท)", "ปีงบประมาณ", "เปิดรับ", "ปิดรับ"],
        [],
        ["P1", "ซ่อมแซมบ้านผู้มีรายได้น้อย", "5201", "฿1,250,000.50", 2568, "15/03/2568",
         "30 มิ.ย. 2568"],
        ["P2", "ฝึกอาชีพทอผ้า", "อำเภอเถิน", "-", "2025", datetime.date(2025, 4, 1),
         "31/05/68"],
        ["P3", "กองทุนเมล็ดพันธุ์", "5213", "1.234,56", "พ.ศ. 2568", "2568-06-01", None],
        [],
        [None, "รวม", None, "1,251,234.56", None, None, None],
        ["ที่มา: สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดลำปาง"],
    ]
    for row in rows:
        sheet.append(row)
    for merged in ("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:G3", "A1:G1"):
        sheet.merge_cells(merged)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _records(source_id: str) -> dict[str, dict]:
    return {r.title: tk.get_action("package_show")({"ignore_auth": True}, {"id": r.id})
            for r in harvested(source_id)}


def test_an_excel_export_is_read_as_the_agency_wrote_it(partner, make_source):
    url = partner.serve("/programmes.xlsx", workbook(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    source = make_source("lampangpoverty_table", url, {**CONFIG, "defaults": {
        **CONFIG["defaults"], "area_codes": ["52"]}})

    summary = run_job(source["id"])

    assert summary["outcome"] == "succeeded", summary["gather_errors"]
    assert summary["counts"]["added"] == 3, summary
    records = _records(source["id"])
    p1 = records["ซ่อมแซมบ้านผู้มีรายได้น้อย"]
    assert p1["budget_baht"] == "1250000.50" and p1["fiscal_year"] == "2568"
    assert p1["open_date"] == "2025-03-15" and p1["close_date"] == "2025-06-30"
    p2 = records["ฝึกอาชีพทอผ้า"]
    assert p2["area_codes"] == ["5208"]                       # "อำเภอเถิน"
    assert not p2.get("budget_baht") and p2["fiscal_year"] == "2568"   # "-" and C.E. 2025
    assert p2["open_date"] == "2025-04-01"                    # an Excel date cell
    assert not p2.get("close_date")                           # "31/05/68": which century?
    p3 = records["กองทุนเมล็ดพันธุ์"]
    assert not p3.get("budget_baht")                           # 1.234,56 is never changed
    extras = {e["key"]: e["value"] for e in p3["extras"]}
    assert extras["original_budget_baht"] == "1.234,56"
    assert p3["open_date"] == "2025-06-01"                     # 2568-06-01 is B.E.
    messages = {w["guid"]: w["message"] for w in summary["warnings"]}
    assert f"row 8, column {BUDGET}" in messages["P3"] and "ambiguous" in messages["P3"]
    assert "row 7, column ระยะเวลา ปิดรับ" in messages["P2"]
    assert set(messages) == {"P2", "P3"}


def test_a_csv_export_with_a_title_a_totals_row_and_blank_lines(partner, make_source):
    body = ("รายชื่อโครงการ ปี 2568,,,\n"
            ",,,\n"
            "รหัส,ชื่อโครงการ,อำเภอ,เปิดรับ\n"
            "A1,ปรับปรุงบ้าน,5210,15/03/2568\n"
            ",,,\n"
            "A2,ฝึกอาชีพ,5205,1 เมษายน 2568\n"
            "Total,,,\n").encode("cp874")
    url = partner.serve("/export.csv", body, content_type="text/csv")
    source = make_source("lampangpoverty_table", url, {
        **CONFIG, "header_row": 3, "header_rows": 1, "footer_rows": 0,
        "fields": {"title": "ชื่อโครงการ", "area_codes": "อำเภอ", "open_date": "เปิดรับ"},
        "totals": "^Total"})

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 2, summary
    records = _records(source["id"])
    # 15/03/2568 is a date, not a house number: the table is not refused as household data
    assert records["ปรับปรุงบ้าน"]["open_date"] == "2025-03-15"
    assert records["ฝึกอาชีพ"]["open_date"] == "2025-04-01"


def test_a_wrong_header_row_names_the_column_that_has_no_name(partner, make_source):
    url = partner.serve("/programmes.xlsx", workbook(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    source = make_source("lampangpoverty_table", url, {
        **CONFIG, "header_row": 1, "header_rows": 1,
        "defaults": {**CONFIG["defaults"], "area_codes": ["52"]}})

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert "column 2: holds values but has no name" in summary["gather_errors"][0]


@pytest.mark.parametrize("harvester, config, named", [
    ("lampangpoverty_ckan", {"defaults": {"area_codes": ["5201"]}}, "unit_of_observation"),
    ("lampangpoverty_dcat", {"defaults": {"unit_of_observation": "amphoe"}}, "area_codes"),
    ("lampangpoverty_ckan", {"defaults": {"unit_of_observation": "amphoe",
                                          "area_codes": ["5299"]}}, "5299"),
    ("lampangpoverty_ckan", {"defaults": {"unit_of_observation": "amphoe", "area_codes": ["52"],
                                          "livelihood_capitals": ["human", "luck"]}}, "luck"),
    ("lampangpoverty_table", {**CONFIG, "fields": {"title": "ชื่อโครงการ"}}, "area_codes"),
    ("lampangpoverty_table", {**CONFIG, "header_rows": 0}, "header_rows"),
    ("lampangpoverty_table", {**CONFIG, "totals": "(รวม"}, "totals"),
])
def test_a_source_that_would_fail_its_records_is_refused_on_save(partner, make_source,
                                                                  harvester, config, named):
    with pytest.raises(tk.ValidationError) as error:
        make_source(harvester, partner.url("/x"), config)
    message = json.dumps(error.value.error_dict["config"], ensure_ascii=False)
    assert named in message


def test_the_form_shows_the_config_error_beside_the_config(app, partner, org_admin):
    from bs4 import BeautifulSoup

    from ckan.tests import factories

    token = factories.APIToken(user=org_admin["user"]["name"])["token"]
    page = app.post("/harvest/new", headers={"Authorization": token}, data={
        "url": partner.url("/x"), "title": "แหล่งทดสอบ", "name": "src-form",
        "source_type": "lampangpoverty_ckan", "frequency": "MANUAL",
        "owner_org": org_admin["org"]["id"],
        "config": json.dumps({"defaults": {"area_codes": ["5201"]}}), "save": "Save"})

    assert page.status_code == 200
    config = BeautifulSoup(page.body, "html.parser").select_one("#field-config")
    beside = config.find_parent(class_="form-group")
    assert "unit_of_observation" in beside.get_text()
