"""Validators, registered through IValidators (``tk.get_validator(name)``) and named in the
scheming YAML of ``schemas/``.

``tag_name_validator`` and ``tag_string_convert`` deliberately replace CKAN's validators of
the same names: CKAN accepts only ``\\w`` characters in tags, and Python's ``\\w`` leaves out
the combining vowel and tone marks (Unicode category M) that nearly every Thai word carries,
so CKAN refuses tags such as "เมืองลำปาง". Ours accept those marks and the punctuation Thai
catalogues put in keywords (parentheses, slash, ampersand...), and still no markup.
"""
from __future__ import annotations

import datetime
import json
import re
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validators as core
from ckan.types import (
    Context,
    FlattenDataDict,
    FlattenErrorDict,
    FlattenKey,
    Validator,
)

from ..catalogue.labels import current_lang
from ..catalogue.names import lampangpoverty_name_from_title
from ..l10n import dates
from ..l10n.validators import lampangpoverty_date
from ..lib import values
from ..lib.clock import utcnow
from ..model import Microdata, MicrodataStatus
from ..quality.validators import lampangpoverty_table_schema
from .references import (
    lampangpoverty_area_code,
    lampangpoverty_area_codes,
    lampangpoverty_evidence_datasets,
    lampangpoverty_organizations,
    lampangpoverty_vocabulary_terms,
)

__all__ = [
    "lampangpoverty_area_code",
    "lampangpoverty_area_codes",
    "lampangpoverty_buddhist_year",
    "lampangpoverty_date",
    "lampangpoverty_date_order",
    "lampangpoverty_evidence_datasets",
    "lampangpoverty_expiry",
    "lampangpoverty_geojson",
    "lampangpoverty_json_object",
    "lampangpoverty_metadata_licence",
    "lampangpoverty_name_from_title",
    "lampangpoverty_no_markup",
    "lampangpoverty_no_script_anywhere",
    "lampangpoverty_non_negative",
    "lampangpoverty_non_negative_number",
    "lampangpoverty_organizations",
    "lampangpoverty_publication_gate",
    "lampangpoverty_range",
    "lampangpoverty_rate_limit",
    "lampangpoverty_refuse_unknown",
    "lampangpoverty_table_schema",
    "lampangpoverty_text",
    "lampangpoverty_timestamp_with_zone",
    "lampangpoverty_vocabulary_terms",
    "tag_name_validator",
    "tag_string_convert",
]

# Tag characters: letters with their combining marks (Thai vowels and tone marks), digits,
# spaces and the punctuation Thai catalogues (GD-Catalog) use in keywords, e.g.
# "กรมการปกครอง (DOPA)", "ข้อมูล จปฐ./กชช. 2ค", "R&D". Not: commas (they separate tags in
# tag_string), quotes, < > and other markup.
_TAG_CHAR = re.compile(r"[\w \-.()\[\]/&+':]")
# Markup in a plain-text field: any tag-like "<x", "</x" or "<!".
_MARKUP = re.compile(r"<[/!]?[a-zA-Z]")
# Active content anywhere (markdown fields included): script/iframe/object tags,
# javascript: URLs and inline event handlers.
_SCRIPT = re.compile(r"<\s*/?\s*(script|iframe|object|embed)\b|javascript\s*:|\bon[a-z]+\s*=",
                     re.IGNORECASE)


def _tag_char_ok(ch: str) -> bool:
    return bool(_TAG_CHAR.match(ch)) or unicodedata.category(ch).startswith("M")


def tag_name_ok(value: str) -> bool:
    """Whether a tag name has only the characters :py:func:`tag_name_validator` allows."""
    return all(_tag_char_ok(ch) for ch in value)


def tag_name_validator(value: Any, context: Context) -> Any:
    """Letters (with their combining marks), digits, spaces and ``- _ . ( ) [ ] / & + ' :``."""
    if not tag_name_ok(value):
        raise tk.Invalid(tk._(
            'Tag "%s" can only contain letters, digits, spaces and - _ . ( ) [ ] / & + \' :')
            % value)
    return value


def tag_string_convert(key: FlattenKey, data: FlattenDataDict,
                       errors: FlattenErrorDict, context: Context) -> Any:
    """A comma-separated tag string (or a list) into ``tags``, each validated."""
    value = data[key]
    if isinstance(value, str):
        tags = [t.strip() for t in value.split(",") if t.strip()]
    else:
        tags = value
    first = max([int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"] + [-1]) + 1
    for num, tag in enumerate(tags, start=first):
        data[("tags", num, "name")] = tag
    for tag in tags:
        core.tag_length_validator(tag, context)
        tag_name_validator(tag, context)


# --------------------------------------------------------------------------- text

def lampangpoverty_no_markup(value: Any, context: Context) -> Any:
    """Plain-text fields hold no HTML."""
    if isinstance(value, str) and _MARKUP.search(value):
        raise tk.Invalid(tk._("HTML tags are not allowed in this field"))
    return value


def _add_error(errors: FlattenErrorDict, key: FlattenKey, message: str) -> None:
    errors.setdefault(key, [])
    if message not in errors[key]:
        errors[key].append(message)


def lampangpoverty_no_script_anywhere(key: FlattenKey, data: FlattenDataDict,
                                      errors: FlattenErrorDict, context: Context) -> None:
    """No field of the record, resources included, carries active content (script tags,
    javascript: links, event handlers). Runs before the field validators, on every key."""
    for field_key, value in list(data.items()):
        if isinstance(value, str) and _SCRIPT.search(value):
            _add_error(errors, field_key, tk._("Scripts are not allowed in this field"))


# --------------------------------------------------------------------------- action input

def lampangpoverty_json_object(value: Any, context: Context) -> Any:
    """A JSON object, given as one or as JSON text (form posts send text)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as e:
            raise tk.Invalid(tk._("Not valid JSON")) from e
    if not isinstance(value, dict):
        raise tk.Invalid(tk._("Must be a JSON object"))
    return value


def lampangpoverty_text(value: Any, context: Context) -> Any:
    """Text, or a number given for it; a list or an object where text belongs is refused
    (it used to reach the database and fail there)."""
    if value is None or value is tk.missing:
        return value
    if isinstance(value, (list, tuple, dict, set)) or isinstance(value, bool):
        raise tk.Invalid(tk._("Must be text, not a list or an object"))
    return value if isinstance(value, str) else str(value)


def lampangpoverty_timestamp_with_zone(value: Any, context: Context) -> Any:
    """An ISO 8601 timestamp with its zone (``2026-01-05T10:00:00+07:00`` or ``...Z``), as
    naive UTC; a timestamp without a zone is ambiguous and refused."""
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        text = str(value).strip()
        try:
            parsed = datetime.datetime.fromisoformat(text[:-1] + "+00:00"
                                                     if text.endswith(("Z", "z")) else text)
        except ValueError:
            raise tk.Invalid(tk._("Must be an ISO 8601 timestamp with its zone, such as "
                                  "2026-01-05T10:00:00+07:00")) from None
    if parsed.tzinfo is None:
        raise tk.Invalid(tk._("Give the time zone too, such as 2026-01-05T10:00:00+07:00 or "
                              "2026-01-05T03:00:00Z"))
    return parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def lampangpoverty_refuse_unknown(key: FlattenKey, data: FlattenDataDict,
                                  errors: FlattenErrorDict, context: Context) -> None:
    """Schema-level, on ``__extras`` and ``__junk``: every field the schema does not know is
    refused with an error of its own, so a mistyped field is named instead of dropped.
    (CKAN puts unknown top-level keys under ``__extras``, nested ones under ``__junk``.)"""
    unknown = data.get(key)
    if not isinstance(unknown, dict):
        return
    known = sorted(str(k[0]) for k in data if len(k) == 1 and not str(k[0]).startswith("__"))
    for name in unknown:
        field = ".".join(map(str, name)) if isinstance(name, tuple) else str(name)
        errors.setdefault((field,), []).append(
            tk._("Unknown field; this action takes: %s") % ", ".join(known))
    data.pop(key, None)


# --------------------------------------------------------------------------- numbers, dates

def lampangpoverty_range(low: Any, high: Any, low_open: Any = False) -> Validator:
    """A number from ``low`` to ``high`` (``low`` itself excluded when ``low_open``): for
    configuration options, e.g. ``lampangpoverty_range(0,1,True)`` for a share in (0, 1]."""
    low_value, high_value, exclusive = float(low), float(high), str(low_open) == "True"

    def validator(value: Any, context: Context) -> Any:
        try:
            number = float(value)
        except (TypeError, ValueError) as e:
            raise tk.Invalid(tk._("Must be a number")) from e
        below = number <= low_value if exclusive else number < low_value
        if below or number > high_value:
            raise tk.Invalid(tk._("Must be between %(low)s and %(high)s")
                             % {"low": f"{low}{' (excluded)' if exclusive else ''}",
                                "high": high})
        return value
    return validator



def lampangpoverty_rate_limit(value: Any, context: Context) -> Any:
    """A rate limit such as ``600/minute`` (the limits library's notation), or empty."""
    if value in (None, ""):
        return ""
    from limits import parse

    try:
        parse(str(value))
    except ValueError as e:
        raise tk.Invalid(tk._("Not a rate limit such as 600/minute: %s") % e) from None
    return value


def lampangpoverty_metadata_licence(value: Any, context: Context) -> Any:
    """A CKAN licence id we can publish a licence document for (config option)."""
    from ..catalogue import licences

    if licences.document(value) is None:
        raise tk.Invalid(tk._("Must be one of %s") % ", ".join(sorted(licences.DOCUMENTS)))
    return value


def lampangpoverty_non_negative(value: Any, context: Context) -> Any:
    if value is not None and value != "" and int(value) < 0:
        raise tk.Invalid(tk._("Must be zero or more"))
    return value


def lampangpoverty_non_negative_number(value: Any, context: Context) -> Any:
    """A number of baht: zero or more; thousands may be separated by commas and a currency
    sign given ("฿1,234.50"); a separator that could be a decimal one ("1.234,56", "1,5")
    is refused, never changed. Stored as a string."""
    if value is None or value == "":
        return value
    try:
        text = values.number(value)
    except values.Unreadable as e:
        raise tk.Invalid(tk._(e.message) % {"value": e.value}) from None
    if text is None:
        return ""
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise tk.Invalid(tk._("Must be a number"))
    if number < 0:
        raise tk.Invalid(tk._("Must be zero or more"))
    return text


def lampangpoverty_buddhist_year(value: Any, context: Context) -> Any:
    """A year of the Buddhist Era (B.E. = A.D. + 543), as Thai agencies write it."""
    if value is None or value == "":
        return value
    try:
        year = int(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Must be a year of the Buddhist Era, such as 2568")) from None
    if not 2500 <= year <= 2700:
        raise tk.Invalid(tk._("Must be a year of the Buddhist Era, such as 2568"))
    return year


def lampangpoverty_expiry(value: Any, context: Context) -> Any:
    """The day an approval ends (ISO date of the Common Era, in the future), as naive UTC
    midnight. A Buddhist Era year (2570 for 2027) is refused with the C.E. date to give."""
    text = str(value).strip()
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise tk.Invalid(tk._("Must be a date such as 2027-01-31")) from None
    if day.year >= 2300:
        raise tk.Invalid(tk._(
            "%(year)d looks like a year of the Buddhist Era; give the date in the Common Era "
            "(%(date)s)") % {"year": day.year,
                             "date": day.replace(year=day.year - 543).isoformat()})
    expires = datetime.datetime.combine(day, datetime.time())
    if expires <= utcnow():
        raise tk.Invalid(tk._("Must be a day after today"))
    return expires


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def lampangpoverty_date_order(start_field: str, end_field: str) -> Validator:
    """Schema-level: the end date, when given, is not before the start date."""

    def validator(key: FlattenKey, data: FlattenDataDict,
                  errors: FlattenErrorDict, context: Context) -> None:
        start = _as_date(data.get((start_field,)))
        end = _as_date(data.get((end_field,)))
        if start and end and end < start:
            shown = dates.display(start, current_lang(), "UTC")
            _add_error(errors, (end_field,), tk._("Must not be before %s") % shown)
    return validator


# --------------------------------------------------------------------------- geometry

def lampangpoverty_geojson(value: Any, context: Context) -> Any:
    """An explicit extent: a GeoJSON geometry ckanext-spatial can index."""
    if not value:
        return value
    from shapely.geometry import shape

    try:
        geometry = json.loads(value) if isinstance(value, str) else value
        geom = shape(geometry)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as e:
        raise tk.Invalid(tk._("Not a valid GeoJSON geometry: %s") % e) from e
    if geom.is_empty or not geom.is_valid:
        raise tk.Invalid(tk._("Not a valid GeoJSON geometry: %s") % "empty or self-intersecting")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise tk.Invalid(tk._("Coordinates must be longitude and latitude in WGS84"))
    return json.dumps(geometry) if not isinstance(value, str) else value


# --------------------------------------------------------------------------- publication

def lampangpoverty_publication_gate(key: FlattenKey, data: FlattenDataDict,
                                    errors: FlattenErrorDict, context: Context) -> None:
    """Schema-level: a private poverty dataset with a household table submitted to the
    disclosure gate cannot be made public until one of its releases passed. (A dataset that
    is public already stays so: its raw table is never public, and its release appears only
    once it passes.)"""
    private = data.get(("private",))
    if private in (True, "True", "true", "1", "on") or private is tk.missing or private is None:
        return
    package_id = data.get(("id",))
    if not package_id or package_id is tk.missing:
        return
    pkg = model.Package.get(package_id)
    if pkg is None or not pkg.private or Microdata.latest(pkg.id) is None:
        return
    if Microdata.latest(pkg.id, status=MicrodataStatus.PASSED) is None:
        _add_error(errors, ("private",), tk._(
            "This dataset holds household-level data: it can become public only after a "
            "release has passed the disclosure check"))
