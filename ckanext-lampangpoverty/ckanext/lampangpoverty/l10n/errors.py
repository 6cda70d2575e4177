"""Error pages in the reader's language: werkzeug names HTTP errors and describes them in
English; CKAN shows those texts as they are."""
from __future__ import annotations

from typing import Any

from werkzeug.exceptions import default_exceptions

import ckan.plugins.toolkit as tk


def names() -> dict[int, str]:
    return {400: tk._("Bad request"), 401: tk._("Not logged in"), 403: tk._("Forbidden"),
            404: tk._("Not Found"), 405: tk._("Method not allowed"), 409: tk._("Conflict"),
            413: tk._("Request too large"), 429: tk._("Too many requests"),
            500: tk._("Internal server error"), 503: tk._("Service unavailable")}


def descriptions() -> dict[int, str]:
    return {
        400: tk._("The request could not be understood. Check the address or the form."),
        403: tk._("You are not allowed to see this page."),
        404: tk._("There is no page at this address. Check the address, or search the "
                  "catalogue."),
        405: tk._("This page cannot be used this way."),
        429: tk._("Too many requests in a short time. Wait a moment and try again."),
        500: tk._("Something went wrong on the server. Please try again later."),
    }


def error_text(code: Any, name: str | None, content: Any) -> dict[str, Any]:
    """The name and description of an error page; CKAN's own (translated) descriptions are
    kept, werkzeug's generic English ones replaced."""
    number = code[0] if isinstance(code, list) else code
    generic = default_exceptions.get(number)
    text = str(content or "")
    if not text or (generic and text == generic.description) or text == "Internal server error":
        text = descriptions().get(number, text)
    return {"name": names().get(number, name) if name or number == 500 else None,
            "content": text}
