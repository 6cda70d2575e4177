"""Values as Thai agencies write them, read into the forms our fields store: numbers with
thousands separators, currency signs and "-" for empty; Buddhist-Era and Christian-Era
years ("2566", "พ.ศ. 2566", "2023", "ค.ศ. 2023"); dates in dd/mm/yyyy (B.E. or C.E.), ISO or
with Thai month names; web addresses without a scheme or in upper case.

Nothing is guessed: a value that could mean two things ("1.234", "1,5", "03/04/68") raises
:class:`Unreadable` with the reason, so the caller names the cell and keeps the original.
Messages are English msgids; callers translate them.
"""
from __future__ import annotations

import datetime
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

BE_OFFSET = 543
# Thai digits read as 0-9.
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# What stands for "no value" in any cell (dashes), and, where a number, a year or a date is
# expected, also these words ("ไม่มี" is a value of its own in GD-Catalog's value lists).
EMPTY = {"", "-", "\u2013", "\u2014"}
NO_VALUE = EMPTY | {"n/a", "na", "ไม่มี", "ไม่ระบุ", "null", "none"}
_CURRENCY = re.compile(r"(฿|บาท|thb|baht|\$|usd|€|eur)", re.IGNORECASE)
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_ERA = re.compile(r"^(พ\.?\s?ศ\.?|b\.?\s?e\.?|ค\.?\s?ศ\.?|a\.?\s?d\.?|c\.?\s?e\.?)\s*",
                  re.IGNORECASE)
_MONTHS = {
    "มกราคม": 1, "ม.ค.": 1, "กุมภาพันธ์": 2, "ก.พ.": 2, "มีนาคม": 3, "มี.ค.": 3, "เมษายน": 4,
    "เม.ย.": 4, "พฤษภาคม": 5, "พ.ค.": 5, "มิถุนายน": 6, "มิ.ย.": 6, "กรกฎาคม": 7, "ก.ค.": 7,
    "สิงหาคม": 8, "ส.ค.": 8, "กันยายน": 9, "ก.ย.": 9, "ตุลาคม": 10, "ต.ค.": 10,
    "พฤศจิกายน": 11, "พ.ย.": 11, "ธันวาคม": 12, "ธ.ค.": 12,
}
_THAI_DATE = re.compile(r"^(\d{1,2})\s*(" + "|".join(re.escape(m) for m in
                                                     sorted(_MONTHS, key=len, reverse=True))
                        + r")\s*(?:พ\.?\s?ศ\.?\s*)?(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})"
                  r"(?:[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def _(message: str) -> str:
    """Marks a message for the translation catalogue; callers translate it when shown."""
    return message


class Unreadable(ValueError):
    """A value that cannot be read without guessing; ``str()`` is an English msgid with
    ``%(value)s``."""

    def __init__(self, message: str, value: object) -> None:
        super().__init__(message)
        self.message, self.value = message, value


def is_empty(value: object, words: set[str] = EMPTY) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in words) or (
        isinstance(value, (list, tuple, dict)) and not value)


def _text(value: object) -> str:
    return str(value).translate(_THAI_DIGITS).strip()


def number(value: object) -> str | None:
    """A number as plain digits with a decimal point ("1234.5"); None for an empty cell.
    Thousands separated by commas (the Thai and English way) and currency signs are
    accepted; a comma or a point that could be either a decimal or a thousands separator
    ("1.234", "1,5", "1.234,56") is refused, never changed."""
    if isinstance(value, bool):
        raise Unreadable(_("%(value)s is not a number"), value)
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if is_empty(value, NO_VALUE):
        return None
    text = _CURRENCY.sub("", _text(value)).replace(" ", "").replace("\u00a0", "")
    if is_empty(text, NO_VALUE):
        return None
    if _PLAIN.match(text):      # a point is the decimal separator (the Thai convention)
        return text
    if _GROUPED.match(text):
        return text.replace(",", "")
    if re.match(r"^[+-]?[\d.,]+$", text):
        raise Unreadable(_("%(value)s: the decimal separator is ambiguous (write 1234.56 or "
                         "1,234.56)"), value)
    raise Unreadable(_("%(value)s is not a number"), value)


def year_be(value: object) -> int | None:
    """A year of the Buddhist Era. A bare year above 2400 is B.E., one between 1800 and
    2400 is C.E. (converted); "พ.ศ." / "B.E." and "ค.ศ." / "A.D." / "C.E." say which."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif is_empty(value, NO_VALUE):
        return None
    else:
        text = _text(value)
    era = _ERA.match(text)
    marker = era.group(1).lower() if era else ""
    digits = text[era.end():].strip() if era else text
    if re.match(r"^\d{4}\.0$", digits):       # a year read from a spreadsheet as a float
        digits = digits[:-2]
    if not re.match(r"^\d{4}$", digits):
        raise Unreadable(_("%(value)s is not a year"), value)
    year = int(digits)
    christian = marker.startswith(("ค", "a", "c")) or (not marker and year < 2400)
    if christian:
        year += BE_OFFSET
    if not 2400 <= year <= 2800:
        raise Unreadable(_("%(value)s is not a year"), value)
    return year


def _ce(year: int) -> int:
    return year - BE_OFFSET if year > 2400 else year


def date(value: object) -> str | None:
    """An ISO date (yyyy-mm-dd). dd/mm/yyyy (also with - or .), ISO, and day, Thai month
    name (full or abbreviated) and year; years above 2400 are B.E. A two-digit year or a
    day/month order that cannot be told apart from month/day is refused."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if is_empty(value, NO_VALUE):
        return None
    text = _text(value)
    found = _ISO.match(text)
    if found:
        parts = (_ce(int(found.group(1))), int(found.group(2)), int(found.group(3)))
    elif (found := _DMY.match(text)) is not None:
        day, month = int(found.group(1)), int(found.group(2))
        if month > 12 and day <= 12:
            raise Unreadable(_("%(value)s: day and month cannot be told apart (write "
                               "dd/mm/yyyy)"), value)
        parts = (_ce(int(found.group(3))), month, day)
    elif (found := _THAI_DATE.match(text)) is not None:
        parts = (_ce(int(found.group(3))), _MONTHS[found.group(2)], int(found.group(1)))
    else:
        raise Unreadable(_("%(value)s is not a date (write dd/mm/yyyy or yyyy-mm-dd)"), value)
    try:
        return datetime.date(*parts).isoformat()
    except ValueError:
        raise Unreadable(_("%(value)s is not a date of the calendar"), value) from None


def looks_like_date(value: object) -> bool:
    """Written the way dates are (15/03/2568, 31/05/68, 1 เม.ย. 68), readable or not."""
    text = _text(value)
    return bool(re.match(r"^\d{1,2}[/.-]\d{1,2}[/.-](\d{2}|\d{4})$", text)
                or _THAI_DATE.match(text) or re.match(
                    r"^\d{1,2}\s*(" + "|".join(map(re.escape, _MONTHS)) + r")\s*\d{2}$", text))


def url(value: object, base: str | None = None) -> str | None:
    """A web address with a lower-case http(s) scheme: ``HTTPS://x`` -> ``https://x``;
    ``www.x.go.th/a.csv`` -> ``http://www.x.go.th/a.csv``; a path is resolved against
    ``base`` (the source's address). Other schemes (ftp, file, javascript) are refused."""
    if is_empty(value):
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc:
        return urlunsplit((scheme, parts.netloc.lower(), parts.path, parts.query,
                           parts.fragment))
    if not scheme and re.match(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/|$)", text):
        return url("http://" + text)
    if not scheme and base and text.startswith("/"):
        return url(urljoin(base, text))
    raise Unreadable(_("%(value)s is not a web address (http or https)"), value)
