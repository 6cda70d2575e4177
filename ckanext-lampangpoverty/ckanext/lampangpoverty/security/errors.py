"""A page whose view lets a refused permission check escape (ckanext-datastore's api_info
calls datastore_search and catches only "not found") answers 403 or 404 with CKAN's error
page instead of a 500 and a stack trace in the log."""
from __future__ import annotations

from flask import Flask

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from ckan.lib import base


def _page(code: int, name: str, content: str) -> tuple[str, int]:
    extra = {"code": code, "content": content, "name": name,
             "show_login_redirect_link": code == 403 and current_user.is_anonymous}
    return base.render("error_document_template.html", extra), code


def _refused(e: tk.NotAuthorized) -> tuple[str, int]:
    return _page(403, "Forbidden", tk._("Not authorized to see this page"))


def _missing(e: tk.ObjectNotFound) -> tuple[str, int]:
    return _page(404, "Not Found", tk._("Not found"))


def install(app: Flask) -> None:
    app.register_error_handler(tk.NotAuthorized, _refused)
    app.register_error_handler(tk.ObjectNotFound, _missing)
