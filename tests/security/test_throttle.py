"""Finding 8, through real HTTP against a running CKAN: after repeated wrong passwords an
account, and then an address, may not log in for a while, even with the right password,
and is told so in Thai."""
from __future__ import annotations

import pytest

from .conftest import browser_login, with_password

LIVE_OPTIONS = {"ckanext.lampangpoverty.login.max_failures": "3",
                "ckanext.lampangpoverty.login.max_failures_per_address": "7",
                "ckanext.lampangpoverty.login.lockout": "60"}
LOCKED = "ลองใหม่ในอีก 1 นาที"


def logged_in(session, live) -> bool:
    return session.get(f"{live.url}/dashboard/datasets", allow_redirects=False).status_code == 200


@pytest.mark.usefixtures("clean_redis")
class TestLoginThrottling:
    def test_an_account_is_locked_after_its_failures_even_with_the_right_password(
            self, live, people):
        with_password(people, "admin", "registered")
        for _ in range(3):
            session, res = browser_login(live, "the-admin", "wrong-password")
            assert res.status_code == 200 and LOCKED not in res.text
        session, res = browser_login(live, "the-admin")
        assert res.status_code == 429 and LOCKED in res.text
        assert not logged_in(session, live)
        # By e-mail it is the same account.
        email = people.users["admin"]["email"]
        session, res = browser_login(live, email)
        assert res.status_code == 429
        # Another account from the same address is not locked yet.
        session, res = browser_login(live, "the-registered")
        assert res.status_code == 302 and logged_in(session, live)

    def test_an_address_is_locked_after_failures_across_accounts(self, live, people):
        with_password(people, "sysadmin")
        for who in ("the-member", "the-editor", "no-such-user"):
            for _ in range(2):
                assert browser_login(live, who, "wrong")[1].status_code == 200
        browser_login(live, "the-other-admin", "wrong")
        session, res = browser_login(live, "the-sysadmin")
        assert res.status_code == 429 and LOCKED in res.text
        assert not logged_in(session, live)
