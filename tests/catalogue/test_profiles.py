"""Our DCAT and schema.org output (ckanext-dcat assumes a scheming type 'dataset', which the
catalogue does not have): DCAT-AP 3.0.0 with zero violations of every shape the release
ships (pySHACL against tests/catalogue/dcat-ap/), for the catalogue in Turtle, RDF/XML and
JSON-LD and for each dataset; and readable by ckanext-dcat's own harvester in a second
CKAN, which keeps title, description, licence, keywords and distributions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

import ckan.plugins.toolkit as tk

# The DCAT-AP 3.0.0 shapes, unmodified copies kept with the tests (source and licence: SOURCE.md).
SHAPES = Path(__file__).resolve().parent / "dcat-ap"
SHAPE_FILES = ("dcat-ap-SHACL.ttl", "shapes.ttl", "shapes_recommended.ttl", "range.ttl",
               "mdr-vocabularies.shape.ttl")
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def shapes() -> dict[str, Graph]:
    return {name: Graph().parse(SHAPES / name, format="turtle") for name in SHAPE_FILES}


def results(data: Graph, shapes: dict[str, Graph]) -> list[tuple[str, str, str, str]]:
    """Every top-level result of every shape file: (file, severity, path, message)."""
    from pyshacl import validate

    found = []
    for name, graph in shapes.items():
        _conforms, report, _text = validate(data, shacl_graph=graph, inference="none")
        for top in report.subjects(RDF.type, SH.ValidationReport):
            for result in report.objects(top, SH.result):
                found.append((name, str(report.value(result, SH.resultSeverity)).rsplit("#")[-1],
                              str(report.value(result, SH.resultPath)),
                              str(report.value(result, SH.resultMessage))))
    return found


def assert_dcat_ap_3(data: Graph, shapes: dict[str, Graph]) -> None:
    found = results(data, shapes)
    violations = [r for r in found if r[1] == "Violation"]
    assert violations == [], violations
    # The one warning left: a Lampang agency is not in the EU's corporate-bodies list.
    others = [r for r in found if r[2] != str(DCTERMS.publisher)
              or r[0] != "mdr-vocabularies.shape.ttl"]
    assert others == [], others


@pytest.fixture
def catalogue(make_record, organization):
    common = {"license_id": "cc-by", "tags": [{"name": "ความยากจน"}, {"name": "รายได้"}],
              "maintainer": "ฝ่ายสถิติ", "maintainer_email": "stat@example.go.th"}
    poverty = make_record(
        name="bmn-thoen", title="ข้อมูล จปฐ. อำเภอเถิน", update_frequency_unit="ปี",
        reference_period_end="2025-12-31", data_language=["ไทย", "อังกฤษ"], **common,
        resources=[{"url": "https://data.example.go.th/a.csv", "name": "ตาราง",
                    "format": "CSV"},
                   {"url": "https://data.example.go.th/b.xlsx", "name": "Excel",
                    "format": "XLSX", "size": 1234}])
    programme = make_record("agency-resource", name="repair", title="ซ่อมบ้านผู้ยากไร้",
                            open_date="2026-01-05", close_date="2026-03-31", **common)
    return [poverty, programme]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestDCAT:
    def test_catalog_lists_poverty_datasets_with_their_thai_titles(self, app, make_record):
        make_record(name="bmn-thoen", title="ข้อมูล จปฐ. อำเภอเถิน")
        res = app.get("/catalog.ttl")
        g = Graph().parse(data=res.body, format="turtle")
        titles = {str(t) for d in g.subjects(RDF.type, DCAT.Dataset)
                  for t in g.objects(d, DCTERMS.title)}
        assert "ข้อมูล จปฐ. อำเภอเถิน" in titles

    @pytest.mark.parametrize("suffix", FORMATS)
    def test_the_catalogue_meets_every_dcat_ap_3_shape(self, app, catalogue, shapes, suffix):
        body = app.get(f"/catalog.{suffix}").body
        data = Graph().parse(data=body, format=FORMATS[suffix])

        assert len(list(data.subjects(RDF.type, DCAT.Dataset))) == 2
        assert_dcat_ap_3(data, shapes)

    def test_every_dataset_meets_every_dcat_ap_3_shape(self, app, catalogue, shapes):
        for record in catalogue:
            for suffix, rdf_format in FORMATS.items():
                body = app.get(f"/dataset/{record['name']}.{suffix}").body
                assert_dcat_ap_3(Graph().parse(data=body, format=rdf_format), shapes)

    def test_values_are_concepts_of_the_eu_vocabularies(self, app, catalogue):
        g = Graph().parse(data=app.get("/dataset/bmn-thoen.ttl").body, format="turtle")
        formats = {str(f) for f in g.objects(None, DCTERMS.format)}
        assert formats == {"http://publications.europa.eu/resource/authority/file-type/CSV",
                           "http://publications.europa.eu/resource/authority/file-type/XLSX"}
        languages = {str(x) for x in g.objects(None, DCTERMS.language)}
        assert languages == {"http://publications.europa.eu/resource/authority/language/THA",
                             "http://publications.europa.eu/resource/authority/language/ENG"}
        licences = {str(x) for x in g.objects(None, DCTERMS.license)}
        assert licences == {"https://creativecommons.org/licenses/by/4.0/"}

    def test_a_file_with_its_own_licence_says_so(self, app, make_record, shapes):
        make_record(name="mixed", title="Mixed", license_id="cc-by", resources=[
            {"url": "https://data.example.go.th/m.csv", "format": "CSV", "license": "cc-zero"}])
        g = Graph().parse(data=app.get("/dataset/mixed.ttl").body, format="turtle")

        [distribution] = g.subjects(RDF.type, DCAT.Distribution)
        assert [str(x) for x in g.objects(distribution, DCTERMS.license)] == [
            "https://creativecommons.org/publicdomain/zero/1.0/"]

    def test_a_format_outside_the_eu_list_breaks_nothing(self, app, make_record, shapes):
        """A format the EU file-type list lacks is not published as dct:format (a
        recommended property, so a warning); nothing is violated."""
        make_record(name="spss", title="SPSS", resources=[
            {"url": "https://data.example.go.th/c.sav", "name": "SPSS", "format": "SPSS"}])
        g = Graph().parse(data=app.get("/dataset/spss.ttl").body, format="turtle")

        assert list(g.objects(None, DCTERMS.format)) == []
        assert [r for r in results(g, shapes) if r[1] == "Violation"] == []

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


@pytest.fixture(scope="module")
def dcat_portal():
    """A second CKAN 2.12 with ckanext-harvest and ckanext-dcat's own RDF harvester."""
    from ..conftest import load_stack
    from ..harvesters.source_portal import SourcePortal

    portal = SourcePortal(load_stack(), db="ckan_dcat_reader", site_id="dcat_reader",
                          plugins=("activity", "harvest", "dcat", "dcat_rdf_harvester"))
    portal.start()
    portal.call("organization_create", {"name": "readers", "title": "Readers"})
    yield portal
    portal.stop()


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_ckanext_dcat_harvests_our_catalogue_back(app, catalogue, partner, dcat_portal):
    """A plain CKAN refuses a tag with Thai vowel or tone marks ("รายได้": CKAN core's tag
    validator takes only \\w, which leaves the marks out; ours replaces it): the records
    read back here carry tags a plain CKAN stores."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    for record in catalogue:
        record.update(tk.get_action("package_patch")({"user": site_user}, {
            "id": record["id"], "tags": [{"name": "ความยากจน"}, {"name": "poverty"}]}))
    url = partner.serve("/lampang/catalog.ttl", app.get("/catalog.ttl").body,
                        content_type="text/turtle")
    source = dcat_portal.call("harvest_source_create", {
        "name": "lampang", "title": "Lampang", "url": url, "source_type": "dcat_rdf",
        "owner_org": "readers", "config": json.dumps({"rdf_format": "text/turtle"})})

    run = dcat_portal.ckan("harvester", "run-test", source["id"])

    found = dcat_portal.call("package_search", {"q": "*:*", "fq": "-dataset_type:harvest",
                                                "rows": 10})["results"]
    theirs = {d["title"]: d for d in found}
    if len(theirs) != len(catalogue):
        jobs = dcat_portal.call("harvest_job_list", {"source_id": source["id"]})
        report = dcat_portal.call("harvest_job_report", {"id": jobs[0]["id"]})
        pytest.fail(f"{run.stdout[-1500:]} {report}")
    for ours in catalogue:
        copy = theirs[ours["title"]]
        assert copy["notes"] == ours["notes"]
        assert copy["license_id"] == ours["license_id"] == "cc-by"
        assert {t["name"] for t in copy["tags"]} == {t["name"] for t in ours["tags"]}
        if ours["resources"]:
            assert sorted(r["url"] for r in copy["resources"]) == sorted(
                r["url"] for r in ours["resources"])
            assert {r["format"] for r in copy["resources"]} >= {"CSV", "XLSX"}
        else:                    # a programme is published as its page on the portal
            [page] = copy["resources"]
            assert page["url"].endswith(f"/dataset/{ours['name']}")
