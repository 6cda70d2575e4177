"""DCAT and schema.org output for the catalogue's own dataset types (ckanext-dcat assumes a
scheming type 'dataset', which the catalogue does not have)."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestDCAT:
    def test_catalog_lists_poverty_datasets_with_their_thai_titles(self, app, make_record):
        make_record(name="bmn-thoen",
                    title="ข้อมูล จปฐ. อำเภอเถิน")
        res = app.get("/catalog.ttl")
        g = Graph().parse(data=res.body, format="turtle")
        titles = {str(t) for d in g.subjects(RDF.type, DCAT.Dataset)
                  for t in g.objects(d, DCTERMS.title)}
        assert "ข้อมูล จปฐ. อำเภอเถิน" in titles

    def test_dataset_rdf_endpoint_serializes_the_dataset(self, app, make_record):
        ds = make_record(name="bmn-ngao",
                         title="BMN Ngao")
        res = app.get(f"/dataset/{ds['name']}.rdf")
        g = Graph().parse(data=res.body, format="xml")
        datasets = list(g.subjects(RDF.type, DCAT.Dataset))
        assert len(datasets) == 1
        assert (datasets[0], DCTERMS.title, None) in g

    def test_dataset_page_embeds_schema_org_json_ld(self, app, make_record):
        make_record(name="bmn-pan",
                    title="BMN Mueang Pan")
        body = app.get("/poverty-dataset/bmn-pan").body
        opening = '<script type="application/ld+json">'
        start = body.index(opening) + len(opening)
        data = json.loads(body[start:body.index("</script>", start)])
        graph = data["@graph"]
        assert any(node.get("@type") == "schema:Dataset"
                   and node.get("schema:name") == "BMN Mueang Pan"
                   for node in graph), graph
