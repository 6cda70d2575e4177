"""Strict search parameters for ``package_search``: a field ``fq`` does not know, a sort key
that is not sortable, ``rows`` over ``ckan.search.rows_max``, a malformed filter or a local
parameter are refused (HTTP 400 naming the parameter) instead of answered as if nothing were
wrong; timestamps in ``fq`` ranges may carry any zone (as ``package_show`` gives them) and
are handed to Solr in UTC."""
from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ckan.plugins.toolkit as tk

from ..catalogue.search import PLAIN_FIELDS, VOCABULARY_FIELDS
from ..catalogue.types import DATASET_TYPES

# CKAN's index fields (ckan/config/solr/schema.xml) a caller may filter on; the internal ones
# (site id, index id, stored dicts, permission labels, version) are left out on purpose.
CORE_FIELDS = frozenset((
    "id", "title", "entity_type", "dataset_type", "state", "name", "version", "url",
    "ckan_url", "download_url", "notes", "author", "author_email", "maintainer",
    "maintainer_email", "license", "license_id", "tags", "groups", "organization", "capacity",
    "res_name", "res_description", "res_format", "res_url", "res_type", "text", "urls",
    "depends_on", "dependency_of", "derives_from", "has_derivation", "links_to", "linked_from",
    "child_of", "parent_of", "views_total", "views_recent", "resources_accessed_total",
    "resources_accessed_recent", "metadata_created", "metadata_modified", "indexed_ts",
    "title_string", "type", "num_resources", "num_tags",
    # ckanext-spatial's fields (config/solr/schema.xml)
    "minx", "miny", "maxx", "maxy", "bbox_area", "spatial_geom",
))
# What catalogue/search.py and quality/index.py add to the index document.
OUR_INDEX_FIELDS = frozenset(("vocab_district", "vocab_tambon", "vocab_sector", "vocab_year",
                              "freshness", "quality_score", "quality_band",
                              "vocab_quality_flags",
                              *(f"vocab_{f}" for f in (*VOCABULARY_FIELDS, *PLAIN_FIELDS))))
SORTABLE = frozenset(("score", "name", "title_string", "metadata_modified", "metadata_created",
                      "views_total", "views_recent", "num_resources", "num_tags", "indexed_ts",
                      "dataset_type", "state", "quality_score"))
DATE_FIELDS = frozenset(("metadata_created", "metadata_modified", "indexed_ts"))


_listeners: list[Callable[[dict[str, Any]], None]] = []


def on_refusal(listener: Callable[[dict[str, Any]], None]) -> None:
    """``listener(errors)`` is told of every refusal (the HTTP layer answers it with 400)."""
    if listener not in _listeners:
        _listeners.append(listener)


class QueryError(tk.ValidationError):
    """A search parameter that cannot be run as given: the API answers 400, not 409."""

    def __init__(self, error_dict: dict[str, Any]) -> None:
        super().__init__(error_dict)
        for listener in _listeners:
            listener(dict(error_dict))


@cache
def dataset_fields() -> frozenset[str]:
    """Every field of our three scheming types."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    names: set[str] = set()
    for dataset_type in DATASET_TYPES:
        schema = scheming_get_dataset_schema(dataset_type) or {}
        names.update(f["field_name"] for f in schema.get("dataset_fields", []))
    return frozenset(names)


def known_field(name: str) -> bool:
    if name in CORE_FIELDS or name in OUR_INDEX_FIELDS or name in dataset_fields():
        return True
    if name.startswith("extras_"):
        return name.removeprefix("extras_") in dataset_fields()
    return bool(re.fullmatch(r"res_extras_\w+", name))


def is_date_field(name: str) -> bool:
    return name in DATE_FIELDS or name.endswith("_date")


@dataclass
class Parsed:
    fields: list[str] = field(default_factory=list)
    # (start, end, replacement) of range ends to rewrite for Solr
    edits: list[tuple[int, int, str]] = field(default_factory=list)


_FIELD = re.compile(r"([A-Za-z_][\w.]*):")
_OPERATOR = re.compile(r"(AND|OR|NOT|&&|\|\|)(?=[\s()]|$)")


class _Malformed(ValueError):
    pass


def _quoted(text: str, i: int) -> int:
    """End (exclusive) of the quoted phrase that starts at ``text[i] == '"'``."""
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == '"':
            return j + 1
        j += 1
    raise _Malformed(tk._("a quotation mark is not closed"))


def solr_date(value: str) -> str:
    """A range end of a date field for Solr: ``*`` and date math as they are; an ISO 8601
    timestamp (any zone; none means UTC) in UTC as ``...Z``."""
    if value == "*" or value.startswith("NOW"):
        return value
    text = value.replace("\\:", ":").replace("\\+", "+")
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00")
                                                 if text.endswith("Z") else text)
    except ValueError:
        raise _Malformed(tk._("%s is not an ISO 8601 timestamp") % value) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}Z"


def _range(text: str, i: int, name: str | None, out: Parsed) -> int:
    """A range ``[a TO b]`` (or with ``{``/``}``) starting at ``i``; returns its end."""
    close = re.compile(r"[\]}]")
    end = close.search(text, i + 1)
    if end is None:
        raise _Malformed(tk._("a range is not closed"))
    body = text[i + 1:end.start()]
    parts = body.split()
    if len(parts) != 3 or parts[1] != "TO":
        raise _Malformed(tk._("a range must read [from TO to]"))
    if name and is_date_field(name):
        start = i + 1
        for part in (parts[0], parts[2]):
            pos = text.index(part, start)
            out.edits.append((pos, pos + len(part), solr_date(part)))
            start = pos + len(part)
    return end.end()


def _term_end(text: str, i: int) -> int:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in "()":
        j += 2 if text[j] == "\\" else 1
    return min(j, len(text))


def parse_filter(text: str) -> Parsed:
    """The fields ``text`` (Lucene/Solr standard syntax) names, and the range ends to give
    Solr in its date format. Raises _Malformed with what is wrong."""
    out, depth, i, expect_value_for = Parsed(), 0, 0, None
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if text.startswith("{!", i):
            raise _Malformed(tk._("local parameters ({!...}) are not accepted"))
        if ch == "(":
            depth, i = depth + 1, i + 1
            continue
        if ch == ")":
            depth, i = depth - 1, i + 1
            if depth < 0:
                raise _Malformed(tk._("a closing parenthesis has no opening one"))
            continue
        if ch in "+-!" and expect_value_for is None:
            i += 1
            continue
        operator = _OPERATOR.match(text, i)
        if operator:
            i = operator.end()
            continue
        named = _FIELD.match(text, i)
        if named:
            name = named.group(1)
            out.fields.append(name)
            i = named.end()
            if i >= len(text) or text[i].isspace():
                raise _Malformed(tk._("%s: has no value") % name)
            if text[i] == "(":
                continue  # a group of values for this field
            if text[i] == '"':
                i = _quoted(text, i)
            elif text[i] in "[{":
                i = _range(text, i, name, out)
            else:
                i = _term_end(text, i)
            continue
        if ch == '"':
            i = _quoted(text, i)
        elif ch in "[{":
            i = _range(text, i, None, out)
        elif ch in "]}":
            raise _Malformed(tk._("a range is closed but was not opened"))
        else:
            i = _term_end(text, i)
    if depth:
        raise _Malformed(tk._("a parenthesis is not closed"))
    return out


def _rewrite(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _filters(data_dict: dict[str, Any], errors: dict[str, list[str]]) -> None:
    for param in ("fq", "fq_list"):
        value = data_dict.get(param)
        if value in (None, ""):
            continue
        items = value if isinstance(value, list) else [value]
        rewritten = []
        for item in items:
            if not isinstance(item, str):
                errors.setdefault(param, []).append(tk._("Must be text"))
                continue
            try:
                parsed = parse_filter(item)
            except _Malformed as e:
                errors.setdefault(param, []).append(
                    tk._("Malformed filter: %s") % str(e))
                continue
            unknown = sorted({f for f in parsed.fields if not known_field(f)})
            for name in unknown:
                errors.setdefault(param, []).append(
                    tk._("Unknown field %s; the API guide lists the fields you can filter on")
                    % name)
            rewritten.append(_rewrite(item, parsed.edits))
        if param not in errors:
            data_dict[param] = rewritten if isinstance(value, list) else rewritten[0]


def _sort(value: Any, errors: dict[str, list[str]]) -> None:
    if value in (None, ""):
        return
    if not isinstance(value, str):
        errors["sort"] = [tk._("Must be text")]
        return
    for clause in value.split(","):
        parts = clause.split()
        if len(parts) != 2 or parts[1].lower() not in ("asc", "desc"):
            errors.setdefault("sort", []).append(
                tk._("%s: give a field and asc or desc, such as metadata_modified desc")
                % clause.strip())
        elif parts[0] not in SORTABLE:
            errors.setdefault("sort", []).append(
                tk._("Cannot sort by %(field)s; sort by one of: %(fields)s")
                % {"field": parts[0], "fields": ", ".join(sorted(SORTABLE))})


def _integer(data_dict: dict[str, Any], param: str, high: int | None,
             errors: dict[str, list[str]]) -> None:
    value = data_dict.get(param)
    if value in (None, ""):
        return
    try:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[param] = [tk._("Must be a whole number")]
        return
    if number < 0:
        errors[param] = [tk._("Must be zero or more")]
    elif high is not None and number > high:
        errors[param] = [tk._("At most %d per call; page through the results with start")
                         % high]


def _facet_fields(value: Any, errors: dict[str, list[str]]) -> None:
    if value in (None, ""):
        return
    try:
        names = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        errors["facet.field"] = [tk._('Must be a JSON list such as ["vocab_district"]')]
        return
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        errors["facet.field"] = [tk._('Must be a JSON list such as ["vocab_district"]')]
        return
    for name in names:
        if not known_field(name):
            errors.setdefault("facet.field", []).append(
                tk._("Unknown field %s; the API guide lists the fields you can filter on")
                % name)


def check(data_dict: dict[str, Any]) -> None:
    """Refuse (QueryError) or normalise the search parameters in ``data_dict``, in place."""
    errors: dict[str, list[str]] = {}
    _filters(data_dict, errors)
    _sort(data_dict.get("sort"), errors)
    _integer(data_dict, "rows", tk.config["ckan.search.rows_max"], errors)
    _integer(data_dict, "start", None, errors)
    _facet_fields(data_dict.get("facet.field"), errors)
    if errors:
        raise QueryError(errors)
