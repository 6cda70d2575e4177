"""Asset URLs worked out once per process in production. Each ``{% asset %}`` of a page asks
webassets for the bundle's URLs, and webassets (auto_build) first compares the modification
times of every source file of the bundle with its built file: a dozen ``stat`` calls per
asset per page, the same answer every time, since a production process's files do not
change (a new release restarts the workers). With ``debug`` or ``ckan.webassets.debug`` on
(development), webassets keeps checking, so that an edited file shows on the next page."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk


def _once(urls: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    known: list[list[Any]] = []

    @functools.wraps(urls)
    def once(*args: Any, **kwargs: Any) -> list[Any]:
        if args or kwargs:           # sub-resource integrity etc.: not what pages ask
            return urls(*args, **kwargs)
        if not known:
            known.append(urls())     # the first call builds the bundle if needed
        return list(known[0])

    once.worked_out_once = True  # type: ignore[attr-defined]
    return once


def install() -> None:
    """Every bundle registered so far (CKAN's and every plugin's, after the environment is
    loaded) answers its URLs from the first answer on."""
    if tk.asbool(tk.config.get("debug")) or tk.config["ckan.webassets.debug"]:
        return
    from ckan.lib import webassets_tools

    for bundle in webassets_tools.env:
        if not getattr(bundle.urls, "worked_out_once", False):
            bundle.urls = _once(bundle.urls)
