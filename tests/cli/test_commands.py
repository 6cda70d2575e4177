"""Operator commands: demo content and the harvest scheduler."""
from __future__ import annotations

import json

import pytest

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty import demo
from ckanext.lampangpoverty.demo import indicators as demo_indicators
from ckanext.lampangpoverty.demo import programmes


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_seed_demo_loads_everything_once(cli):
    content = demo.load_content()
    # content.yaml, this fiscal year's programmes and the area indicator dataset
    datasets = [*content["datasets"], *programmes.datasets(), demo_indicators.DATASET]
    first = cli.invoke(ckan_cli, ["lampangpoverty", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert f"{len(content['organizations']) + len(datasets)} created" in first.output

    names = call_action("package_search", rows=1000, include_private=True)["results"]
    assert {d["name"] for d in names} == {d["name"] for d in datasets}
    modified = {d["name"]: d["metadata_modified"] for d in names}

    again = cli.invoke(ckan_cli, ["lampangpoverty", "seed-demo"])
    assert again.exit_code == 0, again.output
    assert "0 created" in again.output
    after = call_action("package_search", rows=1000, include_private=True)["results"]
    assert {d["name"]: d["metadata_modified"] for d in after} == modified


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_demo_content_covers_the_types_sectors_and_pilot_districts(cli):
    result = cli.invoke(ckan_cli, ["lampangpoverty", "seed-demo"])
    assert result.exit_code == 0, result.output
    search = call_action("package_search", rows=0, **{"facet.field": json.dumps(
        ["dataset_type", "vocab_district", "vocab_sector"]), "facet.limit": -1})
    assert search["count"] >= 40
    facets = {f: {i["name"]: i["count"] for i in v["items"]}
              for f, v in search["search_facets"].items()}
    assert set(facets["dataset_type"]) == {"poverty-dataset", "agency-resource", "policy-proposal"}
    assert {"5201", "5205", "5208", "5210", "5213"} <= set(facets["vocab_district"])
    assert set(facets["vocab_sector"]) == {"government", "state_enterprise", "education",
                                           "private", "civil_society"}
    for dataset in call_action("package_search", rows=1000)["results"]:
        assert dataset["resources"], dataset["name"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_demo_organisations_are_marked_as_demo_entries(cli):
    cli.invoke(ckan_cli, ["lampangpoverty", "seed-demo"])
    for org in call_action("organization_list", all_fields=True):
        assert "(demo)" in org["title"] and "ตัวอย่าง" in org["title"], org["title"]


@pytest.mark.usefixtures("clean_db")
def test_harvest_scheduler_creates_a_due_job(cli, organization):
    source = call_action("harvest_source_create", {"user": call_action("get_site_user")["name"]},
                         name="partner", url="http://127.0.0.1:9/api",
                         source_type="lampangpoverty_ckan",
                         config='{"defaults": {"unit_of_observation": "amphoe", '
                                '"area_codes": ["52"]}}',
                         title="Partner", frequency="DAILY", owner_org=organization["id"])
    assert call_action("harvest_job_list", source_id=source["id"]) == []
    result = cli.invoke(ckan_cli, ["lampangpoverty", "harvest-scheduler", "--once"])
    assert result.exit_code == 0, result.output
    jobs = call_action("harvest_job_list", source_id=source["id"])
    assert len(jobs) == 1
