"""Thai throughout, English at /en/: every page type a reader meets, in both languages, as
a visitor and as a sysadmin (who sees every form and admin page), with no interface string
of the other language. User content (the titles, descriptions and names the test gives)
is left out; everything else on the page is ours, core's or an extension's, and must be
translated."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ..conftest import REQUIRED, passed_release
from .crawl import interface_text, wrong_language

ORG_TITLE = "หน่วยงานทดสอบการแปล"
DATASET_TITLE = "ข้อมูลทดสอบหน้าภาษาไทย"
RESOURCE_NAME = "ตารางทดสอบ"


@pytest.fixture
def site(clean_db, clean_index):
    admin = factories.Sysadmin(name="crawl-admin", fullname="ผู้ดูแลทดสอบ")
    token = factories.APIToken(user=admin["name"])["token"]
    org = factories.Organization(name="crawl-org", title=ORG_TITLE, sector="government",
                                 description="คำอธิบายหน่วยงาน")
    context = {"user": admin["name"]}
    base = {"owner_org": org["id"]}
    dataset = tk.get_action("package_create")(context, {
        **base, **REQUIRED["poverty-dataset"], "type": "poverty-dataset",
        "name": "crawl-dataset", "title": DATASET_TITLE, "area_codes": ["520501"],
        "resources": [{"name": RESOURCE_NAME, "url": "http://127.0.0.1:9/a.csv",
                       "format": "CSV"}]})
    programme = tk.get_action("package_create")(context, {
        **base, **REQUIRED["agency-resource"], "type": "agency-resource",
        "name": "crawl-programme", "title": "โครงการทดสอบ"})
    proposal = tk.get_action("package_create")(context, {
        **base, **REQUIRED["policy-proposal"], "type": "policy-proposal",
        "name": "crawl-proposal", "title": "ข้อเสนอทดสอบ",
        "issuing_agencies": [org["name"]]})
    source = tk.get_action("harvest_source_create")(context, {
        "name": "crawl-source", "title": "แหล่งเก็บเกี่ยวทดสอบ", "url": "http://127.0.0.1:9/api",
        "source_type": "lampangpoverty_ckan", "owner_org": org["id"], "frequency": "MANUAL",
        "config": json.dumps({"defaults": {"unit_of_observation": "amphoe",
                                            "area_codes": ["52"]}})})
    content = [ORG_TITLE, DATASET_TITLE, RESOURCE_NAME, "คำอธิบายหน่วยงาน", "ผู้ดูแลทดสอบ",
               "โครงการทดสอบ", "ข้อเสนอทดสอบ", "แหล่งเก็บเกี่ยวทดสอบ",
               *(v for r in REQUIRED.values() for v in r.values() if isinstance(v, str)),
               admin["name"], admin["email"], org["name"], "crawl-dataset", "crawl-programme",
               "crawl-proposal", "crawl-source", dataset["id"], programme["id"],
               proposal["id"], source["id"]]
    # Official names of licences (legal texts) and the configured site title are content too.
    content += [lic["title"] for lic in tk.get_action("license_list")({}, {})
                if lic["id"] != "notspecified"]
    # The harvest source's configuration (JSON typed by its admin) and the user's "about".
    content += [json.dumps({"defaults": {"unit_of_observation": "amphoe",
                                                        "area_codes": ["52"]}}),
                admin.get("about") or ""]
    # The column names a publisher types in a table's header, quoted in a help text.
    content += [tk.config["ckan.site_title"], "งาว",
                "area_code, year, indicator, value, unit, source"]
    # A submission the gate passed, for its report page (what the gate's job would leave).
    release = passed_release(dataset["id"], admin["name"])
    content += ["survey.csv", release.id]
    return {"token": token, "dataset": dataset, "source": source, "content": content,
            "microdata": release.id}


TYPE_SLUGS = ("Poverty-Dataset", "Agency-Resource", "Policy-Proposal")


def pages(s: dict) -> dict[str, list[str]]:
    """Page type -> URLs, for a visitor and for the sysadmin."""
    resource = s["dataset"]["resources"][0]["id"]
    visitor = [
        "/", "/dataset/", "/poverty-dataset/", "/agency-resource/", "/policy-proposal/",
        "/poverty-dataset/?q=งาว", "/poverty-dataset/crawl-dataset",
        f"/poverty-dataset/crawl-dataset/resource/{resource}", "/agency-resource/crawl-programme",
        "/policy-proposal/crawl-proposal", "/organization/", "/organization/crawl-org",
        "/group/", "/about", "/user/login", "/user/register", "/area/", "/area/5205",
        "/harvest/", "/no-such-page", "/poverty-dataset/edit/crawl-dataset",
    ]
    admin = [
        "/poverty-dataset/new", "/poverty-dataset/edit/crawl-dataset",
        "/agency-resource/new", "/policy-proposal/new", "/organization/new",
        "/organization/edit/crawl-org", f"/poverty-dataset/crawl-dataset/resource/{resource}/edit",
        "/dataset/activity/crawl-dataset", "/harvest/new", "/harvest/crawl-source",
        "/harvest/edit/crawl-source", "/harvest/admin/crawl-source", "/user/crawl-admin",
        "/dashboard/datasets", "/user/", "/ckan-admin/",
        # the disclosure gate and access to releases
        "/lampangpoverty/dataset/crawl-dataset/microdata/new",
        f"/lampangpoverty/microdata/{s['microdata']}",
        "/lampangpoverty/access/mine", "/lampangpoverty/access/queue",
    ]
    return {"visitor": visitor, "sysadmin": admin}


def test_every_page_is_in_the_readers_language(app, site):
    findings: list[str] = []
    checked = 0
    for who, urls in pages(site).items():
        headers = {"Authorization": site["token"]} if who == "sysadmin" else {}
        for url in urls:
            for lang, prefix in (("th", ""), ("en", "/en")):
                res = app.get(prefix + url, headers=headers, status=None)
                assert res.status_code < 500, (prefix + url, res.status_code)
                if res.status_code in (301, 302):
                    continue
                checked += 1
                body = res.get_data(as_text=True)
                pieces = interface_text(body, site["content"])
                findings += [f"{lang} {who} {prefix + url}: {p!r}"
                             for p in wrong_language(pieces, lang)]
                # core title-cases a dataset type as its label; English says it in words
                findings += [f"{lang} {who} {prefix + url}: {label!r}" for label in TYPE_SLUGS
                             if label in body]
    assert checked > 60
    assert findings == [], "strings in the other language:\n" + "\n".join(findings)
