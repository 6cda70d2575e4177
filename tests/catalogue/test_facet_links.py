"""The facet sidebar (built in one pass, catalogue/labels_facets.py) links as CKAN's did: a
link adds its filter to the current search (without the page number), an active one removes
it, "show more"/"show only popular" change that facet's limit only, whatever the values hold
(Thai, &, +, /), on every page with a sidebar (/en/, an organisation's page)."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup

ODD = "CSV & ZIP/ไทย+1"  # a free-text format: every character a query string must escape


def _split(href: str) -> dict:
    parts = urlsplit(href)
    return {"path": parts.path, "params": parse_qsl(parts.query, keep_blank_values=True)}


def _formats(app, url: str) -> tuple[dict[str, dict], dict | None]:
    """The format facet as shown: label -> {path, params, active} of its items, and its
    read-more link (path, params) or None."""
    page = BeautifulSoup(app.get(url).body, "html.parser")
    for section in page.select("#search-facets section"):
        items = {link.select_one(".item-label").get_text(strip=True): {
                     **_split(link["href"]), "active": "active" in link.parent["class"]}
                 for link in section.select(".nav-facet a")}
        if items and set(items) <= {ODD, "ODS"}:
            more = section.select_one("a.read-more")
            return items, _split(more["href"]) if more else None
    raise AssertionError(f"no format facet on {url}")


@pytest.fixture
def formats(make_record, organization):
    make_record(name="odd-format", resources=[{"url": "http://example.com/a", "format": ODD}])
    make_record(name="two-formats", resources=[{"url": "http://example.com/b", "format": "ODS"},
                                               {"url": "http://example.com/c", "format": ODD}])
    return organization


@pytest.mark.usefixtures("clean_index", "formats")
def test_a_facet_link_adds_its_filter_and_an_active_one_removes_it(app):
    shown, _more = _formats(app, "/dataset/?" + urlencode({"q": "", "page": "2"}))
    odd = shown[ODD]
    assert not odd["active"]
    assert odd["path"] == "/dataset/"
    assert odd["params"] == [("q", ""), ("res_format", ODD)]       # the page number dropped

    filtered, _more = _formats(app, odd["path"] + "?" + urlencode(odd["params"]))
    assert filtered[ODD]["active"]
    assert filtered[ODD]["params"] == [("q", "")]
    assert not filtered["ODS"]["active"]
    assert filtered["ODS"]["params"] == [("q", ""), ("res_format", ODD), ("res_format", "ODS")]


@pytest.mark.usefixtures("clean_index", "formats")
def test_more_and_fewer_change_only_that_facets_limit(app):
    shown, more = _formats(app, "/en/dataset/?" + urlencode({"res_format": ODD,
                                                             "_res_format_limit": "1"}))
    assert list(shown) == [ODD]                                     # the most used one only
    assert more == {"path": "/en/dataset/",
                    "params": [("res_format", ODD), ("_res_format_limit", "0")]}

    everything, fewer = _formats(app, more["path"] + "?" + urlencode(more["params"]))
    assert set(everything) == {ODD, "ODS"}
    assert fewer == {"path": "/en/dataset/", "params": [("res_format", ODD)]}


@pytest.mark.usefixtures("clean_index")
def test_an_organisations_page_links_stay_on_that_page(app, formats):
    shown, _more = _formats(app, f"/organization/{formats['name']}")
    assert shown[ODD]["path"] == f"/organization/{formats['name']}"
    assert shown[ODD]["params"] == [("res_format", ODD)]
