"""``lampangpoverty_dcat``: a DCAT-AP catalogue in Turtle served on 127.0.0.1, read by
ckanext-dcat's parser with our profile into poverty datasets; an empty or broken catalogue
withdraws nothing (ckanext-dcat's own harvester would delete every record)."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from .conftest import harvested, run_job, search

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def dataset(n: int, title: str) -> str:
    return f"""
<https://stat.example.go.th/dataset/{n}> a dcat:Dataset ;
    dct:title "{title}"@th ;
    dct:description "ข้อมูลจากแค็ตตาล็อก DCAT"@th ;
    dct:identifier "stat-{n}" ;
    dcat:keyword "ความยากจน" ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL> ;
    dct:temporal [ a dct:PeriodOfTime ;
        dcat:startDate "2023-01-01"^^xsd:date ; dcat:endDate "2023-12-31"^^xsd:date ] ;
    dcat:contactPoint [ a vcard:Organization ; vcard:fn "ฝ่ายสถิติ" ;
        vcard:hasEmail <mailto:stat@example.go.th> ] ;
    dcat:distribution [ a dcat:Distribution ; dct:title "CSV" ;
        dcat:accessURL <https://stat.example.go.th/files/{n}.csv> ; dct:format "CSV" ] .
"""


def catalogue(*datasets: str) -> str:
    return PREFIXES + "".join(datasets)


@pytest.fixture
def source(partner, make_source):
    partner.serve("/catalog.ttl", catalogue(dataset(1, "รายได้ครัวเรือน"),
                                            dataset(2, "หนี้สินครัวเรือน")),
                  content_type="text/turtle")
    return make_source("lampangpoverty_dcat", partner.url("/catalog.ttl"), {
        "defaults": {"unit_of_observation": "amphoe", "area_codes": ["5208"]}})


def test_dcat_ap_datasets_become_poverty_datasets(source):
    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 2, summary
    record = tk.get_action("package_show")({"ignore_auth": True}, {
        "id": next(r.id for r in harvested(source["id"]) if r.title == "รายได้ครัวเรือน")})
    assert record["type"] == "poverty-dataset"
    assert record["reference_period_start"] == "2023-01-01"
    assert record["reference_period_end"] == "2023-12-31"
    assert record["update_frequency_unit"] == "ปี"
    assert record["maintainer"] == "ฝ่ายสถิติ"
    assert record["maintainer_email"] == "stat@example.go.th"
    assert record["resources"][0]["url"] == "https://stat.example.go.th/files/1.csv"
    assert search(q="หนี้สิน")["count"] == 1


def test_a_dataset_gone_from_the_catalogue_is_withdrawn(source, partner):
    run_job(source["id"])
    partner.serve("/catalog.ttl", catalogue(dataset(1, "รายได้ครัวเรือน")),
                  content_type="text/turtle")
    summary = run_job(source["id"])
    assert summary["counts"]["withdrawn"] == 1 and summary["counts"]["unchanged"] == 1
    assert search(q="หนี้สิน")["count"] == 0


@pytest.mark.parametrize("body, reason", [
    (PREFIXES, "lists no datasets"),
    ("<html><body>not RDF</body></html>", "could not be read"),
])
def test_an_empty_or_broken_catalogue_withdraws_nothing(source, partner, body, reason):
    run_job(source["id"])
    partner.serve("/catalog.ttl", body, content_type="text/turtle")

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert reason in summary["gather_errors"][0]
    assert len(harvested(source["id"])) == 2
