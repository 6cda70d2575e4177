"""What the DCAT output says about freshness and quality: dct:accrualPeriodicity from the EU
frequency vocabulary, dcat:version as the date the data last changed, and the score and
its parts as DQV quality measurements of described metrics."""
from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

from ckanext.lampangpoverty.quality import dcat

DQV = Namespace("http://www.w3.org/ns/dqv#")
EU = "http://publications.europa.eu/resource/authority/frequency/"


@pytest.mark.parametrize(("unit", "interval", "code"), [
    ("ปี", None, "ANNUAL"), ("ปี", "2", "BIENNIAL"), ("ครึ่งปี", "", "ANNUAL_2"),
    ("เดือน", 3, "QUARTERLY"), ("สัปดาห์", "2", "BIWEEKLY"), ("ตามความจำเป็น", None, "IRREG"),
    ("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", None, "NEVER"), ("ไม่ทราบ", None, "UNKNOWN")])
def test_frequencies_map_to_the_eu_vocabulary(unit, interval, code):
    assert dcat.frequency_uri(unit, interval) == EU + code


def test_a_frequency_without_an_eu_code_gives_none():
    assert dcat.frequency_uri("ปี", "7") is None
    assert dcat.frequency_uri("ปีละสองหน", None) is None
    assert dcat.frequency_uri("ปี", "x") is None


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_the_dataset_rdf_carries_frequency_version_and_measurements(app, make_record):
    record = make_record(name="dcat-quality", update_frequency_unit="ไตรมาส",
                         resources=[{"url": "https://x.example/a.pdf", "name": "a",
                                     "format": "PDF"}])
    g = Graph().parse(data=app.get(f"/dataset/{record['name']}.rdf").body, format="xml")
    dataset = next(g.subjects(RDF.type, DCAT.Dataset))
    assert (dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "QUARTERLY")) in g
    assert str(g.value(dataset, DCAT.version))[:4].isdigit()
    values = {}
    for measurement in g.objects(dataset, DQV.hasQualityMeasurement):
        metric = g.value(measurement, DQV.isMeasurementOf)
        assert (metric, RDF.type, DQV.Metric) in g
        assert {label.language for label in g.objects(metric, SKOS.prefLabel)} == {"en", "th"}
        values[str(metric).rsplit("/", 1)[-1]] = g.value(measurement, DQV.value).toPython()
    assert values["freshness"] == "fresh"
    assert 0 < values["score"] <= 100
    assert 0 <= values["metadata"] <= 1
    turtle = app.get("/catalog.ttl").body
    assert "hasQualityMeasurement" in turtle
