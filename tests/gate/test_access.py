"""Who may download a release, per access level: the whole matrix of users, through the real
download view; every registered/licensed download by an outsider is logged."""
from __future__ import annotations

import datetime

import pandas as pd
import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.disclosure import table
from ckanext.lampangpoverty.gate import submission as gate
from ckanext.lampangpoverty.lib.clock import utcnow
from ckanext.lampangpoverty.model import AccessRequest, Microdata

ROLES = ("anonymous", "registered", "requester", "member", "editor", "org_admin",
         "other_org_admin", "sysadmin")


@pytest.fixture
def people(clean_db, organization):
    users = {name: factories.User(name=name.replace("_", "-")) for name in ROLES[1:]}
    users["sysadmin"] = factories.Sysadmin(name="the-sysadmin")
    for role in ("member", "editor"):
        call_action("organization_member_create", id=organization["id"],
                    username=users[role]["name"], role=role)
    call_action("organization_member_create", id=organization["id"],
                username=users["org_admin"]["name"], role="admin")
    factories.Organization(sector="private", users=[{"name": users["other_org_admin"]["name"],
                                                     "capacity": "admin"}])
    tokens = {name: factories.APIToken(user=user["name"])["token"] for name, user in users.items()}
    return users, tokens


def released(make_record, access_level: str) -> Microdata:
    """A public poverty dataset with a release that passed the gate."""
    pkg = make_record(name=f"release-{access_level}", access_level=access_level, private=True)
    summary = {"passed": True, "records": 1, "k_anonymity": 5, "l_diversity": 2,
               "max_individual_risk": 0.2, "global_risk": 0.02, "cells_suppressed_share": 0.1,
               "thresholds": {"k": 5, "l": 2, "max_risk": 0.2, "global_risk": 0.03}}
    record = Microdata(package_id=pkg["id"], filename="bmn.csv", stored_path="-", size=0,
                       status="passed", created_by="test", summary=summary)
    model.Session.add(record)
    model.Session.commit()
    table.write_csv(pd.DataFrame({"amphoe": ["5208"], "age": ["30-39"]}), gate.release_path(record))
    call_action("package_patch", {"user": call_action("get_site_user")["name"]}, id=pkg["id"],
                private=False)
    return record


def status(app, tokens, who: str, record: Microdata) -> int:
    """The answer to a download, read to its end (only a complete download counts)."""
    headers = {"Authorization": tokens[who]} if who != "anonymous" else {}
    res = app.get(f"/lampangpoverty/release/{record.id}/download", headers=headers,
                  follow_redirects=False)
    res.get_data()
    res.close()
    return res.status_code


def matrix(app, tokens, record) -> dict[str, int]:
    return {who: status(app, tokens, who, record) for who in ROLES}


INSIDERS = {"member": 200, "editor": 200, "org_admin": 200, "sysadmin": 200}


@pytest.mark.usefixtures("clean_index")
class TestAccessMatrix:
    def test_public(self, app, people, make_record):
        _users, tokens = people
        record = released(make_record, "public")
        assert matrix(app, tokens, record) == {who: 200 for who in ROLES}

    def test_registered(self, app, people, make_record):
        users, tokens = people
        record = released(make_record, "registered")
        before = {"anonymous": 302, "registered": 403, "requester": 403, "other_org_admin": 403,
                  **INSIDERS}
        assert matrix(app, tokens, record) == before
        call_action("lampangpoverty_terms_accept", {"user": users["registered"]["name"]},
                    id=record.package_id)
        assert matrix(app, tokens, record) == {**before, "registered": 200}
        log = call_action("lampangpoverty_download_log_list", {"user": users["org_admin"]["name"]},
                          id=record.package_id)
        assert [row["user"] for row in log] == ["registered"]

    def test_licensed(self, app, people, make_record):
        users, tokens = people
        record = released(make_record, "licensed")
        closed = {"anonymous": 302, "registered": 403, "requester": 403, "other_org_admin": 403,
                  **INSIDERS}
        assert matrix(app, tokens, record) == closed

        request = call_action("lampangpoverty_access_request_create",
                              {"user": users["requester"]["name"]}, id=record.package_id,
                              purpose="ศึกษาหนี้ครัวเรือน", institution="มหาวิทยาลัยตัวอย่าง")
        assert matrix(app, tokens, record) == closed  # before approval
        mine = call_action("lampangpoverty_access_request_list",
                           {"user": users["requester"]["name"]})
        assert [r["status"] for r in mine] == ["pending"]

        tomorrow = (utcnow().date() + datetime.timedelta(days=1)).isoformat()
        call_action("lampangpoverty_access_request_decide", {"user": users["org_admin"]["name"]},
                    request_id=request["id"], decision="approve", expires=tomorrow,
                    max_downloads=2)
        assert status(app, tokens, "requester", record) == 200
        assert status(app, tokens, "requester", record) == 200
        assert status(app, tokens, "requester", record) == 403  # the limit of 2 is reached
        assert matrix(app, tokens, record) == closed
        log = call_action("lampangpoverty_download_log_list", {"user": users["org_admin"]["name"]},
                          id=record.package_id)
        assert [(row["user"], row["request_id"]) for row in log] == [
            ("requester", request["id"])] * 2

    def test_an_expired_approval_no_longer_opens_the_release(self, app, people, make_record):
        users, tokens = people
        record = released(make_record, "licensed")
        request = call_action("lampangpoverty_access_request_create",
                              {"user": users["requester"]["name"]}, id=record.package_id,
                              purpose="p", institution="i")
        tomorrow = (utcnow().date() + datetime.timedelta(days=1)).isoformat()
        call_action("lampangpoverty_access_request_decide", {"user": users["org_admin"]["name"]},
                    request_id=request["id"], decision="approve", expires=tomorrow,
                    max_downloads=5)
        # the approval's day passes (an expiry in the past is refused when deciding)
        approval = AccessRequest.get(request["id"])
        approval.expires = utcnow() - datetime.timedelta(days=1)  # type: ignore[union-attr]
        model.Session.commit()
        assert status(app, tokens, "requester", record) == 403

    def test_a_refusal_needs_a_reason_and_both_parties_see_it(self, people, make_record):
        users, _tokens = people
        record = released(make_record, "licensed")
        request = call_action("lampangpoverty_access_request_create",
                              {"user": users["requester"]["name"]}, id=record.package_id,
                              purpose="p", institution="i")
        admin = {"user": users["org_admin"]["name"]}
        with pytest.raises(tk.ValidationError) as e:
            call_action("lampangpoverty_access_request_decide", dict(admin),
                        request_id=request["id"], decision="refuse")
        assert "reason" in e.value.error_dict
        call_action("lampangpoverty_access_request_decide", dict(admin), request_id=request["id"],
                    decision="refuse", reason="วัตถุประสงค์ไม่ชัดเจน")
        for who in ("requester", "org_admin"):
            seen = call_action("lampangpoverty_access_request_list",
                               {"user": users[who]["name"]}, id=record.package_id)
            assert [(r["status"], r["reason"]) for r in seen] == [("refused", "วัตถุประสงค์ไม่ชัดเจน")]

    @pytest.mark.parametrize("who", ["requester", "editor", "other_org_admin"])
    def test_only_the_owning_admins_decide_and_read_the_log(self, people, make_record, who):
        users, _tokens = people
        record = released(make_record, "licensed")
        request = call_action("lampangpoverty_access_request_create",
                              {"user": users["requester"]["name"]}, id=record.package_id,
                              purpose="p", institution="i")
        context = {"user": users[who]["name"], "ignore_auth": False}
        with pytest.raises(tk.NotAuthorized):
            call_action("lampangpoverty_access_request_decide", dict(context),
                        request_id=request["id"], decision="approve", expires="2030-01-01",
                        max_downloads=1)
        with pytest.raises(tk.NotAuthorized):
            call_action("lampangpoverty_download_log_list", dict(context), id=record.package_id)

    def test_the_log_exports_as_csv_for_the_owning_admin(self, app, people, make_record):
        users, tokens = people
        record = released(make_record, "registered")
        call_action("lampangpoverty_terms_accept", {"user": users["registered"]["name"]},
                    id=record.package_id)
        status(app, tokens, "registered", record)
        res = app.get(f"/lampangpoverty/dataset/{record.package_id}/downloads.csv",
                      headers={"Authorization": tokens["org_admin"]})
        assert res.status_code == 200
        header = res.body.lstrip("\ufeff").splitlines()[0]
        assert header == "at,user,access_level,request_id,microdata_id,completed"
        assert ",registered,registered," in res.body
        denied = app.get(f"/lampangpoverty/dataset/{record.package_id}/downloads.csv",
                         headers={"Authorization": tokens["registered"]})
        assert denied.status_code == 403


@pytest.mark.usefixtures("clean_index")
class TestAccessThroughTheUI:
    def page(self, app, tokens, who, record):
        headers = {"Authorization": tokens[who]} if who != "anonymous" else {}
        return app.get(f"/en/poverty-dataset/{record.package_id}", headers=headers).body

    def test_registered_user_accepts_the_terms_on_the_dataset_page(self, app, people, make_record):
        _users, tokens = people
        record = released(make_record, "registered")
        page = self.page(app, tokens, "registered", record)
        assert "Anonymised release" in page and "I accept the terms of use" in page
        app.post(f"/lampangpoverty/dataset/{record.package_id}/terms",
                 headers={"Authorization": tokens["registered"]})
        page = self.page(app, tokens, "registered", record)
        assert "Download the release" in page
        assert status(app, tokens, "registered", record) == 200

    def test_request_approve_and_download_through_forms(self, app, people, make_record):
        users, tokens = people
        record = released(make_record, "licensed")
        assert "I accept the terms and request access" in self.page(app, tokens, "requester",
                                                                      record)
        app.post(f"/lampangpoverty/dataset/{record.package_id}/access-request",
                 headers={"Authorization": tokens["requester"]},
                 data={"purpose": "วิจัยหนี้สิน", "institution": "มหาวิทยาลัยตัวอย่าง"})
        admin_page = self.page(app, tokens, "org_admin", record)
        assert "วิจัยหนี้สิน" in admin_page and "Approve" in admin_page
        requests = call_action("lampangpoverty_access_request_list",
                               {"user": users["org_admin"]["name"]}, id=record.package_id)
        request_id = requests[0]["id"]
        tomorrow = (utcnow().date() + datetime.timedelta(days=1)).isoformat()
        app.post(f"/lampangpoverty/access-request/{request_id}/decide",
                 headers={"Authorization": tokens["org_admin"]},
                 data={"decision": "approve", "expires": tomorrow, "max_downloads": "1"})
        assert "approved" in self.page(app, tokens, "requester", record)
        assert status(app, tokens, "requester", record) == 200
        assert "Download log (CSV)" in self.page(app, tokens, "org_admin", record)
        assert "Download log (CSV)" not in self.page(app, tokens, "requester", record)


@pytest.mark.usefixtures("clean_index")
class TestAccessFlows:
    """What a visitor, a researcher and an organisation admin meet on the way to a release."""

    def get(self, app, tokens, who, url, **kw):
        headers = {"Authorization": tokens[who]} if who != "anonymous" else {}
        return app.get(url, headers=headers, **kw)

    def test_anonymous_are_sent_to_log_in_and_back_to_the_dataset(self, app, people,
                                                                  make_record):
        _users, tokens = people
        record = released(make_record, "registered")
        pkg = model.Package.get(record.package_id)
        page = self.get(app, tokens, "anonymous", f"/en/poverty-dataset/{pkg.name}").body
        assert "Terms of use" in page and "not to try to identify any household" in page
        assert f"/user/login?came_from=/en/poverty-dataset/{pkg.name}" in page
        res = self.get(app, tokens, "anonymous", f"/lampangpoverty/release/{record.id}/download",
                       follow_redirects=False)
        assert res.status_code == 302 and "/user/login" in res.headers["Location"]
        assert f"came_from=/poverty-dataset/{pkg.name}" in res.headers["Location"]

    def test_registration_returns_the_new_user_where_they_were(self, app, clean_db):
        back = "/dataset/some-record"
        form = {"name": "new-researcher", "fullname": "นักวิจัย", "email": "r@example.org",
                "password1": "a long enough passphrase 1", "password2":
                    "a long enough passphrase 1", "save": ""}
        res = app.post(f"/user/register?came_from={back}", data=form, follow_redirects=False)
        assert res.status_code == 302 and res.headers["Location"].endswith(back)
        app.get("/user/_logout")  # the registration logged the first one in
        form = {**form, "name": "other-researcher", "email": "o@example.org"}
        res = app.post("/user/register?came_from=//evil.example/x", data=form,
                       follow_redirects=False)
        assert res.status_code == 302 and "evil.example" not in res.headers["Location"]
        assert res.headers["Location"].endswith("/user/me") or "/user/" in res.headers["Location"]

    def test_one_pending_request_per_dataset_and_user(self, app, people, make_record):
        users, tokens = people
        record = released(make_record, "licensed")
        requester = {"user": users["requester"]["name"]}
        call_action("lampangpoverty_access_request_create", dict(requester),
                    id=record.package_id, purpose="p", institution="i")
        with pytest.raises(tk.ValidationError) as e:
            call_action("lampangpoverty_access_request_create", dict(requester),
                        id=record.package_id, purpose="again", institution="i")
        assert "id" in e.value.error_dict
        page = self.get(app, tokens, "requester", f"/en/poverty-dataset/{record.package_id}").body
        assert "is waiting for a decision" in page and 'name="purpose"' not in page
        # someone else may still ask
        call_action("lampangpoverty_access_request_create", {"user": users["registered"]["name"]},
                    id=record.package_id, purpose="p", institution="i")

    def test_researcher_sees_expiry_downloads_left_and_their_page(self, app, people,
                                                                   make_record):
        users, tokens = people
        record = released(make_record, "licensed")
        request = call_action("lampangpoverty_access_request_create",
                              {"user": users["requester"]["name"]}, id=record.package_id,
                              purpose="p", institution="i")
        call_action("lampangpoverty_access_request_decide", {"user": users["org_admin"]["name"]},
                    request_id=request["id"], decision="approve", expires="2099-03-01",
                    max_downloads=3)
        assert status(app, tokens, "requester", record) == 200
        page = self.get(app, tokens, "requester", f"/en/poverty-dataset/{record.package_id}").body
        assert "Your access ends on 1 March 2099; 2 of 3 downloads left." in page
        mine = self.get(app, tokens, "requester", "/en/lampangpoverty/access/mine").body
        assert "My requests and downloads" in mine and "2 of 3" in mine
        assert mine.count("lp-my-downloads") == 1 and "1 March 2099" in mine
        thai = self.get(app, tokens, "requester", "/lampangpoverty/access/mine").body
        assert "1 มีนาคม 2642" in thai
        anonymous = self.get(app, tokens, "anonymous", "/lampangpoverty/access/mine",
                             follow_redirects=False)
        assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]

    def test_admins_queue_counts_only_what_they_may_decide(self, app, people, make_record):
        users, tokens = people
        record = released(make_record, "licensed")
        call_action("lampangpoverty_access_request_create", {"user": users["requester"]["name"]},
                    id=record.package_id, purpose="วิจัยหนี้สิน", institution="i")
        for who, count in (("org_admin", 1), ("sysadmin", 1), ("other_org_admin", 0),
                           ("editor", 0), ("requester", 0)):
            queue = call_action("lampangpoverty_access_request_queue",
                                {"user": users[who]["name"]})
            assert len(queue) == count, who
        page = self.get(app, tokens, "org_admin", "/en/lampangpoverty/access/queue").body
        assert "วิจัยหนี้สิน" in page and 'lp-queue-count">1<' in page
        assert 'name="decision" value="approve"' in page
        assert "lp-queue-link" in self.get(app, tokens, "org_admin", "/en/dataset/").body
        other = self.get(app, tokens, "other_org_admin", "/en/lampangpoverty/access/queue").body
        assert "วิจัยหนี้สิน" not in other and "No request is waiting" in other


@pytest.mark.parametrize("target", [
    "//evil.example/x", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
    "/\\evil.example", "\\\\evil.example", "https://evil.example/", " //evil.example",
    "/\x00/evil.example", "javascript:alert(1)", "", None])
def test_only_a_path_of_this_site_is_a_place_to_return_to(target):
    from ckanext.lampangpoverty.views.access import local_path

    assert local_path(target) is None


def test_a_path_of_this_site_is_returned_to_unchanged():
    from ckanext.lampangpoverty.views.access import local_path

    assert local_path("/en/poverty-dataset/bmn-2568?x=1#top") == \
        "/en/poverty-dataset/bmn-2568?x=1#top"
