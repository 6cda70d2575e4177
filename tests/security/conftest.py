"""People and data for the attacker tests: two partner organisations, A (the victim) and B
(the attacker's), users of every role, API tokens, and datasets of A with a release."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pytest

from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.disclosure import table
from ckanext.lampangpoverty.gate import submission as gate
from ckanext.lampangpoverty.model import Microdata

ROLES = ("anonymous", "registered", "member", "editor", "admin", "other_admin", "sysadmin")


@dataclass
class People:
    users: dict[str, dict] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    org: dict = field(default_factory=dict)         # A, the victim
    other_org: dict = field(default_factory=dict)   # B, the attacker's

    def name(self, who: str) -> str:
        return "" if who == "anonymous" else self.users[who]["name"]

    def headers(self, who: str) -> dict[str, str]:
        return {} if who == "anonymous" else {"Authorization": self.tokens[who]}

    def context(self, who: str) -> dict[str, Any]:
        return {"user": self.name(who), "ignore_auth": False}


@pytest.fixture
def people(clean_db) -> People:
    found = People()
    for role in ROLES[1:-1]:
        found.users[role] = factories.User(name=f"the-{role.replace('_', '-')}")
    found.users["sysadmin"] = factories.Sysadmin(name="the-sysadmin")
    found.org = factories.Organization(
        name="org-a", sector="government",
        users=[{"name": found.users[r]["name"], "capacity": r}
               for r in ("member", "editor", "admin")])
    found.other_org = factories.Organization(
        name="org-b", sector="private",
        users=[{"name": found.users["other_admin"]["name"], "capacity": "admin"}])
    found.tokens = {who: factories.APIToken(user=user["name"])["token"]
                    for who, user in found.users.items()}
    return found


def make_dataset(people: People, name: str, *, private: bool, access_level: str = "public",
                 org: dict | None = None, **fields) -> dict:
    from tests.conftest import REQUIRED

    data = {**REQUIRED["poverty-dataset"], "access_level": access_level, **fields}
    return factories.Dataset(type="poverty-dataset", name=name, private=private,
                             owner_org=(org or people.org)["id"], **data)


def add_release(pkg: dict, rows: dict[str, list[str]] | None = None) -> Microdata:
    """A release of ``pkg`` that passed the gate, with its CSV in private storage."""
    summary = {"passed": True, "records": 1, "k_anonymity": 5, "l_diversity": 2,
               "max_individual_risk": 0.2, "global_risk": 0.02, "cells_suppressed_share": 0.1,
               "thresholds": {"k": 5, "l": 2, "max_risk": 0.2, "global_risk": 0.03}}
    record = Microdata(package_id=pkg["id"], filename="bmn.csv", stored_path="-", size=0,
                       status="passed", created_by="test", summary=summary,
                       roles={"age": "quasi_identifier"})
    model.Session.add(record)
    model.Session.commit()
    table.write_csv(pd.DataFrame(rows or {"amphoe": ["5208"], "age": ["30-39"]}),
                    gate.release_path(record))
    return record


def set_private(pkg: dict, private: bool) -> None:
    call_action("package_patch", {"user": call_action("get_site_user")["name"]},
                id=pkg["id"], private=private)


@pytest.fixture(scope="module")
def live(request):
    """A real CKAN web server for this test module (options: the module's LIVE_OPTIONS)."""
    from tests.live import LiveCkan

    name = request.module.__name__.rsplit(".", 1)[-1]
    server = LiveCkan(request.config.getoption("ckan_ini"), name,
                      **getattr(request.module, "LIVE_OPTIONS", {})).start()
    yield server
    server.stop()


PASSWORD = "Correct-Horse-5208"


def with_password(people: People, *who: str) -> None:
    """Give these people a known password (factories make random ones)."""
    for role in who:
        user = model.User.get(people.users[role]["name"])
        user.password = PASSWORD  # type: ignore[union-attr]
    model.Session.commit()


def csrf_token(html: str) -> str:
    import re

    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def browser_login(live, login: str, password: str = PASSWORD):
    """A requests session logged in through the login form, as a browser does."""
    import requests

    session = requests.Session()
    token = csrf_token(session.get(f"{live.url}/user/login").text)
    res = session.post(f"{live.url}/user/login", allow_redirects=False,
                       data={"login": login, "password": password, "_csrf_token": token})
    return session, res
