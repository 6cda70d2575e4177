"""CKAN's Atom feeds page wrongly (``ckan/views/feed.py`` in 2.12.0): ``_feed_url`` keeps only
the last query parameter, written as ``?query=<name>&query=<value>``, and the last page is
computed with true division (``83.65``). The two functions are replaced, at start-up, by
ones that keep every parameter and count pages in whole numbers; the feed views are CKAN's."""
from __future__ import annotations

import math
from typing import Any

from flask import Flask, request

import ckan.plugins.toolkit as tk


def feed_url(query: dict[str, Any], controller: str, action: str, **kwargs: Any) -> str:
    """The full URL of ``controller.action`` with every parameter of ``query``."""
    params = {k: v for k, v in dict(query).items() if v not in (None, "")}
    return tk.h.url_for(f"{controller}.{action}", **kwargs, **params, qualified=True)


def navigation_urls(query: dict[str, Any], controller: str, action: str, item_count: int,
                    limit: int, **kwargs: Any) -> dict[str, str | None]:
    """first, last, previous and next pages (``page`` 1..last)."""
    base = dict(query)
    try:
        page = max(1, int(base.pop("page", 1) or 1))
    except (TypeError, ValueError):
        page = 1
    last = max(1, math.ceil(item_count / limit)) if limit else 1

    def at(number: int) -> str:
        return feed_url({**base, **({"page": number} if number > 1 else {})}, controller,
                        action, **kwargs)

    return {"first": at(1), "last": at(last),
            "previous": at(page - 1) if page > 1 else None,
            "next": at(page + 1) if page < last else None}


def _patch(namespace: dict[str, Any]) -> None:
    namespace["_feed_url"] = feed_url
    namespace["_navigation_urls"] = navigation_urls


def install() -> None:
    from ckan.views import feed

    _patch(vars(feed))


def install_app(app: Flask) -> None:
    """CKAN loads its view modules a second time by file path (``ckan/config/middleware/
    ../../views/feed.py``): patch the module the feed views really run in, on their first
    request."""

    def patch_feed_view() -> None:
        endpoint = request.endpoint or ""
        if endpoint.startswith("feeds."):
            view = app.view_functions.get(endpoint)
            if view is not None and view.__globals__.get("_feed_url") is not feed_url:
                _patch(view.__globals__)

    app.before_request(patch_feed_view)
