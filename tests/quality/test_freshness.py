"""Freshness by HDX's rule, for every frequency the portal stores and for those it does not
know: due at the frequency, overdue and delinquent after graces that grow with it."""
from __future__ import annotations

import datetime

import pytest

from ckanext.lampangpoverty.quality import freshness
from ckanext.lampangpoverty.quality.statuses import Freshness

# Naive UTC, as every stored time.
T0 = datetime.datetime(2026, 1, 15, 8, 0, tzinfo=datetime.timezone.utc).replace(tzinfo=None)


def at(days: float, unit: str = "ปี", interval=None, **dates):
    dates = dates or {"resource": T0}
    return freshness.assess(unit, interval, dates, T0 + datetime.timedelta(days=days))


@pytest.mark.parametrize(("unit", "due", "overdue", "delinquent"), [
    ("วัน", 1, 2, 3),
    ("สัปดาห์", 7, 14, 21),
    ("เดือน", 31, 45, 61),         # January has 31 days: the month is a calendar month
    ("ไตรมาส", 90, 120, 150),      # 15 Jan -> 15 Apr
    ("ครึ่งปี", 181, 211, 241),     # 15 Jan -> 15 Jul
    ("ปี", 365, 425, 455),          # HDX: yearly due at 365, overdue 425, delinquent 455
])
def test_statuses_change_on_the_days_hdx_gives(unit, due, overdue, delinquent):
    assert at(0, unit).status == Freshness.FRESH
    assert at(due - 0.01, unit).status == Freshness.FRESH
    assert at(due, unit).status == Freshness.DUE
    assert at(overdue - 0.01, unit).status == Freshness.DUE
    assert at(overdue, unit).status == Freshness.OVERDUE
    assert at(delinquent - 0.01, unit).status == Freshness.OVERDUE
    assert at(delinquent, unit).status == Freshness.DELINQUENT
    assert at(10000, unit).status == Freshness.DELINQUENT


def test_the_interval_multiplies_the_unit():
    assert at(400, "ปี", "2").status == Freshness.FRESH
    assert at(731, "ปี", 2).status == Freshness.DUE
    assert at(20, "สัปดาห์", "3").status == Freshness.FRESH
    assert at(0.5, "วัน", 0).status == Freshness.FRESH     # 0 reads as once per unit


@pytest.mark.parametrize("unit", ["ชั่วโมง", "นาที", "ตามเวลาจริง"])
def test_faster_than_daily_is_judged_daily(unit):
    assert at(0.5, unit).status == Freshness.FRESH
    assert at(1.5, unit).status == Freshness.DUE


def test_never_and_as_needed_are_never_due_however_old():
    assert at(100000, "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล").status == Freshness.NEVER
    assert at(100000, "ตามความจำเป็น").status == Freshness.AS_NEEDED


@pytest.mark.parametrize(("unit", "interval", "reason"), [
    (None, None, "no_frequency"), ("", None, "no_frequency"), ("  ", "3", "no_frequency"),
    ("ไม่ทราบ", None, "frequency_unknown"), ("อื่นๆ", None, "other_frequency"),
    ("fortnightly", None, "unknown_frequency"), ("ปีละครั้ง", None, "unknown_frequency"),
    ("ANNUAL", None, "unknown_frequency"),
    ("ปี", "-1", "bad_interval"), ("ปี", "สอง", "bad_interval"), ("ปี", "1.5", "bad_interval"),
    ("ปี", "101", "bad_interval"), ("ปี", 10 ** 12, "bad_interval"),
])
def test_a_frequency_the_portal_does_not_know_is_unknown_with_the_reason(unit, interval, reason):
    found = at(3, unit, interval)
    assert found.status == Freshness.UNKNOWN
    assert found.reason == reason
    assert found.detail()["value"] == (unit or "").strip()


def test_the_latest_change_counts_and_creation_only_without_any_other():
    old, new = T0 - datetime.timedelta(days=900), T0 - datetime.timedelta(days=10)
    found = at(0, "ปี", declared=old, resource=new, harvest=None, created=old)
    assert (found.status, found.last_changed, found.changed_by) == (Freshness.FRESH, new,
                                                                   "resource")
    found = at(0, "ปี", created=new)
    assert found.changed_by == "created"
    found = at(0, "ปี", created=T0 - datetime.timedelta(days=5), declared=old)
    assert (found.changed_by, found.status) == ("declared", Freshness.DELINQUENT)


def test_a_date_in_the_future_is_ignored_and_named():
    future = T0 + datetime.timedelta(days=3650)
    found = at(0, "ปี", declared=future, resource=T0 - datetime.timedelta(days=430))
    assert found.status == Freshness.OVERDUE
    assert found.ignored == ["declared"]


def test_no_date_at_all_is_unknown():
    assert freshness.assess("ปี", None, {}, T0).reason == "no_date"
