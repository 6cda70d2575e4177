"""Our actions behave as CKAN's own: unknown fields are refused by name, a caller's
``defer_commit`` is honoured, list actions cost a fixed number of queries, and a missing
object is a 404, never a 500."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.model import AccessRequest, TermsAcceptance


@pytest.fixture
def licensed(make_record):
    return make_record(name="licensed-release", access_level="licensed")


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestStrictInput:
    def test_a_mistyped_field_is_refused_by_name(self, licensed):
        user = factories.User()
        with pytest.raises(tk.ValidationError) as e:
            call_action("lampangpoverty_access_request_create", {"user": user["name"]},
                        id=licensed["id"], purpose="วิจัย", institution="มหาวิทยาลัย",
                        purpse="typo")
        assert list(e.value.error_dict) == ["purpse"]
        assert "purpose" in e.value.error_dict["purpse"][0]
        assert model.Session.query(AccessRequest).count() == 0

    def test_an_unknown_field_of_a_read_action_is_refused(self, licensed):
        with pytest.raises(tk.ValidationError) as e:
            call_action("lampangpoverty_disclosure_summary", id=licensed["id"], sort="x")
        assert "sort" in e.value.error_dict


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_defer_commit_leaves_the_transaction_to_the_caller(licensed):
    user = factories.User()
    user_id = user["id"]
    call_action("lampangpoverty_terms_accept", {"user": user["name"], "defer_commit": True},
                id=licensed["id"])
    model.Session.rollback()
    assert model.Session.get(TermsAcceptance, (licensed["id"], user_id)) is None
    call_action("lampangpoverty_terms_accept", {"user": user["name"]}, id=licensed["id"])
    model.Session.rollback()
    assert model.Session.get(TermsAcceptance, (licensed["id"], user_id)) is not None


def _queries(fn) -> int:
    """How many SQL statements ``fn`` runs."""
    count = 0

    def counter(*args, **kwargs):
        nonlocal count
        count += 1

    engine = model.meta.engine
    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        fn()
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)
    return count


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_listing_access_requests_costs_the_same_for_1_or_25_requests(licensed, organization):
    admin = factories.User()
    call_action("organization_member_create", id=organization["id"], username=admin["name"],
                role="admin")

    def add_requests(n: int) -> None:
        for _ in range(n):
            requester = factories.User()
            call_action("lampangpoverty_access_request_create", {"user": requester["name"]},
                        id=licensed["id"], purpose="วิจัย", institution="มช.")

    def listing():
        model.Session.expire_all()
        return call_action("lampangpoverty_access_request_list", {"user": admin["name"]},
                           id=licensed["id"])

    add_requests(1)
    one = _queries(listing)
    add_requests(24)
    many = _queries(listing)
    assert len(listing()) == 25
    assert many == one, f"{one} queries for 1 request, {many} for 25"


@pytest.mark.usefixtures("clean_db")
def test_a_decision_on_a_missing_request_is_a_404(app):
    sysadmin = factories.Sysadmin()
    token = factories.APIToken(user=sysadmin["name"])["token"]
    res = app.post("/lampangpoverty/access-request/no-such-request/decide", data={},
                   headers={"Authorization": token}, status=404)
    assert res.status_code == 404
    with pytest.raises(tk.ObjectNotFound):
        call_action("lampangpoverty_access_request_decide", {"user": sysadmin["name"]},
                    request_id="no-such-request", decision="refuse", reason="x")
