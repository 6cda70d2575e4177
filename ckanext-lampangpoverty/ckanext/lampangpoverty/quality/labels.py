"""Words for readers (Thai through the catalogue, English otherwise): statuses, reasons,
validation errors and link problems. Stored reports keep codes and numbers only, so a page
shows them in the reader's language."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ..catalogue.labels import per_language
from .statuses import Freshness, Link, Validation


@per_language
def freshness() -> dict[str, str]:
    return {
        Freshness.FRESH: tk._("Up to date"),
        Freshness.DUE: tk._("Update due"),
        Freshness.OVERDUE: tk._("Overdue"),
        Freshness.DELINQUENT: tk._("Long overdue"),
        Freshness.NEVER: tk._("Not updated after collection"),
        Freshness.AS_NEEDED: tk._("Updated as needed"),
        Freshness.UNKNOWN: tk._("Update frequency unknown"),
    }


def freshness_reason(detail: dict[str, Any]) -> str:
    """Why a record's freshness is unknown, in words."""
    text = _reasons().get(detail.get("reason") or "", "")
    return text % {"value": detail.get("value", "")} if "%(value)s" in text else text


@per_language
def _reasons() -> dict[str, str]:
    return {
        "no_frequency": tk._("The record gives no update frequency."),
        "frequency_unknown": tk._("The update frequency is given as unknown."),
        "other_frequency": tk._("The update frequency is 'other': the portal cannot tell when "
                                "an update is due."),
        "unknown_frequency": tk._("'%(value)s' is not an update frequency the portal knows."),
        "bad_interval": tk._("The update interval is not a whole number from 0 to 100."),
        "no_date": tk._("The record has no date of its last change."),
    }


def changed_by() -> dict[str, str]:
    return {"declared": tk._("the date the publisher gave"),
            "resource": tk._("a change of its files or links"),
            "harvest": tk._("a harvest that changed it"),
            "created": tk._("its publication")}


@per_language
def bands() -> dict[str, str]:
    return {"a": tk._("Very good (85-100)"), "b": tk._("Good (70-84)"),
            "c": tk._("Fair (50-69)"), "d": tk._("Poor (below 50)")}


def parts() -> dict[str, str]:
    return {"metadata": tk._("Metadata completeness"), "freshness": tk._("Freshness"),
            "links": tk._("Link health"), "validation": tk._("Data validation")}


def validation() -> dict[str, str]:
    return {
        Validation.PENDING: tk._("Validation queued"),
        Validation.VALID: tk._("Valid data"),
        Validation.INVALID: tk._("Data errors"),
        Validation.NOT_TABLE: tk._("Not a readable table"),
        Validation.TOO_LARGE: tk._("Too large to validate"),
        Validation.TIMEOUT: tk._("Validation timed out"),
        Validation.UNREACHABLE: tk._("File unreachable"),
        Validation.ERROR: tk._("Validation failed"),
        Validation.NOT_TABULAR: tk._("Not a table format"),
    }


def validation_message(report: dict[str, Any] | None) -> str:
    message = (report or {}).get("message") or {}
    texts = {
        "too_large": tk._("The file is larger than the %(limit_mb)s MB the validator reads."),
        "too_large_content": tk._("The file unpacks to more than the validator reads "
                                  "(%(error)s)."),
        "too_many_rows": tk._("The table has more than %(limit)s rows."),
        "timeout": tk._("Fetching or validating the file took longer than %(seconds)s s."),
        "unreachable": tk._("The file could not be fetched: %(reason)s"),
        "file_missing": tk._("The uploaded file is missing from storage."),
        "not_table": tk._("The content is not a table (it looks like %(kind)s), although "
                          "the resource's format says it is."),
        "unreadable": tk._("The table cannot be read: %(error)s"),
        "empty": tk._("The table is empty or its header is blank."),
        "schema_unknown": tk._("The resource declares a table schema '%(name)s' that the "
                               "portal does not have (known: %(known)s)."),
        "schema_not_json": tk._("The resource's table schema is not valid JSON (%(error)s)."),
        "schema_invalid": tk._("The resource's table schema is not a valid Table Schema "
                               "(%(error)s)."),
        "crashed": tk._("The validator failed; the error was logged for the administrators."),
    }
    text = texts.get(message.get("code") or "")
    if not text:
        return ""
    try:
        return text % (message.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return text


def error_types() -> dict[str, str]:
    """Frictionless error types, in words."""
    return {
        "blank-header": tk._("Blank header"),
        "blank-label": tk._("Column without a name"),
        "duplicate-label": tk._("Duplicate column name"),
        "incorrect-label": tk._("Column name differs from the schema"),
        "missing-label": tk._("Column missing (the schema has it)"),
        "extra-label": tk._("Column the schema does not have"),
        "blank-row": tk._("Blank row"),
        "extra-cell": tk._("Extra cell"),
        "missing-cell": tk._("Missing cell"),
        "type-error": tk._("Wrong type"),
        "constraint-error": tk._("Value not allowed"),
        "unique-error": tk._("Value not unique"),
        "primary-key": tk._("Duplicate key"),
        "foreign-key": tk._("Key not found"),
        "byte-count": tk._("Wrong size"),
        "hash-count": tk._("Wrong checksum"),
    }


@per_language
def links() -> dict[str, str]:
    return {Link.UNCHECKED: tk._("Link not checked yet"), Link.OK: tk._("Link works"),
            Link.BROKEN: tk._("Broken link"), Link.TIMEOUT: tk._("Link timed out"),
            Link.REFUSED: tk._("Link refused"), Link.UPLOAD: tk._("File stored here")}


def link_message(detail: dict[str, Any] | None) -> str:
    detail = detail or {}
    texts = {
        "http": tk._("The server answered HTTP %(code)s."),
        "dns": tk._("The host %(host)s does not exist (it does not resolve)."),
        "internal": tk._("%(host)s is an internal address; the portal does not fetch it."),
        "scheme": tk._("Only http and https links can be checked."),
        "timeout": tk._("No complete answer within %(seconds)s s."),
        "tls": tk._("The secure connection failed (%(error)s)."),
        "connection": tk._("The connection failed (%(error)s)."),
        "redirects": tk._("More than %(limit)s redirects."),
    }
    text = texts.get(detail.get("code") or "")
    if not text:
        return ""
    try:
        return text % (detail.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return text


def resources_label() -> str:
    return tk._("Resources, each with a name and a format")
