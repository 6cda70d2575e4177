"""``lampangpoverty_dcat`` against DCAT catalogues as they are published elsewhere: RDF/XML,
Turtle and JSON-LD; German, Spanish, Swedish and multilingual catalogues; intervals written
as text; EU file-type URIs; licences only on the distributions; datasets without dct:issued;
files cut short; JSON-LD naming a remote @context."""
from __future__ import annotations

import json
import random

import pytest

import ckan.plugins.toolkit as tk

from .conftest import harvested, run_job

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

EU = "http://publications.europa.eu/resource/authority/"
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
"""
DEFAULTS = {"defaults": {"unit_of_observation": "amphoe", "area_codes": ["5205"]}}

# A German open-data portal's dataset: German and English literals, an interval as text,
# EU file types, the licence on the distributions only, no dct:issued.
GERMAN = PREFIXES + f"""
<https://daten.example.de/dataset/armut-2022> a dcat:Dataset ;
    dct:identifier "armut-2022" ;
    dct:title "Armutsgefährdungsquote 2022"@de, "At-risk-of-poverty rate 2022"@en ;
    dct:description "Anteil der Personen unter der Armutsgrenze"@de,
                    "Share of people below the poverty line"@en ;
    dcat:keyword "Armut"@de, "Soziales"@de, "poverty"@en, "social (welfare)"@en ;
    dct:language <{EU}language/DEU> ;
    dct:modified "2023-05-04"^^xsd:date ;
    dct:temporal "2022-01-01/2022-12-31" ;
    dct:spatial <https://sws.geonames.org/2921044/> ;
    dct:accrualPeriodicity <{EU}frequency/ANNUAL> ;
    dcat:distribution [ a dcat:Distribution ; dct:title "Tabelle"@de ;
        dcat:downloadURL <HTTPS://DATEN.EXAMPLE.DE/files/armut.csv> ;
        dct:format <{EU}file-type/CSV> ;
        dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;
        dcat:byteSize "48213"^^xsd:nonNegativeInteger ;
        dct:license <https://www.govdata.de/dl-de/by-2-0> ],
      [ a dcat:Distribution ; dct:title "Tabelle (Excel)"@de ;
        dcat:accessURL <https://daten.example.de/files/armut.xlsx> ;
        dct:format <{EU}file-type/XLSX> ;
        dct:license <https://www.govdata.de/dl-de/by-2-0> ] .

<https://daten.example.de/dataset/wohngeld> a dcat:Dataset ;
    dct:identifier "wohngeld" ;
    dct:title "Wohngeld"@de ;
    dct:description "Empfänger von Wohngeld"@de ;
    dct:issued "2021-03-01T00:00:00"^^xsd:dateTime ;
    dcat:distribution [ a dcat:Distribution ;
        dcat:accessURL <https://daten.example.de/files/wohngeld.json> ;
        dct:format <{EU}file-type/JSON> ;
        dct:license <http://dcat-ap.de/def/licenses/cc-by/4.0> ],
      [ a dcat:Distribution ;
        dcat:accessURL <https://daten.example.de/files/wohngeld.pdf> ;
        dct:format <{EU}file-type/PDF> ;
        dct:license <https://creativecommons.org/licenses/by/4.0/> ],
      [ a dcat:Distribution ;
        dcat:accessURL <https://daten.example.de/files/wohngeld-karte.png> ;
        dct:format <{EU}file-type/PNG> ;
        dct:license <http://creativecommons.org/publicdomain/zero/1.0/> ] .
"""

# A multilingual Spanish catalogue: Catalan first, then Spanish, then English; the
# licence on both distributions; the year as the whole interval.
SPANISH = PREFIXES + f"""
<https://datos.example.es/catalogo/pobreza> a dcat:Dataset ;
    dct:identifier "https://datos.example.es/catalogo/pobreza" ;
    dct:title "Taxa de pobresa"@ca, "Tasa de pobreza"@es, "Poverty rate"@en ;
    dct:description "Indicador anual"@ca, "Indicador anual"@es, "Annual indicator"@en ;
    dcat:keyword "pobresa"@ca, "pobreza"@es, "poverty"@en, "income"@en ;
    dct:issued "2020-01-15"^^xsd:date ;
    dct:temporal "2019" ;
    dcat:distribution [ a dcat:Distribution ;
        dcat:accessURL <https://datos.example.es/ficheros/pobreza.csv> ;
        dct:format "text/csv" ;
        dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ],
      [ a dcat:Distribution ;
        dcat:accessURL <https://datos.example.es/ficheros/pobreza.json> ;
        dct:format <{EU}file-type/JSON> ;
        dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ] .
"""

# A Swedish catalogue in RDF/XML: Swedish only, a Thai translation of the title.
SWEDISH = f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Catalog rdf:about="https://data.example.se/katalog">
    <dct:title xml:lang="sv">Statistikkatalog</dct:title>
    <dcat:dataset>
      <dcat:Dataset rdf:about="https://data.example.se/dataset/fattigdom">
        <dct:identifier>fattigdom</dct:identifier>
        <dct:title xml:lang="sv">Ekonomisk utsatthet</dct:title>
        <dct:title xml:lang="th">ความยากจนทางเศรษฐกิจ</dct:title>
        <dct:description xml:lang="sv">Andel hushåll med låg inkomst</dct:description>
        <dcat:keyword xml:lang="sv">fattigdom</dcat:keyword>
        <dcat:keyword xml:lang="th">ความยากจน</dcat:keyword>
        <dct:modified rdf:datatype="http://www.w3.org/2001/XMLSchema#date">2024-02-01</dct:modified>
        <dcat:distribution>
          <dcat:Distribution>
            <dcat:accessURL rdf:resource="https://data.example.se/filer/fattigdom.csv"/>
            <dct:format rdf:resource="{EU}file-type/CSV"/>
            <dct:license rdf:resource="http://creativecommons.org/publicdomain/zero/1.0/"/>
          </dcat:Distribution>
        </dcat:distribution>
      </dcat:Dataset>
    </dcat:dataset>
  </dcat:Catalog>
</rdf:RDF>
"""

# Lampang's own provincial catalogue: Thai, areas in dct:spatial.
LAMPANG = PREFIXES + """
<https://catalog.lampang.example.go.th/dataset/ngao> a dcat:Dataset ;
    dct:identifier "ngao-income" ;
    dct:title "รายได้ครัวเรือน อำเภองาว"@th, "Household income, Ngao"@en ;
    dct:description "รายได้เฉลี่ยต่อครัวเรือน"@th ;
    dct:issued "2024-01-01"^^xsd:date ;
    dct:spatial [ a dct:Location ; foaf:name "อำเภองาว" ] ;
    dcat:distribution [ a dcat:Distribution ;
        dcat:accessURL <https://catalog.lampang.example.go.th/files/ngao.csv> ;
        dct:format "CSV" ] .
"""


def _record(source_id: str, title: str) -> dict:
    record = next(r for r in harvested(source_id) if r.title == title)
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": record.id})


def _source(partner, make_source, path, body, content_type, config=None):
    url = partner.serve(path, body, content_type=content_type)
    return make_source("lampangpoverty_dcat", url, config or DEFAULTS,
                       name="src-" + path.strip("/").replace(".", "-"))


def test_a_german_catalogue_keeps_english_licences_formats_and_its_own_place(partner,
                                                                            make_source):
    source = _source(partner, make_source, "/de.ttl", GERMAN, "text/turtle")

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 2, summary
    record = _record(source["id"], "At-risk-of-poverty rate 2022")   # English, not German
    assert record["notes"] == "Share of people below the poverty line"
    assert {t["name"] for t in record["tags"]} == {"poverty", "social (welfare)"}
    # no dct:issued: the interval written as text gives the reference period
    assert record["reference_period_start"] == "2022-01-01"
    assert record["reference_period_end"] == "2022-12-31"
    assert record["update_frequency_unit"] == "ปี"
    assert record["data_language"] == ["เยอรมัน"]
    # the place is Germany's: never Lampang; the source's own areas apply
    assert record["area_codes"] == ["5205"]
    assert any("area_codes" in w["message"] for w in summary["warnings"]), summary["warnings"]
    [csv, xlsx] = sorted(record["resources"], key=lambda r: r["format"])
    assert csv["format"] == "CSV" and xlsx["format"] == "XLSX"
    assert csv["url"] == "https://daten.example.de/files/armut.csv"
    assert csv["size"] == 48213 and csv["mimetype"] == "text/csv"
    # dl-de/by-2-0 is no licence CKAN knows: the field stays empty, the original is kept
    extras = {e["key"]: e["value"] for e in record.get("extras", [])}
    assert not record.get("license_id")
    assert extras["original_license_id"] == "https://www.govdata.de/dl-de/by-2-0"
    # different licences on the distributions: none for the dataset, each its own (two
    # addresses of CC BY 4.0 are one licence)
    wohngeld = _record(source["id"], "Wohngeld")
    assert not wohngeld.get("license_id")
    assert sorted(r["license"] for r in wohngeld["resources"]) == ["cc-by", "cc-by", "cc-zero"]
    assert wohngeld["reference_period_start"] == "2021-03-01"


def test_a_multilingual_catalogue_speaks_english_when_there_is_no_thai(partner, make_source):
    source = _source(partner, make_source, "/es.ttl", SPANISH, "text/turtle")

    run_job(source["id"])

    record = _record(source["id"], "Poverty rate")
    assert record["notes"] == "Annual indicator"
    assert {t["name"] for t in record["tags"]} == {"poverty", "income"}
    assert record["license_id"] == "cc-by"            # shared by both distributions
    assert record["reference_period_start"] == "2019-01-01"
    assert record["reference_period_end"] == "2019-12-31"
    assert sorted(r["format"] for r in record["resources"]) == ["CSV", "JSON"]


def test_rdf_xml_with_a_thai_title_chooses_thai(partner, make_source):
    source = _source(partner, make_source, "/se.rdf", SWEDISH, "application/rdf+xml")

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1, summary
    record = _record(source["id"], "ความยากจนทางเศรษฐกิจ")
    assert [t["name"] for t in record["tags"]] == ["ความยากจน"]
    assert record["license_id"] == "cc-zero"
    assert record["reference_period_start"] == "2024-02-01"     # dct:modified


def test_areas_come_from_the_datasets_spatial_coverage(partner, make_source):
    source = _source(partner, make_source, "/lampang.ttl", LAMPANG, "text/turtle")

    summary = run_job(source["id"])

    record = _record(source["id"], "รายได้ครัวเรือน อำเภองาว")
    assert record["area_codes"] == ["5205"]
    assert summary["warnings"] == []


def test_a_json_ld_catalogue_with_an_embedded_context(partner, make_source):
    document = {"@context": {"dcat": "http://www.w3.org/ns/dcat#",
                             "dct": "http://purl.org/dc/terms/"},
                "@graph": [{"@id": "https://open.example.org/ds/1", "@type": "dcat:Dataset",
                            "dct:identifier": "ds-1",
                            "dct:title": [{"@value": "Ingreso", "@language": "es"},
                                          {"@value": "Income", "@language": "en"}],
                            "dct:issued": "2022-06-30"}]}
    source = _source(partner, make_source, "/c.jsonld", json.dumps(document),
                     "application/ld+json")

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1, summary
    assert _record(source["id"], "Income")["reference_period_start"] == "2022-06-30"


@pytest.mark.parametrize("context", [
    "http://127.0.0.1:{port}/context.jsonld",
    ["http://127.0.0.1:{port}/context.jsonld"],
    [{"@import": "http://127.0.0.1:{port}/context.jsonld"}],
])
def test_json_ld_never_makes_the_harvester_fetch_its_context(partner, make_source, context):
    """rdflib fetches a remote @context with its own client, outside the safe HTTP of the
    harvesters (an internal address, an endless response): nothing may be fetched."""
    port = partner.base.rsplit(":", 1)[1]
    context = json.loads(json.dumps(context).replace("{port}", port))
    partner.serve("/context.jsonld", {"@context": {"dct": "http://purl.org/dc/terms/"}},
                  content_type="application/ld+json")
    document = {"@context": context, "@id": "https://open.example.org/ds/1",
                "@type": "http://www.w3.org/ns/dcat#Dataset", "dct:title": "x"}
    source = _source(partner, make_source, "/remote.jsonld", json.dumps(document),
                     "application/ld+json")

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert "context.jsonld" in summary["gather_errors"][0]
    assert [path for path, _query in partner.requests] == ["/remote.jsonld"]


def test_the_parser_itself_opens_no_connection():
    """The second lock: whatever a parser tries while reading, no socket is opened."""
    import socket

    from ckanext.lampangpoverty.harvesters import rdfsafe

    with pytest.raises(rdfsafe.RemoteFetchRefused), rdfsafe.no_network():
        socket.create_connection(("127.0.0.1", 9))
    with socket.socket() as s:          # and afterwards everything works again
        s.settimeout(1)
        s.connect_ex(("127.0.0.1", 9))


def test_a_turtle_file_cut_anywhere_never_leaves_a_job_running(partner, make_source):
    """rdflib raises IndexError or AssertionError on some cut points: every one must fail
    the job (or, if what is left still parses, harvest what it holds), never leave it
    running."""
    body = GERMAN.encode()
    source = _source(partner, make_source, "/cut.ttl", body, "text/turtle")
    assert run_job(source["id"])["counts"]["added"] == 2
    cuts = random.Random(14).sample(range(1, len(body) - 1), 30)
    for cut in cuts:
        partner.serve("/cut.ttl", body[:cut], content_type="text/turtle")
        summary = run_job(source["id"])
        assert summary["status"] == "Finished", (cut, summary)
        if summary["outcome"] == "failed":
            assert summary["gather_errors"], (cut, summary)
        assert len(harvested(source["id"])) == 2, cut      # nothing withdrawn


def test_a_catalogue_with_no_date_at_all_refuses_only_that_dataset(partner, make_source):
    body = PREFIXES + """
<https://x.example.org/a> a dcat:Dataset ; dct:identifier "a" ; dct:title "A"@en ;
    dct:issued "2020-01-01"^^xsd:date .
<https://x.example.org/b> a dcat:Dataset ; dct:identifier "b" ; dct:title "B"@en .
"""
    source = _source(partner, make_source, "/nodate.ttl", body, "text/turtle")

    summary = run_job(source["id"])

    assert summary["counts"]["added"] == 1 and summary["counts"]["errored"] == 1, summary
    assert "reference_period_start" in summary["errors"][0]["message"]
