"""CKAN's activity pages that answered 500 to a request naming no or a wrong version: the
versions are checked first and a bad one is a 404, then CKAN's own page is shown."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from .common import context

blueprint = Blueprint("lampangpoverty_activity", __name__)


@blueprint.route("/dataset/changes_multiple")
def package_changes_multiple() -> Any:
    from ckanext.activity import views

    for param in ("new_id", "old_id"):
        value = tk.h.get_request_param(param)
        try:
            if not value:
                raise tk.ObjectNotFound
            tk.get_action("activity_show")(context(), {"id": value, "include_data": False})
        except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
            return tk.abort(404, tk._("Activity not found"))
    return views.package_changes_multiple()
