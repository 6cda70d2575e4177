"""The run and test configurations harvest alike, and a source edit takes effect at once.

ckanext-harvest's database log handler used to commit the request's session inside
``package_update`` when ``ckan.harvest.log_level`` was ``info`` (the run configuration):
editing a source answered 500 ("This transaction is closed") and the harvester kept the old
config. The test configuration said ``warning``, so no test saw it. Now the two share every
harvest option, and the edits below run with the run configuration's log level."""
from __future__ import annotations

import configparser
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan import model

from .conftest import harvested, run_job

ROOT = Path(__file__).resolve().parents[2]
HARVEST_PREFIXES = ("ckan.harvest.", "ckanext.lampangpoverty.harvest.", "ckanext.dcat.",
                    "ckan.plugins", "scheming.")
# What the tests may set differently, and why: loopback partners need the allowlist.
TEST_ONLY = {"ckanext.lampangpoverty.harvest.allowed_hosts"}


def _options(name: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(ROOT / "config" / name)
    return dict(parser["app:main"])


def test_the_test_configuration_changes_no_harvest_option():
    overridden = {key for key in _options("test.ini") if key.startswith(HARVEST_PREFIXES)}
    assert overridden <= TEST_ONLY, overridden
    assert tk.config["ckan.harvest.log_level"] == _options("ckan.ini")["ckan.harvest.log_level"]
    assert tk.config["ckan.harvest.log_scope"] == 0       # the database log is on


CONFIG = {"type": "agency-resource", "key": "code", "fields": {"title": "title"},
          "defaults": {"programme_kind": "housing_repair", "eligibility": "ครัวเรือนยากจน",
                       "programme_status": "open", "area_codes": ["5201"]}}


@pytest.fixture
def source(partner, make_source):
    partner.serve("/p.csv", "code,title\nA1,ซ่อมบ้าน\nA2,ฝึกอาชีพ\n", content_type="text/csv")
    return make_source("lampangpoverty_table", partner.url("/p.csv"), CONFIG)


def _areas(source_id: str) -> set[str]:
    return {code for r in harvested(source_id) for code in
            tk.get_action("package_show")({"ignore_auth": True}, {"id": r.id})["area_codes"]}


def _harvest_log_count() -> int:
    from ckanext.harvest.model import HarvestLog

    return model.Session.query(HarvestLog).count()


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_source_edited_in_the_web_form_takes_effect_at_once(app, source, org_admin):
    from ckan.tests import factories
    from ckanext.harvest.model import HarvestSource

    run_job(source["id"])
    assert _areas(source["id"]) == {"5201"}
    token = factories.APIToken(user=org_admin["user"]["name"])["token"]
    logged = _harvest_log_count()
    form = BeautifulSoup(app.get(f"/harvest/edit/{source['name']}",
                                 headers={"Authorization": token}).body, "html.parser")
    data = {}
    for field in form.select("form#source-new input, form#source-new textarea, "
                             "form#source-new select"):
        name = field.get("name")
        if not name or (field.get("type") == "radio" and not field.has_attr("checked")):
            continue
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value") if chosen else ""
        else:
            data[name] = field.get("value") if field.name == "input" else field.text
    config = json.loads(data["config"])
    config["defaults"]["area_codes"] = ["5213"]
    data["config"] = json.dumps(config, ensure_ascii=False)

    response = app.post(f"/harvest/edit/{source['name']}", data=data,
                        headers={"Authorization": token}, follow_redirects=False)

    assert response.status_code == 302, response.body
    model.Session.remove()
    assert json.loads(HarvestSource.get(source["id"]).config)["defaults"]["area_codes"] == [
        "5213"]
    assert _harvest_log_count() > logged     # the database log wrote its INFO lines
    assert run_job(source["id"])["counts"]["updated"] == 2
    assert _areas(source["id"]) == {"5213"}


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_source_edited_through_the_api_takes_effect_at_once(app, source, org_admin):
    from ckan.tests import factories

    run_job(source["id"])
    token = factories.APIToken(user=org_admin["user"]["name"])["token"]
    config = {**CONFIG, "defaults": {**CONFIG["defaults"], "area_codes": ["5208"]}}
    body = {k: source[k] for k in ("id", "name", "title", "url", "source_type", "owner_org")}

    response = app.post("/api/3/action/harvest_source_update",
                        json={**body, "config": json.dumps(config, ensure_ascii=False)},
                        headers={"Authorization": token})

    assert response.status_code == 200, response.body
    model.Session.remove()
    shown = tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": source["id"]})
    assert json.loads(shown["config"])["defaults"]["area_codes"] == ["5208"]
    assert run_job(source["id"])["counts"]["updated"] == 2
    assert _areas(source["id"]) == {"5208"}


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_source_stays_whole_in_the_index_after_its_jobs(source):
    """ckanext-harvest reindexes a source after each job; package_show (the edit form,
    ``run-test``) answers from that index."""
    for _ in range(3):
        run_job(source["id"])
        shown = tk.get_action("package_show")({"ignore_auth": True}, {"id": source["id"]})
        assert shown["source_type"] == "lampangpoverty_table"
        assert json.loads(shown["config"]) == CONFIG
    listed = tk.get_action("package_search")(
        {"ignore_auth": True}, {"fq": "+dataset_type:harvest", "include_private": True})
    assert [r["id"] for r in listed["results"]] == [source["id"]]


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
def test_ckan_harvester_run_test_runs_every_time(cli, source):
    from ckan.cli.cli import ckan

    for run in range(3):
        result = cli.invoke(ckan, ["harvester", "run-test", source["name"]])
        assert result.exit_code == 0, (run, result.output, result.exception)
    assert len(harvested(source["id"])) == 2
