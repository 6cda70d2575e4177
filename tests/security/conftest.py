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
    summary = {"passed": True, "records": 1, "k_anonymity": 5}
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
