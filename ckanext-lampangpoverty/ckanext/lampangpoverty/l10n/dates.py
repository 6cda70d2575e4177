"""One way to show a date or time on every page, and to read the dates Thai users type.

Thai pages use the Buddhist Era with Thai month names (28 พฤศจิกายน 2569), English pages the
Common Era (28 November 2026); times are shown in ``ckan.display_timezone`` (Bangkok), the
zone of every reader of this portal, never the browser's or the server's. Timestamps are
stored as naive UTC (CKAN's and ckanext-harvest's convention, see ``lib.clock``)."""
from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from ..lib.values import _

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
               "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")
BE_OFFSET = 543
# Thai digits read as 0-9: users type them, and CKAN's forms pass them through.
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
# A four-digit year this far past today's C.E. year is taken as B.E. (2400 C.E. is no
# date anyone types for a poverty programme; 1900 B.E. is long before any data).
_BE_FROM = 2400


class Unreadable(ValueError):
    """A typed date that is not a date; ``message`` says (in English, for ``tk._``) why."""

    def __init__(self, message: str, value: str) -> None:
        super().__init__(message % {"value": value})
        self.message = message
        self.value = value


def as_datetime(value: object) -> datetime.datetime | datetime.date | None:
    """A datetime (naive = UTC), date, or ISO string as a datetime or, when it carries no
    time of day, a date; None when it is empty or not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    text = str(value).strip()
    try:
        if len(text) <= 10:
            return datetime.date.fromisoformat(text)
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def in_zone(value: datetime.datetime, zone: str) -> datetime.datetime:
    """``value`` (naive means UTC) as the wall-clock time in ``zone``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(ZoneInfo(zone))


def display(value: object, lang: str, zone: str, with_time: bool = False) -> str:
    """``value`` for a reader of ``lang``: the day (in ``zone`` when it is a timestamp) and,
    ``with_time``, the time of day there. Unreadable values are shown as they are."""
    moment = as_datetime(value)
    if moment is None:
        return "" if value is None else str(value)
    if isinstance(moment, datetime.datetime):
        local = in_zone(moment, zone)
        day: datetime.date = local.date()
    else:
        local, day = None, moment
        with_time = False
    if lang == "th":
        text = f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + BE_OFFSET}"
        return f"{text} เวลา {local:%H:%M} น." if with_time and local else text
    text = f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return f"{text}, {local:%H:%M}" if with_time and local else text


def form_value(value: object, lang: str) -> str:
    """A stored date as a form shows it for editing: dd/mm/yyyy, B.E. in Thai."""
    moment = as_datetime(value)
    if moment is None:
        return "" if value is None else str(value)
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    year = day.year + BE_OFFSET if lang == "th" else day.year
    return f"{day.day:02d}/{day.month:02d}/{year}"


def parse(text: str) -> datetime.date:
    """What a user typed as a date: dd/mm/yyyy (also with '.' or '-'), the year in B.E.
    (2569) or C.E. (2026), Thai or Arabic digits; or ISO yyyy-mm-dd (C.E.).

    :raises Unreadable: saying what was expected."""
    clean = str(text).strip().translate(_THAI_DIGITS)
    ymd = _YMD.match(clean)
    dmy = _DMY.match(clean)
    if ymd:
        year, month, day = (int(x) for x in ymd.groups())
    elif dmy:
        day, month, year = (int(x) for x in dmy.groups())
    else:
        raise Unreadable(_('"%(value)s" is not a date: type day/month/year, e.g. 28/11/2569'),
                         str(text))
    if year >= _BE_FROM:
        year -= BE_OFFSET
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise Unreadable(_('"%(value)s" is not a date of the calendar (day or month out of '
                           'range)'), str(text)) from None
