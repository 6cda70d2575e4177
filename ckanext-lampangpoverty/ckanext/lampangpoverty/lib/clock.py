"""The platform's one clock. Timestamps are stored as naive UTC, as CKAN core and
ckanext-harvest store theirs, so that ours compare with theirs; pages show them in
``ckan.display_timezone`` (Bangkok)."""
from __future__ import annotations

import datetime


def utcnow() -> datetime.datetime:
    """Now, in UTC, without a time zone (the form every timestamp column holds)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
