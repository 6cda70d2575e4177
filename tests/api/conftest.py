"""The API as an outside client meets it: one served portal (a real ``ckan run``) and a
small scene, built once for the package: an organisation with a member, an outsider,
a sysadmin (each with an API token), public and private records of every kind the API
describes differently, and releases at the licensed and registered access levels."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import requests


@dataclass
class Scene:
    url: str
    tokens: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    releases: dict[str, str] = field(default_factory=dict)
    org: dict[str, Any] = field(default_factory=dict)

    def call(self, action: str, who: str = "anonymous", method: str = "GET",
             headers: dict[str, str] | None = None, **params: Any) -> requests.Response:
        sent = {**({"Authorization": self.tokens[who]} if who != "anonymous" else {}),
                **(headers or {})}
        url = f"{self.url}/api/3/action/{action}"
        if method == "GET":
            return requests.get(url, params=params, headers=sent, timeout=30)
        return requests.post(url, json=params, headers=sent, timeout=30)


def _build(url: str) -> Scene:
    from ckan import model
    from ckan.tests import factories
    from ckan.tests.helpers import call_action

    from tests.conftest import REQUIRED
    from tests.security.conftest import add_release

    scene = Scene(url)
    for who in ("member", "outsider"):
        scene.users[who] = factories.User(name=f"api-{who}")["name"]
    scene.users["sysadmin"] = factories.Sysadmin(name="api-sysadmin")["name"]
    scene.org = factories.Organization(name="api-org", sector="government",
                                       users=[{"name": "api-member", "capacity": "editor"}])
    scene.tokens = {who: factories.APIToken(user=name)["token"]
                    for who, name in scene.users.items()}
    owner = scene.org["id"]

    def record(name: str, dataset_type: str = "poverty-dataset", **fields: Any) -> dict:
        data = {**REQUIRED[dataset_type], "owner_org": owner, **fields}
        if dataset_type == "policy-proposal":
            data.setdefault("issuing_agencies", [scene.org["name"]])
        found = factories.Dataset(type=dataset_type, name=name, **data)
        scene.records[name] = found
        return found

    record("open-bmn", title="ข้อมูล จปฐ. ลำปาง", first_year_of_data="2566",
           last_year_of_data="2568", area_codes=["5208", "520801"])
    record("open-programme", "agency-resource", budget_baht="85000.50", fiscal_year="2568",
           capacity="120")
    record("hidden-bmn", private=True)
    record("to-delete")
    record("to-hide")
    licensed = record("licensed-bmn", access_level="licensed")
    registered = record("registered-bmn", access_level="registered")
    for pkg in (licensed, registered):
        scene.releases[pkg["name"]] = add_release(pkg).id
    model.Session.remove()
    call_action("get_site_user")
    return scene


# A limit and origins of our own, and Atom pages of two entries (paging with few records).
LIVE_OPTIONS = {"ckanext.lampangpoverty.api.rate_limit": "5000/hour",
                "ckanext.lampangpoverty.api.cors_origins": "https://dashboard.example.org",
                "ckan.feeds.limit": "2"}


@pytest.fixture(scope="package")
def scene(request) -> Scene:
    """The scene and its served portal, shared by the package's tests."""
    from ckan import model, plugins

    from tests.conftest import fresh_site
    from tests.live import LiveCkan

    fresh_site()
    server = LiveCkan(request.config.getoption("ckan_ini"), "api", **LIVE_OPTIONS).start()
    try:
        yield _build(server.url)
    finally:
        model.Session.remove()
        plugins.unload_all()
        server.stop()
