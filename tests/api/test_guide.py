"""The guide and the OpenAPI document as a newcomer finds them (the footer's API link, Thai
and English), and a client written from the guide alone (its Python example, run as it is)
against the served portal."""
from __future__ import annotations

import json
import re

import requests

from ckanext.lampangpoverty.api import example_client, openapi

THAI = re.compile("[\u0e00-\u0e7f]")


def test_openapi_document_describes_every_action_and_is_current(scene):
    import ckan.logic

    served = requests.get(f"{scene.url}/api/lampangpoverty/openapi.json", timeout=30)
    assert served.status_code == 200
    assert served.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = served.json()
    assert served.text == openapi.DOCUMENT.read_text(encoding="utf-8") == openapi.text(), (
        "api/openapi.json is out of date: run `ckan lampangpoverty openapi`")
    ckan.logic.get_action("package_show")  # fills the registry
    registered = {n for n in ckan.logic._actions if n.startswith(openapi.PREFIX)}
    described = {path.lstrip("/") for path in document["paths"]}
    assert registered == described
    for path, item in document["paths"].items():
        ((method, operation),) = item.items()
        assert operation["summary"], path
        assert {"400", "403", "409"} <= set(operation["responses"]), path
        if method == "get":
            params = operation["parameters"]
            examples = {p["name"]: p["example"] for p in params if "example" in p}
        else:
            params = operation["requestBody"]["content"]["application/json"]["schema"][
                "properties"]
            examples = operation["requestBody"]["content"]["application/json"]["example"]
        assert path.lstrip("/") in openapi.EXAMPLES, path
        assert set(examples) <= ({p["name"] for p in params} if method == "get"
                                 else set(params)), (path, examples)
    changes = document["paths"]["/lampangpoverty_changes"]["get"]["parameters"]
    assert {p["name"]: p["schema"]["type"] for p in changes}["limit"] == "integer"
    assert {f["facet"] for f in document["x-facets"]} >= {"vocab_district", "vocab_year",
                                                         "vocab_sector", "vocab_access_level"}


def test_guide_in_thai_and_english_from_the_footer(scene):
    home = requests.get(scene.url + "/", timeout=30).text
    link = re.search(r'<a href="([^"]+)">คู่มือ API</a>', home)
    assert link and link.group(1).endswith("/api-guide"), "no API guide link in the footer"
    assert "docs.ckan.org" not in home.split("<footer")[-1]  # not CKAN's generic API docs
    thai = requests.get(scene.url + link.group(1), timeout=30)
    english = requests.get(scene.url + "/en/api-guide", timeout=30)
    for page in (thai, english):
        assert page.status_code == 200
        for needed in ("lampangpoverty_changes", "vocab_district", "next_cursor",
                       "terms_not_accepted", "class Portal", "openapi.json"):
            assert needed in page.text, needed
    assert f"{scene.url}/api/3/action/package_search?" in english.text  # no /en/ in API URLs
    assert "/api/3/action/{name}" in english.text and "{field}_label" in thai.text
    assert "การปรับสำเนาให้ตรงกันอยู่เสมอ" in thai.text
    assert "Keeping a copy in sync" in english.text


def test_a_client_written_from_the_guide(scene):
    """The guide's example, unchanged: search, sync with the changes feed, refusals."""
    portal = example_client.Portal(scene.url)
    names = [r["name"] for r in portal.search(rows=2, fq="dataset_type:poverty-dataset")]
    assert len(names) == len(set(names)) and "open-bmn" in names
    assert "hidden-bmn" not in names
    try:
        list(portal.search(fq="district:5208"))
    except example_client.ApiError as e:
        assert e.status == 400 and "district" in json.dumps(e.error)
    else:
        raise AssertionError("an unknown field was answered")
    seen: list[dict] = []
    cursor = portal.sync(seen.append, since="2020-01-01T00:00:00+07:00")
    assert "open-bmn" in {c["name"] for c in seen} and int(cursor) > 0
    again: list[dict] = []
    assert portal.sync(again.append, cursor=cursor) == cursor and again == []
    member = example_client.Portal(scene.url, token=scene.tokens["member"])
    assert "hidden-bmn" in {r["name"] for r in member.search(fq="name:hidden-bmn",
                                                            include_private=True)}
    try:
        portal.download_release(
            f"{scene.url}/lampangpoverty/release/{scene.releases['licensed-bmn']}/download")
    except example_client.ApiError as e:
        assert e.status == 401 and e.error["reason"] == "login_required"
    else:
        raise AssertionError("an anonymous caller downloaded a licensed release")
