"""The statuses of freshness, validation and link checks (stored, indexed and shown)."""
from __future__ import annotations


class Freshness:
    """A record's freshness (HDX's rule: due at its update frequency, overdue after a grace
    period, delinquent after a longer one)."""

    FRESH = "fresh"
    DUE = "due"
    OVERDUE = "overdue"
    DELINQUENT = "delinquent"
    NEVER = "never"            # not updated after collection: never due
    AS_NEEDED = "as_needed"    # updated when needed: never due
    UNKNOWN = "unknown"        # no frequency, or one the portal does not know

    ALL = (FRESH, DUE, OVERDUE, DELINQUENT, NEVER, AS_NEEDED, UNKNOWN)
    LATE = (DUE, OVERDUE, DELINQUENT)


class Validation:
    """The last validation of a resource's data."""

    PENDING = "pending"        # queued
    VALID = "valid"
    INVALID = "invalid"        # read, with errors (the report lists them)
    NOT_TABLE = "not_table"    # declared tabular, but the content is not a table
    TOO_LARGE = "too_large"    # larger than the validator reads
    TIMEOUT = "timeout"        # took longer than the validator may
    UNREACHABLE = "unreachable"  # the file could not be fetched (the reason is kept)
    ERROR = "error"            # the check itself broke (logged)
    NOT_TABULAR = "not_tabular"  # not a table format: nothing to validate

    ALL = (PENDING, VALID, INVALID, NOT_TABLE, TOO_LARGE, TIMEOUT, UNREACHABLE, ERROR,
           NOT_TABULAR)
    FAILING = (INVALID, NOT_TABLE, TOO_LARGE, TIMEOUT, UNREACHABLE, ERROR)


class Link:
    """The last check of a resource's link."""

    UNCHECKED = "unchecked"
    OK = "ok"
    BROKEN = "broken"          # HTTP error, or the host does not resolve / refuses
    TIMEOUT = "timeout"
    REFUSED = "refused"        # the address is internal (or not http/https): never fetched
    UPLOAD = "upload"          # a file stored here, not a link

    ALL = (UNCHECKED, OK, BROKEN, TIMEOUT, REFUSED, UPLOAD)
    FAILING = (BROKEN, TIMEOUT, REFUSED)
