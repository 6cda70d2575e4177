"""Finding 3, through real HTTP against a running CKAN: CKAN 2.12 exempts a view from CSRF
checks for the rest of the process once a request identified by an Authorization header (or
an anonymous one) reaches it. After such requests, refused ones included, a browser session
(cookie) POST without a token must still be refused, on every form of ours and on CKAN's
login and user forms, and change nothing."""
from __future__ import annotations

import datetime

import pytest
import requests

from ckan import model
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.lib.clock import utcnow
from ckanext.lampangpoverty.model import AccessRequest, TermsAcceptance

from .conftest import add_release, browser_login, csrf_token, make_dataset, with_password


@pytest.fixture
def scene(people):
    pkg = make_dataset(people, "licensed-a", private=False, access_level="licensed")
    registered = make_dataset(people, "registered-a", private=False,
                              access_level="registered")
    release = add_release(pkg)
    request = call_action("lampangpoverty_access_request_create", people.context("registered"),
                          id=pkg["id"], purpose="วิจัย", institution="มช.")
    with_password(people, "admin", "registered")
    return {"pkg": pkg, "registered": registered, "release": release, "request": request}


def forms(scene, people) -> dict[str, dict]:
    """Every POST form of ours and CKAN's login and user forms, with what they would do."""
    tomorrow = (utcnow().date() + datetime.timedelta(days=1)).isoformat()
    return {
        f"/lampangpoverty/access-request/{scene['request']['id']}/decide": {
            "decision": "approve", "expires": tomorrow, "max_downloads": "5"},
        f"/lampangpoverty/dataset/{scene['registered']['id']}/terms": {},
        f"/lampangpoverty/dataset/{scene['pkg']['id']}/access-request": {
            "purpose": "forged", "institution": "forged"},
        f"/lampangpoverty/dataset/{scene['pkg']['id']}/microdata/new": {},
        f"/lampangpoverty/microdata/{scene['release'].id}": {"role:age": "other"},
        "/user/edit/the-admin": {"fullname": "forged", "email": "forged@example.org",
                                 "name": "the-admin", "old_password": "x"},
        "/user/login": {"login": "the-admin", "password": "wrong"},
        "/user/register": {"name": "forged-user", "email": "forged@example.org",
                           "password1": "Forged-Pass-1234", "password2": "Forged-Pass-1234"},
    }


def untouched(scene) -> None:
    model.Session.expire_all()
    request = AccessRequest.get(scene["request"]["id"])
    assert request is not None and request.status == "pending"
    admin = model.User.get("the-admin")
    assert model.Session.query(AccessRequest).filter_by(user_id=admin.id).count() == 0
    assert model.Session.query(TermsAcceptance).filter_by(user_id=admin.id).count() == 0
    assert model.User.get("forged-user") is None
    user = model.User.get("the-admin")
    assert user is not None and user.fullname != "forged"


@pytest.mark.usefixtures("clean_index")
class TestCsrfAfterHeaderRequests:
    def test_a_cookie_post_without_token_is_refused_whatever_came_before(self, live, people,
                                                                         scene):
        admin, _ = browser_login(live, "the-admin")
        for url, data in forms(scene, people).items():
            # What exempted the view for the whole process in CKAN 2.12: a request with an
            # Authorization header (a valid token, and an invalid one), an anonymous one.
            requests.get(f"{live.url}{url}", allow_redirects=False,
                         headers={"Authorization": people.tokens["other_admin"]})
            for headers in ({"Authorization": "not-a-token"}, {}):
                requests.post(f"{live.url}{url}", data=data, headers=headers,
                              allow_redirects=False)
                requests.get(f"{live.url}{url}", headers=headers, allow_redirects=False)
            forged = admin.post(f"{live.url}{url}", data=data, allow_redirects=False)
            assert forged.status_code == 400, (url, forged.status_code)
            assert "CSRF" in forged.text or "csrf" in forged.text, url
            anonymous = requests.post(f"{live.url}{url}", data=data, allow_redirects=False)
            assert anonymous.status_code in (400, 403), (url, anonymous.status_code)
        untouched(scene)

    def test_with_its_token_the_form_works_and_the_api_still_takes_tokens(self, live, people,
                                                                          scene):
        admin, _ = browser_login(live, "the-admin")
        url = f"/lampangpoverty/access-request/{scene['request']['id']}/decide"
        requests.post(f"{live.url}{url}", headers={"Authorization": "not-a-token"})
        page = admin.get(f"{live.url}/dataset/{scene['pkg']['name']}").text
        res = admin.post(f"{live.url}{url}", allow_redirects=False,
                         data={"decision": "refuse", "reason": "ไม่ระบุวัตถุประสงค์",
                               "_csrf_token": csrf_token(page)})
        assert res.status_code == 302
        model.Session.expire_all()
        assert AccessRequest.get(scene["request"]["id"]).status == "refused"
        # Token clients need no CSRF token; anonymous API reads neither.
        res = requests.post(f"{live.url}/api/3/action/lampangpoverty_terms_accept",
                            json={"id": scene["registered"]["id"]},
                            headers={"Authorization": people.tokens["registered"]})
        assert res.status_code == 200, res.text
        res = requests.post(f"{live.url}/api/3/action/package_search", json={"q": "x"})
        assert res.status_code == 200
        # A browser session calling the API without a token is a cross-site risk: refused.
        registered, _ = browser_login(live, "the-registered")
        res = registered.post(f"{live.url}/api/3/action/lampangpoverty_terms_accept",
                              json={"id": scene["pkg"]["id"]})
        assert res.status_code == 400
