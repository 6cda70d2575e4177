"""Values as Thai agencies write them (lib/values.py): read into our forms, or refused with
the reason when they could mean two things."""
from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk

from ckanext.lampangpoverty.lib import values


@pytest.mark.parametrize("given, expected", [
    ("1,250,000.50", "1250000.50"), ("฿1,250", "1250"), ("1,250 บาท", "1250"),
    ("๑๒๓", "123"), ("12.5", "12.5"), ("-", None), ("", None), ("ไม่มี", None),
    (1500, "1500"), (0.5, "0.5"),
])
def test_numbers_are_read(given, expected):
    assert values.number(given) == expected


@pytest.mark.parametrize("given", ["1.234,56", "1,5", "12,34", "1.234.567", "สองพัน", True])
def test_a_number_that_could_mean_two_things_is_refused(given):
    with pytest.raises(values.Unreadable):
        values.number(given)


@pytest.mark.parametrize("given, expected", [
    ("2566", 2566), ("2023", 2566), ("พ.ศ. 2566", 2566), ("พ.ศ.2566", 2566),
    ("ค.ศ. 2023", 2566), ("B.E. 2566", 2566), ("A.D. 2023", 2566), (2023, 2566),
    ("2566.0", 2566), ("-", None),
])
def test_years_are_buddhist_era(given, expected):
    assert values.year_be(given) == expected


@pytest.mark.parametrize("given", ["66", "ปีงบ 66", "1066", "2566-2567"])
def test_a_year_that_is_not_one_is_refused(given):
    with pytest.raises(values.Unreadable):
        values.year_be(given)


@pytest.mark.parametrize("given, expected", [
    ("15/03/2568", "2025-03-15"), ("15/03/2025", "2025-03-15"), ("15-03-2568", "2025-03-15"),
    ("15.03.2568", "2025-03-15"), ("2568-03-15", "2025-03-15"), ("2025-03-15", "2025-03-15"),
    ("15 มี.ค. 2568", "2025-03-15"), ("15 มีนาคม 2568", "2025-03-15"),
    ("1 ธ.ค. พ.ศ. 2567", "2024-12-01"), ("2025-03-15T10:00:00+07:00", "2025-03-15"),
    (datetime.date(2025, 3, 15), "2025-03-15"), ("-", None),
])
def test_dates_are_read(given, expected):
    assert values.date(given) == expected


@pytest.mark.parametrize("given", ["31/05/68", "03/15/2025", "31/02/2568", "เดือนหน้า"])
def test_a_date_that_cannot_be_told_is_refused(given):
    with pytest.raises(values.Unreadable):
        values.date(given)


@pytest.mark.parametrize("given, expected", [
    ("HTTPS://DATA.EXAMPLE.GO.TH/A.csv", "https://data.example.go.th/A.csv"),
    ("www.example.go.th/a.csv", "http://www.example.go.th/a.csv"),
    ("/dataset/x/a.csv", "https://portal.example.go.th/dataset/x/a.csv"),
])
def test_links_are_normalised(given, expected):
    assert values.url(given, "https://portal.example.go.th/api") == expected


@pytest.mark.parametrize("given", ["ftp://old.example/f", "javascript:alert(1)", "ตาราง"])
def test_other_links_are_refused(given):
    with pytest.raises(values.Unreadable):
        values.url(given)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_budget_with_an_ambiguous_separator_is_refused_not_changed(make_record):
    record = make_record("agency-resource", budget_baht="฿1,250,000.50")
    assert record["budget_baht"] == "1250000.50"
    with pytest.raises(tk.ValidationError) as error:
        make_record("agency-resource", name="other", budget_baht="1.234,56")
    assert "ambiguous" in str(error.value.error_dict["budget_baht"])
