"""Dates as readers see them (one calendar per language, Bangkok time) and as Thai users
type them."""
from __future__ import annotations

import datetime

import pytest

from ckanext.lampangpoverty.l10n import dates

BKK = "Asia/Bangkok"


def test_a_utc_timestamp_is_shown_on_the_bangkok_day_and_hour() -> None:
    # 20:30 UTC on 31 Dec is 03:30 on 1 Jan in Bangkok: day, month and year all change.
    # Stored naive, as CKAN stores UTC.
    stamp = datetime.datetime(2026, 12, 31, 20, 30, tzinfo=datetime.UTC).replace(tzinfo=None)
    assert dates.display(stamp, "th", BKK, with_time=True) == "1 มกราคม 2570 เวลา 03:30 น."
    assert dates.display(stamp, "en", BKK, with_time=True) == "1 January 2027, 03:30"
    assert dates.display(stamp.isoformat(), "th", BKK) == "1 มกราคม 2570"
    assert dates.display(stamp.isoformat() + "Z", "en", BKK) == "1 January 2027"


def test_a_calendar_date_is_not_shifted_by_the_zone() -> None:
    assert dates.display("2026-11-28", "th", BKK, with_time=True) == "28 พฤศจิกายน 2569"
    assert dates.display(datetime.date(2026, 2, 1), "en", BKK) == "1 February 2026"


def test_unreadable_and_empty_values_are_shown_as_they_are() -> None:
    assert dates.display(None, "th", BKK) == ""
    assert dates.display("soon", "th", BKK) == "soon"


@pytest.mark.parametrize("typed", ["28/11/2569", "28/11/2026", "๒๘/๑๑/๒๕๖๙", " 28.11.2569 ",
                                   "28-11-2026", "2026-11-28", "2569-11-28", "28 / 11 / 2569"])
def test_what_thai_users_type_is_read(typed: str) -> None:
    assert dates.parse(typed) == datetime.date(2026, 11, 28)


@pytest.mark.parametrize(("typed", "why"), [
    ("31/02/2569", "day or month out of range"), ("28/13/2569", "day or month out of range"),
    ("11/28/2026x", "type day/month/year"), ("พรุ่งนี้", "type day/month/year"),
    ("28/11/69", "type day/month/year"), ("", "type day/month/year")])
def test_what_is_not_a_date_is_refused_saying_why(typed: str, why: str) -> None:
    with pytest.raises(dates.Unreadable) as e:
        dates.parse(typed)
    assert why in str(e.value) and typed.strip() in str(e.value)


def test_a_form_shows_a_stored_date_in_the_readers_calendar() -> None:
    assert dates.form_value("2026-11-28", "th") == "28/11/2569"
    assert dates.form_value("2026-11-28", "en") == "28/11/2026"
    assert dates.parse(dates.form_value("2026-01-05", "th")) == datetime.date(2026, 1, 5)
