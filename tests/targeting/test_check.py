"""An area indicator table is checked whole against its Table Schema: every problem is named
by row (the header is row 1) and column, in the reader's language, and a table with any
problem yields no figures at all."""
from __future__ import annotations

import json

import pytest

from ckanext.lampangpoverty.demo import indicators as demo
from ckanext.lampangpoverty.targeting import check, indicators, messages

HEADER = ["area_code", "year", "indicator", "value", "unit", "source"]


def good(**changes):
    row = {"area_code": "5208", "year": "2568", "indicator": "target_poor_households",
           "value": "120", "unit": "households", "source": "TPMAP 2568"}
    row.update(changes)
    return [row[name] for name in HEADER]


def errors(rows, header=HEADER):
    result = check.check_table(header, rows)
    assert result.figures == [] or not result.errors
    return [(e.row, e.column, e.code) for e in result.errors]


def test_the_schema_and_the_catalogue_list_the_same_indicators_and_units():
    schema = indicators.table_schema()
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["indicator"]["constraints"]["enum"] == list(indicators.indicators())
    assert set(fields["unit"]["constraints"]["enum"]) == set(indicators.units())
    assert {i.unit for i in indicators.indicators().values()} <= set(indicators.units())
    assert schema["primaryKey"] == ["area_code", "year", "indicator"]
    dims = {i.dimension for i in indicators.indicators().values() if i.kind == "dimension"}
    assert dims == set(indicators.DIMENSIONS)


def test_the_schema_is_a_valid_frictionless_table_schema():
    from frictionless import Schema

    report = Schema.validate_descriptor(indicators.table_schema())
    assert report.valid, report.flatten(["type", "note"])


def test_a_good_table_gives_its_figures_with_old_codes_made_current():
    rows = [good(), good(indicator="tpmap_income", value="1,234"),
            good(area_code="520699", indicator="target_poor_persons", value="30",
                 unit="persons"),
            ["", "", "", "", "", ""]]
    result = check.check_table(["\ufeffArea_Code ", *HEADER[1:]], rows)
    assert result.errors == []
    assert [(f.area_code, f.indicator, f.value) for f in result.figures] == [
        ("5208", "target_poor_households", 120.0), ("5208", "tpmap_income", 1234.0),
        ("521301", "target_poor_persons", 30.0)]


@pytest.mark.parametrize("change,expected", [
    ({"area_code": "5301"}, ("area_code", "area")),           # Phrae, not Lampang
    ({"area_code": "52"}, None),
    ({"area_code": "5299"}, ("area_code", "area")),
    ({"area_code": ""}, ("area_code", "required")),
    ({"year": "2025"}, ("year", "ce_year")),                  # C.E.
    ({"year": "2568.5"}, ("year", "type")),
    ({"year": "3000"}, ("year", "year_range")),
    ({"indicator": "tpmap_helth"}, ("indicator", "unknown_indicator")),
    ({"value": "-3"}, ("value", "negative")),
    ({"value": "12.5"}, ("value", "not_whole")),              # half a household
    ({"value": "สิบ"}, ("value", "type")),
    ({"value": ""}, ("value", "required")),
    ({"unit": "persons"}, ("unit", "wrong_unit")),
    ({"unit": "ครัวเรือน"}, ("unit", "unknown_unit")),
])
def test_each_bad_cell_is_named_by_row_and_column(change, expected):
    third = good(**{"indicator": "tpmap_income", **change})
    found = errors([good(), good(indicator="tpmap_health"), third])
    if expected is None:
        assert found == []
    else:
        assert found == [(4, *expected)]


def test_an_unknown_indicator_suggests_the_closest_one(with_request_context):
    result = check.check_table(HEADER, [good(indicator="tpmap_helth")])
    assert result.errors[0].params["suggest"] == "tpmap_health"
    assert "tpmap_health" in messages.describe(result.errors[0])


def test_duplicates_name_the_first_row_even_through_an_old_code():
    found = check.check_table(HEADER, [good(area_code="521301"),
                                       good(), good(area_code="520699")])
    assert [(e.row, e.code, e.params["first"]) for e in found.errors] == [(4, "duplicate", 2)]
    assert found.figures == []


def test_average_income_may_have_decimals_but_counts_may_not():
    assert errors([good(indicator="average_income", value="65432.5",
                        unit="baht_per_person_year")]) == []


@pytest.mark.parametrize("header,expected", [
    (HEADER[:-1], []),                                        # source is optional
    (["area_code", "year", "indicator", "value", "source"], [(1, "unit", "missing_column")]),
    ([*HEADER, "household_id"], [(1, "household_id", "unknown_column")]),
    (["area_code", "year", "year", "indicator", "value", "unit"],
     [(1, "year", "repeated_column")]),
])
def test_header_problems_are_row_one(header, expected):
    rows = [[good()[HEADER.index(h)] if h in HEADER else "x" for h in header]]
    assert errors(rows, header) == expected


def test_an_empty_table_is_refused():
    assert errors([]) == [(1, "", "empty")]


def test_every_error_of_a_nasty_table_is_reported_not_only_the_first():
    rows = [good(year="2024"), good(value="-1"), good(area_code="10"), good(unit="x")]
    assert [e[0] for e in errors(rows)] == [2, 3, 4, 5]


def test_messages_name_row_and_column_in_thai_and_english(app):
    error = check.RowError(5, "year", "ce_year", "2025", {"be": 2568})
    with app.flask_app.test_request_context("/", environ_base={"CKAN_LANG": "en"}):
        assert messages.describe(error) == ("Row 5, column year: 2025 is a year in C.E.; write the "
                                   "year in B.E. (2568)")
    with app.flask_app.test_request_context("/"):
        thai = messages.describe(error)
    assert "แถว 5" in thai and "year" in thai and "2568" in thai


def test_the_demo_table_passes_and_covers_every_area_and_indicator_for_three_years():
    rows = demo.rows()
    result = check.check_table(demo.HEADER, rows)
    assert result.errors == []
    from ckanext.lampangpoverty.catalogue import areas

    assert {f.area_code for f in result.figures} == set(areas.areas())
    assert {f.year for f in result.figures} == set(demo.YEARS)
    assert len(result.figures) == len(areas.areas()) * 3 * len(indicators.indicators())
    assert all("demo" in f.source for f in result.figures)
    # amphoe figures are the sums of their tambon's
    values = {(f.area_code, f.year, f.indicator): f.value for f in result.figures}
    thoen = sum(v for (code, year, ind), v in values.items()
                if code.startswith("5208") and len(code) == 6 and year == 2568
                and ind == "tpmap_health")
    assert values[("5208", 2568, "tpmap_health")] == thoen
    json.dumps([e.as_dict() for e in result.errors])
