"""CSRF exemptions that last one request. CKAN 2.12 exempts a view from CSRF checks, for the
rest of the process, as soon as one request identified by an ``Authorization`` header (or an
anonymous one) reaches it (``ckan_before_request`` calls ``csrf.exempt``); after that a
cookie-authenticated form POST without a token went through. Here CKAN's call exempts only
the request that made it, and only when that request is not one a browser could have been
tricked into sending: a user identified by a valid API token, or an anonymous call to the
action API."""
from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context, request

from ckan.common import current_user

_KEY = "lampangpoverty_csrf_exempt"


def _safe_to_exempt() -> bool:
    """Cross-site pages can send cookies, never an Authorization header."""
    if not g.get("login_via_auth_header"):
        return False
    if current_user.is_authenticated:
        return True
    return (request.blueprint or "") == "api"


class RequestScopedExemptions(set):
    """flask-wtf's set of exempt views: what is added during a request holds for that
    request only; what is added outside one (``@csrf.exempt`` at import) stays."""

    def add(self, view: Any) -> None:
        if has_request_context():
            setattr(g, _KEY, view if _safe_to_exempt() else None)
        else:
            super().add(view)

    def __contains__(self, view: object) -> bool:
        if super().__contains__(view):
            return True
        return has_request_context() and g.get(_KEY) == view


def install(app: Flask) -> None:
    """Replace CKAN's process-wide exemptions; refuse to start if flask-wtf changed shape,
    rather than run without the protection."""
    protect = app.extensions.get("csrf")
    views = getattr(protect, "_exempt_views", None)
    if not isinstance(views, set):
        raise RuntimeError("flask-wtf's CSRFProtect has no _exempt_views set: the CSRF "
                           "exemption fix of ckanext-lampangpoverty cannot be installed")
    protect._exempt_views = RequestScopedExemptions(views)  # type: ignore[union-attr]
