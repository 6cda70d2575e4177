"""A record's page says how to cite it and reach it by machine; a proposal names its
evidence by title and lists its recommendations."""
from __future__ import annotations

import re

import pytest

from ckanext.lampangpoverty.catalogue.text import points


@pytest.mark.parametrize(("text", "expected"), [
    ("1. ใช้คะแนน ก 2. รวมงบ 3. ให้ช่าง / Score; pool.", ["ใช้คะแนน ก", "รวมงบ", "ให้ช่าง",
                                                           "Score; pool."]),
    ("- a\n- b\n\n* c", ["a", "b", "c"]),
    ("(1) หนึ่ง\n(2) สอง", ["หนึ่ง", "สอง"]),
    ("ราคา 1.5 ล้าน 2. ข", ["ราคา 1.5 ล้าน 2. ข"]),   # one number is no list
    ("one paragraph / English", ["one paragraph / English"]),
    ("", []), (None, []), ("  \n ", [])])
def test_points(text, expected):
    assert points(text) == expected


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_cite_api_and_dcat_on_the_page_and_proposal_lists(app, make_record):
    evidence = make_record(name="debt-survey", title='หนี้ครัวเรือน {ลำปาง} "2568"')
    hidden = make_record(name="hidden-one", title="ไม่เปิดเผย", private=True)
    page = app.get("/en/poverty-dataset/debt-survey").body
    assert "Cite this dataset" in page and "@misc{debt-survey," in page
    assert "title = {หนี้ครัวเรือน \\{ลำปาง\\} &#34;2568&#34;}" in page
    assert re.search(r"\(20\d\d\)\. หนี้ครัวเรือน \{ลำปาง\} &#34;2568&#34; \[Data set\]", page)
    assert f"/dataset/{evidence['id']}" in page                     # the permalink
    for fmt in ("rdf", "ttl", "jsonld"):
        assert f"/dataset/debt-survey.{fmt}" in page
    assert "package_show?id=debt-survey" in page and "import requests" in page
    assert "help_show?name=package_show" in page
    assert "Release downloads logged: 0" in page
    thai = app.get("/poverty-dataset/debt-survey").body
    assert re.search(r"\(25\d\d\)\. หนี้ครัวเรือน", thai)        # B.E. in Thai
    assert app.get("/api/3/action/help_show?name=package_show").status_code == 200

    make_record("policy-proposal", name="a-proposal",
                evidence_datasets=["debt-survey", hidden["name"]],
                recommendations="1. พักหนี้ 2. จับคู่ผู้ซื้อ / Pause debt; match buyers.")
    proposal = app.get("/en/policy-proposal/a-proposal").body
    assert 'href="/en/poverty-dataset/debt-survey">หนี้ครัวเรือน' in proposal
    assert "hidden-one" not in proposal and "ไม่เปิดเผย" not in proposal
    listed = re.search(r'<ol class="lp-points[^"]*">(.*?)</ol>', proposal, re.S)
    assert listed and re.findall(r"<li>(.*?)</li>", listed.group(1)) == [
        "พักหนี้", "จับคู่ผู้ซื้อ", "Pause debt; match buyers."]
