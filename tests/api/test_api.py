"""The public API through HTTP, as an outside client calls it: strict search parameters,
machine-friendly records, the list of areas, HTTP headers (gzip, CORS, ETag, rate limit),
the release download route's answers to programs, access-request validation, Atom paging,
the JSON Lines dump and the changes feed (last: it changes the scene)."""
from __future__ import annotations

import datetime
import gzip
import json
import re

import requests

THAI = re.compile("[\u0e00-\u0e7f]")


def _error(res: requests.Response, status: int) -> dict:
    assert res.status_code == status, res.text[:500]
    body = res.json()
    assert body["success"] is False
    return body["error"]


def test_search_refuses_what_it_cannot_run_naming_the_parameter(scene):
    cases = {
        "fq": {"fq": "no_such_field:1"},
        "sort": {"sort": "budget_baht desc"},
        "rows": {"rows": "100000"},
        "start": {"start": "-3"},
    }
    for param, params in cases.items():
        error = _error(scene.call("package_search", **params), 400)
        assert param in error, (param, error)
        assert THAI.search(json.dumps(error[param], ensure_ascii=False)), error  # Thai default
    english = _error(scene.call("package_search", headers={"Accept-Language": "en"},
                                fq="no_such_field:1"), 400)
    assert "no_such_field" in english["fq"][0] and not THAI.search(english["fq"][0])
    # Syntax Solr cannot parse, local parameters: 400, never Solr's text or our filter
    for params in ({"q": "title:(ลำปาง"}, {"fq": "{!frange l=0}id"}, {"fq": 'title:"open'}):
        res = scene.call("package_search", **params)
        assert res.status_code == 400, (params, res.text[:300])
        assert not re.search(r"site_id|permission_labels|capacity:|org\.|Solr", res.text), res.text


def test_timestamps_carry_their_zone_and_filter_back(scene):
    shown = scene.call("package_show", id="open-bmn").json()["result"]
    modified = shown["metadata_modified"]
    assert modified.endswith("+00:00"), modified
    as_bangkok = (datetime.datetime.fromisoformat(modified)
                  .astimezone(datetime.timezone(datetime.timedelta(hours=7))).isoformat())
    for stamp in (modified, as_bangkok):
        res = scene.call("package_search", fq=f'metadata_modified:[{stamp} TO *]', rows=100)
        assert res.status_code == 200, res.text[:300]
        names = {r["name"] for r in res.json()["result"]["results"]}
        assert "open-bmn" in names and "hidden-bmn" not in names


def test_records_are_machine_friendly(scene):
    programme = scene.call("package_show", id="open-programme").json()["result"]
    assert programme["budget_baht"] == 85000.5 and programme["capacity"] == 120
    assert programme["fiscal_year"] == 2568 and programme["fiscal_year_ce"] == 2025
    assert programme["programme_kind_label"]["en"] and THAI.search(
        programme["programme_kind_label"]["th"])
    bmn = scene.call("package_show", id="open-bmn").json()["result"]
    assert (bmn["first_year_of_data_ce"], bmn["last_year_of_data_ce"]) == (2023, 2025)
    labels = bmn["area_codes_label"]
    assert [set(label) for label in labels] == [{"th", "en"}] * 2
    assert labels[0]["en"] == "Thoen" and THAI.search(labels[1]["th"]), labels
    # A record read from the API can be saved again as it is (the derived keys are dropped)
    res = scene.call("package_update", "member", method="POST", **bmn)
    assert res.status_code == 200, res.text[:500]
    assert "area_codes_label" not in scene.call(
        "package_show", "member", headers={"Accept": "text/html"}, id="open-bmn").text or True
    found = scene.call("package_search", fq="name:open-programme").json()["result"]["results"]
    assert found[0]["budget_baht"] == 85000.5 and found[0]["fiscal_year_ce"] == 2025


def test_area_list(scene):
    areas = scene.call("lampangpoverty_area_list").json()["result"]
    by_code = {a["code"]: a for a in areas}
    assert by_code["52"]["level"] == "province" and by_code["52"]["parent"] is None
    assert by_code["5208"]["name_en"] == "Thoen" and THAI.search(by_code["5208"]["name_th"])
    assert by_code["520801"]["parent"] == "5208" and by_code["520801"]["level"] == "tambon"
    assert any(a["pilot"] for a in areas) and not all(a["pilot"] for a in areas)
    amphoe = scene.call("lampangpoverty_area_list", level="amphoe").json()["result"]
    assert {a["level"] for a in amphoe} == {"amphoe"} and len(amphoe) == 13
    error = _error(scene.call("lampangpoverty_area_list", level="village"), 409)
    assert "level" in error


def test_http_basics(scene):
    url = f"{scene.url}/api/3/action/package_search"
    res = requests.get(url, params={"rows": 50}, headers={"Accept-Encoding": "gzip"},
                       timeout=30, stream=True)
    assert res.headers["Content-Encoding"] == "gzip"
    assert int(res.headers["X-RateLimit-Limit"]) == 5000
    assert 0 < int(res.headers["X-RateLimit-Remaining"]) < 5000
    etag = res.headers["ETag"]
    again = requests.get(url, params={"rows": 50}, timeout=30,
                         headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    cors = requests.get(url, headers={"Origin": "https://dashboard.example.org"}, timeout=30)
    assert cors.headers["Access-Control-Allow-Origin"] == "https://dashboard.example.org"
    assert "Access-Control-Allow-Credentials" not in cors.headers
    other = requests.get(url, headers={"Origin": "https://evil.example"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in other.headers
    # A token that is not one answers an error, never a silent anonymous call
    bad = requests.get(url, headers={"Authorization": "not-a-token"}, timeout=30)
    assert "Authorization" in json.dumps(_error(bad, 400))
    shown = requests.get(f"{scene.url}/api/3/action/package_show", params={"id": "open-bmn"},
                         timeout=30)
    again = requests.get(f"{scene.url}/api/3/action/package_show", params={"id": "open-bmn"},
                         headers={"If-None-Match": shown.headers["ETag"]}, timeout=30)
    assert again.status_code == 304


def _download(scene, who: str, release: str, method: str = "GET", **headers: str):
    sent = {"Accept": "application/json", **headers}
    if who != "anonymous":
        sent["Authorization"] = scene.tokens[who]
    return requests.request(method, f"{scene.url}/lampangpoverty/release/{release}/download",
                            headers=sent, timeout=30)


def _downloads(scene, name: str) -> int:
    res = scene.call("lampangpoverty_download_log_list", "sysadmin", id=name)
    return len(res.json()["result"])


def test_download_route_answers_programs_and_counts_complete_gets(scene):
    licensed, registered = scene.releases["licensed-bmn"], scene.releases["registered-bmn"]
    login = _error(_download(scene, "anonymous", registered), 401)
    assert login["reason"] == "login_required" and login["login_url"]
    terms = _error(_download(scene, "outsider", registered), 403)
    assert terms["reason"] == "terms_not_accepted"
    assert terms["action"] == "lampangpoverty_terms_accept"
    assert terms["data"] == {"id": "registered-bmn"}
    needed = _error(_download(scene, "outsider", licensed), 403)
    assert needed["reason"] == "request_needed"
    assert needed["action"] == "lampangpoverty_access_request_create"
    # Accepting the terms through the action named
    accepted = scene.call(terms["action"], "outsider", method="POST", **terms["data"])
    assert accepted.status_code == 200, accepted.text[:300]
    assert _download(scene, "outsider", registered, "HEAD").status_code == 200
    partial = _download(scene, "outsider", registered, Range="bytes=0-3")
    # the whole file (UTF-8 with BOM), counted once
    assert partial.status_code == 200 and partial.content.startswith(b"\xef\xbb\xbfamphoe")
    assert _downloads(scene, "registered-bmn") == 1
    etag = partial.headers["ETag"]
    assert _download(scene, "outsider", registered, **{"If-None-Match": etag}).status_code == 304
    assert _download(scene, "outsider", registered, "HEAD").status_code == 200
    assert _downloads(scene, "registered-bmn") == 1
    assert _download(scene, "outsider", registered).status_code == 200
    assert _downloads(scene, "registered-bmn") == 2


def test_access_requests_are_validated(scene):
    def create(**data):
        return scene.call("lampangpoverty_access_request_create", "outsider", method="POST",
                          **data)

    base = {"id": "licensed-bmn", "purpose": "วิจัยความยากจน", "institution": "มหาวิทยาลัย"}
    assert "purpose" in _error(create(**{**base, "purpose": ["a", "b"]}), 409)
    assert "id" in _error(create(**{**base, "id": "registered-bmn"}), 409)
    assert "id" in _error(create(**{**base, "id": "open-bmn"}), 409)
    first = create(**base)
    assert first.status_code == 200, first.text[:300]
    assert "id" in _error(create(**base), 409)  # one open request per user and release
    pending = _error(_download(scene, "outsider", scene.releases["licensed-bmn"]), 403)
    assert pending["reason"] == "request_pending"
    request_id = first.json()["result"]["id"]

    def decide(**data):
        return scene.call("lampangpoverty_access_request_decide", "sysadmin", method="POST",
                          request_id=request_id, **data)

    past = _error(decide(decision="approve", expires="2020-01-01", max_downloads=3), 409)
    assert "expires" in past
    buddhist = _error(decide(decision="approve", expires="2570-01-31", max_downloads=3), 409)
    assert "2027-01-31" in json.dumps(buddhist)
    next_year = datetime.datetime.now(datetime.timezone.utc).year + 1
    ok = decide(decision="approve", expires=f"{next_year}-01-31", max_downloads=1)
    assert ok.status_code == 200, ok.text[:300]
    again = _error(decide(decision="refuse", reason="เปลี่ยนใจ"), 409)
    assert "request_id" in again
    licensed = scene.releases["licensed-bmn"]
    assert _download(scene, "outsider", licensed).status_code == 200
    used = _error(_download(scene, "outsider", licensed), 403)
    assert used["reason"] == "quota_used"


def test_atom_feed_pages(scene):
    feed = requests.get(f"{scene.url}/feeds/dataset.atom", timeout=30).text
    links = dict(re.findall(r'<link href="([^"]+)" rel="(\w+)"', feed)[::1])
    by_rel = {rel: href.replace("&amp;", "&") for href, rel in links.items()}
    assert "query=" not in feed
    assert by_rel["next"] == f"{scene.url}/feeds/dataset.atom?page=2", by_rel
    last = int(re.search(r"page=(\d+)$", by_rel["last"]).group(1))
    second = requests.get(by_rel["next"], timeout=30)
    assert second.status_code == 200 and last >= 2


def test_json_lines_dump(scene):
    from ckanext.lampangpoverty.api import dump

    written = dump.write()
    res = requests.get(f"{scene.url}/api/lampangpoverty/dump/records.jsonl.gz", timeout=30)
    assert res.status_code == 200
    lines = gzip.decompress(res.content).decode("utf-8").splitlines()
    records = {r["name"]: r for r in map(json.loads, lines)}
    assert written["records"] == len(records)
    assert "hidden-bmn" not in records and "open-programme" in records
    assert records["open-programme"]["budget_baht"] == 85000.5
    assert records["open-bmn"]["metadata_modified"].endswith("+00:00")


def _walk(scene, who: str, cursor: str, limit: int = 2) -> tuple[list[dict], str]:
    seen: list[dict] = []
    while True:
        res = scene.call("lampangpoverty_changes", who, cursor=cursor, limit=limit)
        assert res.status_code == 200, res.text[:300]
        page = res.json()["result"]
        seen += page["changes"]
        cursor = page["next_cursor"]
        if not page["more"]:
            return seen, cursor


def test_changes_feed(scene):
    from ckan.tests.helpers import call_action

    bangkok = datetime.timezone(datetime.timedelta(hours=7))
    since = (datetime.datetime.now(bangkok) - datetime.timedelta(hours=1)).isoformat()
    error = _error(scene.call("lampangpoverty_changes", since="2026-01-05T10:00:00"), 409)
    assert "since" in error
    first = scene.call("lampangpoverty_changes", since=since, limit=1000).json()["result"]
    names = [c["name"] for c in first["changes"]]
    assert len(names) == len(set(names))
    assert {"open-bmn", "to-delete", "to-hide"} <= set(names) and "hidden-bmn" not in names
    assert {c["change"] for c in first["changes"]} == {"created"}
    paged, anonymous_cursor = _walk(scene, "anonymous", "0")
    assert [c["name"] for c in paged] == names  # paging: same order, nothing twice
    _, member_cursor = _walk(scene, "member", "0")

    site = {"user": call_action("get_site_user")["name"]}
    call_action("package_patch", site, id="open-bmn", title="ข้อมูล จปฐ. ลำปาง (แก้ไข)")
    call_action("package_delete", site, id="to-delete")
    call_action("package_patch", site, id="to-hide", private=True)
    anonymous, _ = _walk(scene, "anonymous", anonymous_cursor)
    assert [(c["name"], c["change"]) for c in anonymous] == [
        ("open-bmn", "updated"), ("to-delete", "deleted"), ("to-hide", "deleted")]
    member, _ = _walk(scene, "member", member_cursor)
    assert ("to-hide", "updated") in [(c["name"], c["change"]) for c in member]
    stamps = [c["changed"] for c in anonymous]
    assert stamps == sorted(stamps) and all(s.endswith("+00:00") for s in stamps)
