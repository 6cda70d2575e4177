"""The platform as a whole: every extension loads on CKAN 2.12 and a dataset created
through the API is indexed in the real Solr."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests.helpers import call_action

from .conftest import REQUIRED

EXPECTED_PLUGINS = {
    "lampangpoverty", "scheming_datasets", "scheming_organizations", "activity",
    "harvest", "lampangpoverty_ckan", "lampangpoverty_table", "lampangpoverty_dcat",
    "dcat", "dcat_json_interface",
    "structured_data", "spatial_metadata", "spatial_query",
}


def test_status_show_lists_every_plugin():
    status = call_action("status_show")
    assert status["ckan_version"] == "2.12.0"
    assert EXPECTED_PLUGINS <= set(status["extensions"])


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_dataset_created_through_api_is_found_by_search(app, organization):
    sysadmin = call_action("get_site_user")
    token = call_action("api_token_create", {"user": sysadmin["name"]},
                        user=sysadmin["name"], name="test")["token"]
    res = app.post("/api/3/action/package_create", headers={"Authorization": token}, json={
        **REQUIRED["poverty-dataset"], "type": "poverty-dataset", "name": "lampang-income-2025",
        "title": "Household income in Lampang", "owner_org": organization["id"],
    })
    assert res.status_code == 200, res.body
    found = app.get("/api/3/action/package_search", query_string={"q": "income"}).json
    assert [d["name"] for d in found["result"]["results"]] == ["lampang-income-2025"]


def test_thai_is_the_default_locale_and_english_is_offered():
    assert tk.config["ckan.locale_default"] == "th"
    assert tk.config["ckan.locales_offered"][:2] == ["th", "en"]
