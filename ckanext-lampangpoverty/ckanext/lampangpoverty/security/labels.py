"""Permission labels (CKAN's IPermissionLabels): who finds and reads a dataset in search and
``package_show``. Harvest sources (a partner's URL and configuration) carry only the label of
their organisation's admins, so nobody else finds, lists or opens them; every other dataset
keeps CKAN's default labels."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels

from ..catalogue.types import HARVEST_SOURCE

_default = DefaultPermissionLabels()


def _harvest_admin(org_id: str | None) -> str:
    # A source without an organisation gets a label no user carries (sysadmins see all).
    return f"harvest-admin-{org_id or 'none'}"


def dataset_labels(dataset: model.Package) -> list[str]:
    if dataset.type == HARVEST_SOURCE:
        return [_harvest_admin(dataset.owner_org)]
    return _default.get_dataset_labels(dataset)


def user_labels(user: model.User | None) -> list[str]:
    labels = _default.get_user_dataset_labels(user)  # type: ignore[arg-type]
    if user is None or user.is_anonymous:
        return labels
    admin_of = tk.get_action("organization_list_for_user")(
        {"user": user.id, "ignore_auth": True}, {"id": user.id, "permission": "admin"})
    return [*labels, *(_harvest_admin(org["id"]) for org in admin_of)]
