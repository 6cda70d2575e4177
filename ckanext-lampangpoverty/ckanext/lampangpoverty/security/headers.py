"""Security headers on every response: a Content-Security-Policy that allows only the site's
own scripts, styles, fonts and connections (images may come from any https address: the
map's tiles, organisation logos and avatars given as URLs), no framing by other sites, no
MIME sniffing, and no full URLs in the Referer sent elsewhere."""
from __future__ import annotations

from flask import Flask, Response, request

BASE = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",   # CKAN's templates use style attributes
    "img-src": "'self' data: https:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# CKAN's own pages that need more, by endpoint (suffix): a resource view is shown in a frame
# of the resource page and carries the resource as an inline script (text_view, the data
# viewer); the resource form and the API token list use inline event handlers.
RELAXED = {
    "resource.view": {"script-src": "'self' 'unsafe-inline'", "frame-ancestors": "'self'"},
    "resource.new": {"script-src-attr": "'unsafe-inline'"},
    "resource.edit": {"script-src-attr": "'unsafe-inline'"},
    "user.api_tokens": {"script-src-attr": "'unsafe-inline'"},
}


def policy(endpoint: str) -> dict[str, str]:
    directives = dict(BASE)
    for suffix, extra in RELAXED.items():
        if endpoint.endswith(suffix):
            directives.update(extra)
    return directives


def install(app: Flask) -> None:
    def add_headers(response: Response) -> Response:
        directives = policy(request.endpoint or "")
        response.headers["Content-Security-Policy"] = "; ".join(
            f"{name} {value}" for name, value in directives.items())
        response.headers["X-Frame-Options"] = (
            "SAMEORIGIN" if directives["frame-ancestors"] == "'self'" else "DENY")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response

    app.after_request(add_headers)
