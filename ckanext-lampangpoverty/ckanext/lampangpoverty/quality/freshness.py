"""Freshness of a record from its update frequency and the date its data last changed, by
HDX's rule: due when the frequency has passed, overdue after a grace period, delinquent
after a longer one (the grace grows with the frequency: a week for a weekly record, two
months for a yearly one). Pure (no CKAN, no database): the daily pass calls it for every
record.

Frequencies are GD-Catalog's ``update_frequency_unit`` values (Thai), times
``update_frequency_interval``. Frequencies shorter than a day (hour, minute, real time)
are judged as daily: the pass runs once a day. "Not updated after collection" and "as
needed" are never due; "unknown", "other", no frequency at all and any value the portal
does not know give the status ``unknown`` with the reason."""
from __future__ import annotations

import calendar
import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

from .statuses import Freshness

NEVER_UNIT = "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"
AS_NEEDED_UNIT = "ตามความจำเป็น"
UNKNOWN_UNIT = "ไม่ทราบ"
OTHER_UNIT = "อื่นๆ"

# GD-Catalog unit -> one period of it, as (calendar months, days).
PERIODS: dict[str, tuple[int, int]] = {
    "ปี": (12, 0),
    "ครึ่งปี": (6, 0),
    "ไตรมาส": (3, 0),
    "เดือน": (1, 0),
    "สัปดาห์": (0, 7),
    "วัน": (0, 1),
    "วันทำการ": (0, 1),
}
SUB_DAILY = ("ชั่วโมง", "นาที", "ตามเวลาจริง")   # judged as daily
MAX_INTERVAL = 100                                  # beyond: not a frequency

# (longest period in days, grace until overdue, grace until delinquent), HDX's table.
GRACE = ((1, 1, 2), (14, 7, 14), (31, 14, 30), (183, 30, 60))
LONG_GRACE = (60, 90)

# Where the date of the last change came from, most specific first when two are equal.
SOURCES = ("declared", "resource", "harvest", "created")


@dataclass
class Assessment:
    status: str
    reason: str = ""                       # why unknown (a code; labels.py words it)
    value: str = ""                        # the frequency as stored, for the reason
    last_changed: datetime.datetime | None = None
    changed_by: str = ""                   # one of SOURCES
    due: datetime.datetime | None = None
    overdue: datetime.datetime | None = None
    delinquent: datetime.datetime | None = None
    period_days: int | None = None
    ignored: list[str] = field(default_factory=list)   # sources dated in the future

    def detail(self) -> dict[str, Any]:
        """What is stored beside the status (JSON)."""
        def iso(moment: datetime.datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {"reason": self.reason, "value": self.value, "changed_by": self.changed_by,
                "overdue": iso(self.overdue), "delinquent": iso(self.delinquent),
                "period_days": self.period_days, "ignored": self.ignored}


def add(moment: datetime.datetime, months: int, days: int) -> datetime.datetime:
    """``moment`` plus calendar months (the day kept, or the month's last) and days."""
    if months:
        total = moment.month - 1 + months
        year, month = moment.year + total // 12, total % 12 + 1
        moment = moment.replace(year=year, month=month,
                                day=min(moment.day, calendar.monthrange(year, month)[1]))
    return moment + datetime.timedelta(days=days)


@functools.lru_cache(maxsize=1024)
def period(unit: str | None, interval: Any) -> tuple[int, int] | str:
    """The period of a frequency as (months, days), or the status/reason code when it has
    none. (Cached: a pass asks for the same few frequencies a hundred thousand times.)"""
    unit = (unit or "").strip()
    if not unit:
        return "no_frequency"
    if unit == NEVER_UNIT:
        return Freshness.NEVER
    if unit == AS_NEEDED_UNIT:
        return Freshness.AS_NEEDED
    if unit == UNKNOWN_UNIT:
        return "frequency_unknown"
    if unit == OTHER_UNIT:
        return "other_frequency"
    if unit in SUB_DAILY:
        return (0, 1)
    if unit not in PERIODS:
        return "unknown_frequency"
    try:
        times = int(str(interval).strip()) if interval not in (None, "") else 1
    except ValueError:
        return "bad_interval"
    if times < 0 or times > MAX_INTERVAL:
        return "bad_interval"
    months, days = PERIODS[unit]
    return months * max(times, 1), days * max(times, 1)


def grace(period_days: int) -> tuple[int, int]:
    """Days after the due date until overdue, and until delinquent."""
    for longest, overdue, delinquent in GRACE:
        if period_days <= longest:
            return overdue, delinquent
    return LONG_GRACE


def last_change(candidates: dict[str, datetime.datetime | None],
                now: datetime.datetime) -> tuple[datetime.datetime | None, str, list[str]]:
    """The latest of the dated sources (the creation date only when there is no other);
    a date in the future is ignored (and named)."""
    ignored = [s for s in SOURCES if candidates.get(s) and candidates[s] > now]  # type: ignore[operator]
    dated = [(candidates[s], s) for s in SOURCES
             if s != "created" and candidates.get(s) and s not in ignored]
    if not dated and candidates.get("created") and "created" not in ignored:
        dated = [(candidates["created"], "created")]
    if not dated:
        return None, "", ignored
    # max() keeps the first of equal dates: SOURCES is ordered most specific first.
    moment, source = max(dated, key=lambda pair: pair[0])  # type: ignore[arg-type,return-value]
    return moment, source, ignored


def assess(unit: str | None, interval: Any, candidates: dict[str, datetime.datetime | None],
           now: datetime.datetime) -> Assessment:
    """The freshness of one record at ``now`` (naive UTC, like every stored time)."""
    moment, source, ignored = last_change(candidates, now)
    found = period(unit, interval if isinstance(interval, (str, int, type(None))) else
                   str(interval))
    base: dict[str, Any] = {"value": (unit or "").strip(), "last_changed": moment,
                            "changed_by": source,
                            "ignored": ignored}
    if isinstance(found, str):
        if found in (Freshness.NEVER, Freshness.AS_NEEDED):
            return Assessment(status=found, **base)
        return Assessment(status=Freshness.UNKNOWN, reason=found, **base)
    if moment is None:
        return Assessment(status=Freshness.UNKNOWN, reason="no_date", **base)
    try:
        due = add(moment, *found)
    except (OverflowError, ValueError):
        return Assessment(status=Freshness.UNKNOWN, reason="bad_interval", **base)
    days = max((due - moment).days, 1)
    late, later = grace(days)
    overdue = due + datetime.timedelta(days=late)
    delinquent = due + datetime.timedelta(days=later)
    if now < due:
        status = Freshness.FRESH
    elif now < overdue:
        status = Freshness.DUE
    elif now < delinquent:
        status = Freshness.OVERDUE
    else:
        status = Freshness.DELINQUENT
    return Assessment(status=status, due=due, overdue=overdue, delinquent=delinquent,
                      period_days=days, **base)
