"""The facet sidebar of a search page in one pass: each facet's items in CKAN's order with
their label, count and link (adding or removing that filter). CKAN renders a snippet per facet
and builds every link with its own ``url_for``; with our 13 facets that was most of what a
search page cost beyond a vanilla CKAN's. Here the page's base URL is built once and each link
is that URL with the query string CKAN's ``add_url_param``/``remove_url_param`` would give."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import g, request

import ckan.plugins.toolkit as tk


def _query(params: list[tuple[str, str]]) -> str:
    # As ckan.lib.helpers._url_with_params encodes them.
    return "?" + urlencode([(k, v.encode("utf-8")) for k, v in params]) if params else ""


def _base_url() -> str:
    """The current page's URL without its query string, as CKAN's facet links start (built
    once per request: the sidebar and the map's "Clear" link both start with it)."""
    known = getattr(g, "lampangpoverty_base_url", None)
    if known is None:
        blueprint, view = tk.get_endpoint()
        endpoint = f"{getattr(g, 'controller', blueprint)}.{getattr(g, 'action', view)}"
        known = g.lampangpoverty_base_url = tk.h.url_for(endpoint,
                                                         **dict(request.view_args or {}))
    return known


def url_without(keys: list[str]) -> str:
    """The current page's URL without the parameters ``keys`` (and ``page``): what CKAN's
    ``remove_url_param(keys)`` gives."""
    return _base_url() + _query([(k, v) for k, v in request.args.items(multi=True)
                                 if k != "page" and k not in keys])


def _limit(name: str) -> int:
    default = tk.config["search.facets.default"]
    try:
        return int(request.args.get(f"_{name}_limit", default))
    except ValueError:
        return default


def sidebar(titles: dict[str, str], search_facets: dict[str, Any]) -> list[dict[str, Any]]:
    """[{name, title, items: [{name, label, count, active, href}], more, fewer}] for each facet
    of ``titles`` in order; ``more``/``fewer`` are the links to show all items or only the
    first ones (or empty)."""
    base = _base_url()
    params = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    chosen = set(params)
    out = []
    for name, title in titles.items():
        found = (search_facets.get(name) or {}).get("items") or []
        # As get_facet_items_dict orders them: most results first, then by label.
        ordered = sorted(found, key=lambda i: (-i["count"], i["display_name"].lower()))
        limit = _limit(name)
        items = []
        for item in ordered[:limit] if limit else ordered:
            value = item["name"]
            active = (name, value) in chosen
            if active:
                rest = list(params)
                rest.remove((name, value))
            else:
                rest = [*params, (name, value)]
            items.append({"name": value, "label": item["display_name"],
                          "count": item["count"], "active": active,
                          "href": base + _query(rest)})
        without_limit = [(k, v) for k, v in params if k != f"_{name}_limit"]
        more = fewer = ""
        if limit and len(found) > limit:
            more = base + _query([*without_limit, (f"_{name}_limit", "0")])
        elif f"_{name}_limit" in request.args:
            fewer = base + _query(without_limit)
        out.append({"name": name, "title": title, "items": items, "more": more,
                    "fewer": fewer})
    return out
