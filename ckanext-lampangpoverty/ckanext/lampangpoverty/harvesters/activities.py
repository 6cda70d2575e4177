"""The activity rows of a batch import (batch.py): the same rows, with the same content, as
ckanext-activity writes one by one, built from the record the search index dictizes anyway
and added to the database together at the end of the batch.

For each record CKAN's ``package_create``/``package_update`` emit, ckanext-activity runs a
``package_show`` of its own (a Solr request, dictization, validation with the show schema,
every plugin's ``after_dataset_show``) and ``activity_create`` (validation, two look-ups,
one INSERT). The index builds the very same dict (the custom show schema, ``after_dataset_show``
applied) a moment later: here the activity takes a copy of it, and the rows of the records
that were kept go to the database in one statement. A record rolled back loses its row with
it. What the batch cannot defer (a withdrawal's "deleted package", an activity of a record
that is not indexed here) goes through ckanext-activity as before.
"""
from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model


class BatchActivities:
    """Collects the batch's package activities; see the module docstring."""

    def __init__(self) -> None:
        self.record: dict[str, tuple[str, str]] | None = None   # package id -> type, user
        self.built: list[Any] = []          # rows of the current record
        self.rows: list[Any] = []           # rows of the records kept
        self._real: Any = None

    @contextlib.contextmanager
    def collecting(self) -> Iterator[BatchActivities]:
        try:
            from ckanext.activity import subscriptions
        except ImportError:
            yield self
            return
        self._real = real = subscriptions._create_package_activity

        def deferred(activity_type: str, pkg_id_or_name: str, context: Any) -> None:
            pkg = model.Package.get(pkg_id_or_name)
            if (self.record is None or pkg is None or pkg.state != "active"
                    or activity_type not in ("new", "changed")):
                return real(activity_type, pkg_id_or_name, context)
            self.record[pkg.id] = (activity_type, context["user"])
            return None

        # ckanext-activity's receivers look this function up by name at each signal.
        subscriptions._create_package_activity = deferred
        try:
            yield self
        finally:
            subscriptions._create_package_activity = real
            self.record = None

    def begin(self) -> None:
        self.record, self.built = {}, []

    def index(self, package_id: str) -> None:
        """Index the record (without a Solr commit) and, if an activity is due for it,
        build its row from the same dict."""
        from ckan.logic import index_update_package_dicts, package_show_default_and_custom_schemas

        both = package_show_default_and_custom_schemas({"ignore_auth": True}, package_id)
        due = (self.record or {}).pop(package_id, None)
        shown = copy.deepcopy(both[1]) if due else None
        index_update_package_dicts(both, defer_commit=True)
        row = _row(package_id, due[0], due[1], shown) if due and shown is not None else None
        if row is not None:
            self.built.append(row)

    def settle(self) -> None:
        """Before the record's savepoint is released: activities not built from the index
        (none is expected) are written as ckanext-activity writes them."""
        for package_id, (activity_type, user) in (self.record or {}).items():
            self._real(activity_type, package_id, {"user": user, "session": model.Session,
                                                   "model": model})
        self.record = {}

    def keep(self) -> None:
        self.rows += self.built
        self.record, self.built = None, []

    def drop(self) -> None:
        self.record, self.built = None, []

    def save(self) -> None:
        """The kept records' rows, in one flush (one multi-row INSERT)."""
        if self.rows:
            model.Session.add_all(self.rows)
            model.Session.flush()
        self.rows = []


def _row(package_id: str, activity_type: str, user: str, shown: dict[str, Any]) -> Any:
    """ckanext-activity's row for this record, as its _create_package_activity and
    activity_create would write it."""
    from ckan.lib.plugins import get_permission_labels
    from ckanext.activity.model import Activity

    if not tk.config.get("ckan.activity_streams_enabled"):
        return None
    user_obj = model.User.get(user)
    if user_obj is None:
        raise tk.ValidationError({"user_id": ["User not found"]})
    pkg = model.Package.get(package_id)
    return Activity(user_obj.id, package_id, f"{activity_type} package",
                    {"package": shown, "actor": user_obj.name},
                    get_permission_labels().get_dataset_labels(pkg))
