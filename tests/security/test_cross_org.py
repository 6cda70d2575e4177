"""Finding 1: attackers against another organisation's private dataset and release. An admin
of organisation B, a registered user and an anonymous visitor try every action of ours and
every form, by the API and the web, with identifiers that point at A's objects or disagree
with each other; each is refused, answers as for a missing object, and changes nothing."""
from __future__ import annotations

import datetime
import io
import json

import pytest

from ckan import model
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.gate import submission as gate
from ckanext.lampangpoverty.lib.clock import utcnow
from ckanext.lampangpoverty.model import AccessRequest, Download, Microdata, TermsAcceptance

from .conftest import add_release, make_dataset

ATTACKERS = ("anonymous", "registered", "other_admin")
CSV = b"amphoe,age\n5201,20-29\n"


def api(app, people, who: str, action: str, data: dict, files: bool = False):
    """POST to the action API as ``who``; (HTTP status, error or result)."""
    headers = people.headers(who)
    if files:
        res = app.post(f"/api/3/action/{action}", headers=headers,
                       data={**data, "upload": (io.BytesIO(CSV), "bmn.csv")})
    else:
        res = app.post(f"/api/3/action/{action}", headers=headers, json=data)
    body = json.loads(res.body)
    return res.status_code, body.get("error") or body.get("result")


@pytest.fixture
def victim(people):
    """A's private, licensed poverty dataset with a published release and a pending request
    by A's own member; B's public dataset, the attacker's own."""
    pkg = make_dataset(people, "a-private", private=True, access_level="licensed")
    release = add_release(pkg)
    own = make_dataset(people, "b-own", private=False, org=people.other_org)
    request = call_action("lampangpoverty_access_request_create", people.context("member"),
                          id=pkg["id"], purpose="วิจัย", institution="มช.")
    before = gate.release_path(release).read_bytes()
    return {"pkg": pkg, "release": release, "own": own, "request": request, "before": before}


def unchanged(victim) -> None:
    model.Session.expire_all()
    release = Microdata.get(victim["release"].id)
    assert release is not None and release.status == "passed"
    assert release.roles == {"age": "quasi_identifier"}
    assert gate.release_path(release).read_bytes() == victim["before"]
    assert model.Session.query(Microdata).count() == 1
    request = AccessRequest.get(victim["request"]["id"])
    assert request is not None and request.status == "pending"
    assert model.Session.query(AccessRequest).count() == 1
    assert model.Session.query(TermsAcceptance).count() == 0
    assert model.Session.query(Download).count() == 0


def attempts(victim) -> dict[str, tuple[dict, bool]]:
    """Each action with the identifiers an attacker would try (what, files?)."""
    pkg, release, own = victim["pkg"], victim["release"], victim["own"]
    tomorrow = (utcnow().date() + datetime.timedelta(days=1)).isoformat()
    return {
        "upload to A": ("lampangpoverty_microdata_upload", {"id": pkg["id"]}, True),
        "upload, own id, A's release": ("lampangpoverty_microdata_upload",
                                        {"id": own["id"], "microdata_id": release.id}, True),
        "roles of A's release": ("lampangpoverty_microdata_roles_update",
                                 {"microdata_id": release.id,
                                  "roles": json.dumps({"age": "other"})}, False),
        "roles, own id beside A's release": ("lampangpoverty_microdata_roles_update",
                                             {"microdata_id": release.id, "id": own["id"],
                                              "roles": json.dumps({"age": "other"})}, False),
        "show A's release": ("lampangpoverty_microdata_show",
                             {"microdata_id": release.id}, False),
        "summary of A": ("lampangpoverty_disclosure_summary", {"id": pkg["id"]}, False),
        "summary by name": ("lampangpoverty_disclosure_summary", {"id": pkg["name"]}, False),
        "terms of A": ("lampangpoverty_terms_accept", {"id": pkg["id"]}, False),
        "request on A": ("lampangpoverty_access_request_create",
                         {"id": pkg["id"], "purpose": "p", "institution": "i"}, False),
        "requests of A": ("lampangpoverty_access_request_list", {"id": pkg["id"]}, False),
        "decide A's request": ("lampangpoverty_access_request_decide",
                               {"request_id": victim["request"]["id"], "decision": "approve",
                                "expires": tomorrow, "max_downloads": 9}, False),
        "download log of A": ("lampangpoverty_download_log_list", {"id": pkg["id"]}, False),
    }


def missing(data: dict) -> dict:
    """The same call about objects that do not exist."""
    swap = {"id": "no-such-dataset", "microdata_id": "no-such-release",
            "request_id": "no-such-request"}
    return {k: swap.get(k, v) for k, v in data.items()}


@pytest.mark.usefixtures("clean_index")
class TestAttackersThroughTheAPI:
    @pytest.mark.parametrize("who", ATTACKERS)
    def test_every_action_refuses_and_changes_nothing(self, app, people, victim, who):
        for what, (action, data, files) in attempts(victim).items():
            status, error = api(app, people, who, action, data, files)
            assert status in (403, 404, 409), (what, status, error)
            # A private dataset answers exactly as a missing one: no existence oracle.
            status_missing, error_missing = api(app, people, who, action, missing(data), files)
            assert (status, error) == (status_missing, error_missing), what
        unchanged(victim)

    def test_the_owners_still_can(self, app, people, victim):
        status, result = api(app, people, "admin", "lampangpoverty_microdata_show",
                             {"microdata_id": victim["release"].id})
        assert status == 200 and result["roles"] == {"age": "quasi_identifier"}
        status, result = api(app, people, "admin", "lampangpoverty_access_request_list",
                             {"id": victim["pkg"]["id"]})
        assert status == 200 and [r["user"] for r in result] == ["the-member"]
        status, _ = api(app, people, "editor", "lampangpoverty_disclosure_summary",
                        {"id": victim["pkg"]["name"]})
        assert status == 200

    def test_disagreeing_identifiers_are_refused_even_for_the_owner(self, app, people, victim):
        """A's admin names B's public dataset beside A's release: which one is written is
        ambiguous, so nothing is."""
        status, _ = api(app, people, "admin", "lampangpoverty_microdata_upload",
                        {"id": victim["own"]["id"], "microdata_id": victim["release"].id},
                        files=True)
        assert status in (403, 409)
        unchanged(victim)


@pytest.mark.usefixtures("clean_index")
class TestAttackersThroughTheWeb:
    @pytest.mark.parametrize("who", ATTACKERS)
    def test_every_form_and_page_refuses(self, app, people, victim, who):
        pkg, release = victim["pkg"], victim["release"]
        headers = people.headers(who)
        pages = {
            f"/lampangpoverty/dataset/{pkg['id']}/microdata/new": {
                "upload": (io.BytesIO(CSV), "bmn.csv")},
            f"/lampangpoverty/microdata/{release.id}": {"role:age": "other"},
            f"/lampangpoverty/dataset/{pkg['id']}/terms": {},
            f"/lampangpoverty/dataset/{pkg['id']}/access-request": {
                "purpose": "p", "institution": "i"},
            f"/lampangpoverty/access-request/{victim['request']['id']}/decide": {
                "decision": "approve", "expires": "2999-01-01", "max_downloads": "9"},
        }
        for url, form in pages.items():
            res = app.post(url, headers=headers, data=form)
            assert res.status_code in (403, 404), (url, res.status_code)
        for url in (f"/lampangpoverty/dataset/{pkg['id']}/microdata/new",
                    f"/lampangpoverty/microdata/{release.id}",
                    f"/lampangpoverty/dataset/{pkg['id']}/downloads.csv",
                    f"/lampangpoverty/release/{release.id}/download"):
            res = app.get(url, headers=headers)
            assert res.status_code in (403, 404), (url, res.status_code)
            assert "5208" not in res.body
        unchanged(victim)

    def test_the_release_downloads_for_a_member_only(self, app, people, victim):
        url = f"/lampangpoverty/release/{victim['release'].id}/download"
        assert app.get(url, headers=people.headers("member")).status_code == 200
        assert app.get(url, headers=people.headers("other_admin")).status_code == 404
