"""What our pages share."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ..api import http

# What a program does about a refused download: the action to call, and with what.
NEXT_ACTION = {
    "terms_not_accepted": "lampangpoverty_terms_accept",
    "request_needed": "lampangpoverty_access_request_create",
    "request_refused": "lampangpoverty_access_request_create",
    "expired": "lampangpoverty_access_request_create",
    "quota_used": "lampangpoverty_access_request_create",
    "request_pending": "lampangpoverty_access_request_list",
}


def context() -> Context:
    return {"user": tk.current_user.name}


def current_user() -> model.User | None:
    user = tk.current_user
    return model.User.get(user.name) if user and user.is_authenticated else None


def flash_errors(error: tk.ValidationError) -> None:
    for field, messages in (error.error_dict or {}).items():
        shown = messages if isinstance(messages, list) else [messages]
        tk.h.flash_error(f"{field}: {'; '.join(map(str, shown))}")


def refusal(status: int, reason: str, message: str, pkg: model.Package | None = None) -> Any:
    """A refused download: JSON with the reason and the action to call for a program, the
    error page for a person."""
    if not http.wants_json():
        return tk.abort(403 if status == 401 else status, message)  # the page says: log in
    extra: dict[str, Any] = {"reason": reason}
    action = NEXT_ACTION.get(reason)
    if action and pkg is not None:
        extra["action"] = action
        extra["action_url"] = tk.url_for("api.action", logic_function=action, ver=3,
                                         _external=True)
        extra["data"] = {"id": pkg.name}
    if reason == "login_required":
        extra["login_url"] = tk.url_for("user.login", _external=True)
    response = http.error(status, "Authorization Error" if status in (401, 403)
                          else "Not Found Error", message, **extra)
    if status == 401:
        response.headers["WWW-Authenticate"] = (
            f'Token realm="api", header="{tk.config["apitoken_header_name"]}"')
    return response
