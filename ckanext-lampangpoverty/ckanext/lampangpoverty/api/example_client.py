"""A small client of the Lampang Poverty Open Data Platform API (the guide's example; the
tests run it against a real portal). Needs only ``requests``.

    portal = Portal("https://data.lampang.example", token=None)
    for record in portal.search(fq="vocab_district:5208"):
        print(record["name"], record["area_codes_label"])
    cursor = portal.sync(since="2026-11-01T00:00:00+07:00", on_change=print)
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import requests


class ApiError(Exception):
    """A refused call: the HTTP status and the API's error object (parameter -> messages)."""

    def __init__(self, status: int, error: dict[str, Any]):
        super().__init__(f"{status}: {error}")
        self.status, self.error = status, error


class Portal:
    def __init__(self, url: str, token: str | None = None, language: str = "en"):
        self.url = url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = language  # error messages; Thai by default
        self.http.headers["Accept"] = "application/json"
        if token:
            self.http.headers["Authorization"] = token

    def call(self, action: str, **params: Any) -> Any:
        """GET for reading actions; ``post=True`` among the parameters sends a POST."""
        url = f"{self.url}/api/3/action/{action}"
        if params.pop("post", False):
            res = self.http.post(url, json=params, timeout=60)
        else:
            res = self.http.get(url, params=params, timeout=60)
        body = res.json()
        if not body.get("success"):
            raise ApiError(res.status_code, body["error"])
        return body["result"]

    def search(self, rows: int = 100, **params: Any) -> Iterator[dict[str, Any]]:
        """Every record matching ``params`` (package_search), page by page, in a stable
        order."""
        start = 0
        while True:
            page = self.call("package_search", rows=rows, start=start,
                             sort="metadata_created asc", **params)
            yield from page["results"]
            start += rows
            if start >= page["count"]:
                return

    def sync(self, on_change: Callable[[dict[str, Any]], None], since: str | None = None,
             cursor: str | None = None) -> str:
        """Pass every change after ``since`` (first sync) or ``cursor`` (the next ones) to
        ``on_change``, oldest first; returns the cursor to keep for the next sync."""
        start = {"cursor": cursor} if cursor is not None else {"since": since}
        while True:
            page = self.call("lampangpoverty_changes", limit=500, **start)
            for change in page["changes"]:
                on_change(change)
            start = {"cursor": page["next_cursor"]}
            if not page["more"]:
                return page["next_cursor"]

    def download_release(self, release_url: str) -> bytes:
        """A release file; a refusal says why (``reason``) and what to call next
        (``action`` with ``data``)."""
        res = self.http.get(release_url, timeout=300)
        if res.status_code != 200:
            raise ApiError(res.status_code, res.json()["error"])
        return res.content
