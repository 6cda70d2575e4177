"""Validation of tabular resources in the background: uploads and links, Thai encodings,
spreadsheets, a declared Table Schema (shipped by name, or as JSON), structure and type
errors by row and column, and every way it can go wrong ending in a clear status."""
from __future__ import annotations

import io
import json
import time

import pandas as pd
import pytest

from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.model import ResourceQuality

from .conftest import post_resource, run_jobs

GOOD = "ตำบล,ครัวเรือนยากจน,ร้อยละ\n520801,35,12.5\n520802,12,4.0\n"
BROKEN = ("ตำบล,จำนวน,จำนวน,\n"           # a duplicate and a blank column name
          "520801,35,1,x\n"
          "520802,สิบสอง,2\n"               # a missing cell
          "\n"                               # a blank row
          "520803,7,3,y,extra\n")            # an extra cell
AREA_SCHEMA = {"fields": [
    {"name": "tambon", "type": "string", "constraints": {"pattern": "^52\\d{4}$",
                                                        "required": True}},
    {"name": "poor", "type": "integer", "constraints": {"minimum": 0}}]}


def status(resource_id: str) -> ResourceQuality:
    run_jobs()
    return ResourceQuality.get(resource_id)


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
class TestUploads:
    def test_a_clean_thai_table_in_tis620_is_valid(self, app, editor, make_record):
        record = make_record(name="clean")
        res = post_resource(app, editor, record, GOOD.encode("cp874"), "table.csv",
                            format="CSV").json["result"]
        row = status(res["id"])
        assert row.validation == "valid", row.report
        assert row.report["rows"] == 2
        assert row.report["columns"] == ["ตำบล", "ครัวเรือนยากจน", "ร้อยละ"]
        shown = call_action("package_show", id=record["id"])["quality"]
        assert shown["parts"]["validation"] == {"checked": 1, "failing": 0, "share": 1.0,
                                                "weight": shown["parts"]["validation"]["weight"]}

    def test_structure_errors_are_reported_by_row_and_column(self, app, editor, make_record):
        record = make_record(name="broken")
        res = post_resource(app, editor, record, ("\ufeff" + BROKEN).encode("utf-8"),
                            "broken.csv", format="CSV").json["result"]
        row = status(res["id"])
        assert row.validation == "invalid"
        found = {(e["type"], e["row"]) for e in row.report["errors"]}
        assert ("duplicate-label", 1) in found
        assert ("blank-label", 1) in found
        assert ("missing-cell", 3) in found
        assert ("blank-row", 4) in found
        assert ("extra-cell", 5) in found
        shown = call_action("lampangpoverty_quality_show", id=record["id"])
        report = shown["resources"][0]["validation"]
        assert report["label"] and all(e["label"] for e in report["report"]["errors"])
        assert call_action("package_search", fq="vocab_quality_flags:invalid_data")["count"] == 1

    def test_a_wrong_type_against_the_inferred_one_is_named_with_its_cell(self, app, editor,
                                                                         make_record):
        rows = "".join(f"5208{i:02d},{i}\n" for i in range(1, 60)) + "520899,ไม่ทราบ\n"
        record = make_record(name="types")
        res = post_resource(app, editor, record, ("ตำบล,จำนวน\n" + rows).encode(),
                            "types.csv", format="CSV").json["result"]
        row = status(res["id"])
        assert row.validation == "invalid"
        error = row.report["errors"][0]
        assert (error["type"], error["row"], error["column"], error["cell"]) == (
            "type-error", 61, "จำนวน", "ไม่ทราบ")

    def test_an_xlsx_is_validated_sheet_by_its_first_sheet(self, app, editor, make_record):
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            pd.DataFrame({"tambon": ["520801", "5208"], "poor": [3, -1]}).to_excel(
                writer, sheet_name="ข้อมูล", index=False)
        record = make_record(name="xlsx")
        res = post_resource(app, editor, record, buffer.getvalue(), "areas.xlsx",
                            format="XLSX", schema=json.dumps(AREA_SCHEMA)).json["result"]
        row = status(res["id"])
        assert row.validation == "invalid"
        assert row.report["sheet"] == "ข้อมูล"
        assert {(e["type"], e["row"], e["column"]) for e in row.report["errors"]} == {
            ("constraint-error", 3, "tambon"), ("constraint-error", 3, "poor")}

    def test_a_shipped_schema_is_named_and_the_table_checked_against_it(self, app, editor,
                                                                       make_record):
        record = make_record(name="bmn-schema")
        res = post_resource(app, editor, record, b"tambon,age\n520801,45\n", "bmn.csv",
                            format="CSV", schema="bmn_household_table").json["result"]
        row = status(res["id"])
        assert row.report["schema"] == "bmn_household_table"
        assert row.validation == "invalid"          # most BMN columns are missing
        assert any(e["type"] in ("missing-label", "incorrect-label")
                   for e in row.report["errors"])

    def test_an_area_indicator_table_is_checked_against_the_area_schema(self, app, editor,
                                                                        make_record):
        # Marked for the area profiles (table_schema), with no schema of its own: the shipped
        # area-indicator schema applies, and a C.E. year and a negative count are named.
        record = make_record(name="area-indicators")
        table = (b"area_code,year,indicator,value,unit,source\n"
                 b"520801,2568,target_poor_households,35,households,demo\n"
                 b"520802,2025,target_poor_households,-4,households,demo\n")
        res = post_resource(app, editor, record, table, "indicators.csv", format="CSV",
                            table_schema="area_indicators").json["result"]
        row = status(res["id"])
        assert row.report["schema"] == "area_indicators"
        assert row.validation == "invalid"
        assert {(e["type"], e["row"], e["column"]) for e in row.report["errors"]} == {
            ("constraint-error", 3, "year"), ("constraint-error", 3, "value")}

    @pytest.mark.parametrize(("schema", "says"), [
        ("no_such_schema", "no_such_schema"), ('{"fields": [{"name": "a", "type": "xyz"}]}',
                                               "xyz"), ("{not json", "JSON")])
    def test_a_bad_schema_is_refused_on_the_field(self, app, editor, make_record, schema, says):
        record = make_record(name="bad-schema")
        res = post_resource(app, editor, record, GOOD.encode(), "t.csv", format="CSV",
                            schema=schema)
        assert res.status_code == 409
        assert says in json.dumps(res.json["error"]["schema"], ensure_ascii=False)

    def test_a_csv_that_is_not_a_table_says_so(self, app, editor, make_record):
        record = make_record(name="not-a-table")
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        res = post_resource(app, editor, record, png, "data.csv", format="CSV").json["result"]
        row = status(res["id"])
        assert row.validation == "not_table"
        shown = call_action("lampangpoverty_quality_show", id=record["id"])
        assert "image" in shown["resources"][0]["validation"]["message"]

    def test_a_file_over_the_limit_is_not_read(self, app, editor, make_record, monkeypatch,
                                               ckan_config):
        monkeypatch.setitem(ckan_config,
                            "ckanext.lampangpoverty.quality.validation_max_bytes", 1024)
        record = make_record(name="large")
        body = ("a,b\n" + "1,2\n" * 2000).encode()
        res = post_resource(app, editor, record, body, "large.csv", format="CSV").json["result"]
        row = status(res["id"])
        assert row.validation == "too_large"
        assert row.report["message"]["code"] == "too_large"

    def test_a_pdf_resource_is_not_validated(self, make_record):
        record = make_record(name="pdf", resources=[{"url": "https://x.example/r.pdf",
                                                     "format": "PDF", "name": "r"}])
        row = status(record["resources"][0]["id"])
        assert row.validation == "not_tabular"


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
class TestLinks:
    def test_a_linked_csv_is_fetched_and_validated(self, partner, make_record):
        partner.routes["/t.csv"] = (200, {"Content-Type": "text/csv"}, GOOD.encode(), None)
        record = make_record(name="linked", resources=[{"url": partner.url + "/t.csv",
                                                        "format": "CSV", "name": "t"}])
        assert status(record["resources"][0]["id"]).validation == "valid"

    def test_a_gigabyte_file_is_refused_from_its_declared_size(self, partner, make_record):
        # The server claims 1 GB (and would send it): the fetch stops at once.
        partner.routes["/huge.csv"] = (200, {"Content-Length": str(1024 ** 3)}, b"a,b\n",
                                       None)
        record = make_record(name="huge", resources=[{"url": partner.url + "/huge.csv",
                                                      "format": "CSV", "name": "h"}])
        row = status(record["resources"][0]["id"])
        assert row.validation == "too_large"

    @pytest.mark.parametrize("where", ["body", "head"])
    def test_a_server_trickling_a_byte_a_second_times_out(self, partner, make_record,
                                                          monkeypatch, ckan_config, where):
        monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.quality.validation_seconds",
                            2.0)
        monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.harvest.retries", 0)
        partner.routes["/slow.csv"] = (200, {}, GOOD.encode() * 50, (where, 0.3))
        record = make_record(name="slow", resources=[{"url": partner.url + "/slow.csv",
                                                      "format": "CSV", "name": "s"}])
        started = time.monotonic()
        row = status(record["resources"][0]["id"])
        assert row.validation == "timeout", row.report
        assert time.monotonic() - started < 10
        assert "2" in call_action("lampangpoverty_quality_show", id=record["id"])[
            "resources"][0]["validation"]["message"]

    def test_a_link_to_an_internal_address_is_never_fetched(self, make_record):
        record = make_record(name="internal", resources=[
            {"url": "http://169.254.169.254/latest/meta-data.csv", "format": "CSV",
             "name": "m"}])
        row = status(record["resources"][0]["id"])
        assert row.validation == "unreachable"
        assert "internal" in row.report["message"]["params"]["reason"]
        assert row.link == "refused"
