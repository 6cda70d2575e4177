"""``ckan lampangpoverty reindex`` reads a batch's records, stored quality and organisation
sectors in a few queries and sends the batch to Solr at once; the documents it leaves in Solr
must be exactly those CKAN's own indexing builds for the same records."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.lib.search.common import make_connection
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.reindex import progress

# Set by Solr itself each time a document is added.
SOLR_OWN = {"_version_", "indexed_ts"}


def _documents() -> dict[str, dict]:
    conn = make_connection(decode_dates=False)
    conn.commit(waitSearcher=True)
    fq = f'+site_id:"{tk.config["ckan.site_id"]}"'
    docs = conn.search("*:*", fq=fq, rows=1000, fl="*").docs
    return {d["id"]: {k: v for k, v in d.items() if k not in SOLR_OWN} for d in docs}


def _varied_records(make_record, organization) -> dict[str, str]:
    """Records unlike each other in what the index reads; name -> id."""
    ngo = factories.Organization(sector="civil_society", title="มูลนิธิเพื่อคนจน")
    thoen = {"type": "Polygon", "coordinates": [[[99.1, 17.4], [99.3, 17.4], [99.3, 17.6],
                                                 [99.1, 17.4]]]}
    made = {
        "thai-resources": make_record(
            name="thai-resources", title="  ครัวเรือนยากจนตำบลล้อมแรด <2568>",
            notes="ข้อมูล **จปฐ.** ของครัวเรือนยากจน\nอำเภอเถิน", area_codes=["520801", "5203"],
            livelihood_capitals=["human", "financial"], tags=[{"name": "ความยากจน"}],
            resources=[{"url": "https://data.example.go.th/a.csv", "format": "CSV",
                        "name": "ตารางครัวเรือน", "description": "รายตำบล"},
                       {"url": "https://data.example.go.th/b.xlsx", "format": "XLSX",
                        "name": "สรุป"}]),
        "private-record": make_record(name="private-record", title="ข้อมูลภายใน",
                                      private=True, area_codes=["5208"]),
        "other-organisation": make_record(name="other-organisation", owner_org=ngo["id"],
                                          area_codes=["520699"]),
        "explicit-extent": make_record(name="explicit-extent", spatial=json.dumps(thoen)),
        "programme": make_record("agency-resource", name="programme", title="ซ่อมบ้านผู้ยากไร้",
                                 budget=1_500_000, fiscal_year="2568"),
        "proposal": make_record("policy-proposal", name="proposal",
                                evidence_datasets=["thai-resources"]),
    }
    made.update(_unusual_records(make_record, organization))
    deleted = make_record(name="deleted-record")
    call_action("package_delete", {"user": factories.Sysadmin()["name"]}, id=deleted["id"])
    return {name: record["id"] for name, record in {**made, "deleted": deleted}.items()}


def _unusual_records(make_record, organization) -> dict[str, dict]:
    """Records with what the forms cannot make but the database may hold: extras left by a
    harvester and its harvest object, a group, vocabulary and deleted tags,
    a deleted resource; and one with no areas."""
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    sysadmin = {"user": factories.Sysadmin()["name"]}
    harvested = make_record(name="harvested", title="บันทึกจากแหล่งอื่น",
                            resources=[{"url": "https://p.example/a.csv", "name": "ก"},
                                       {"url": "https://p.example/b.csv", "name": "ข"}])
    source = call_action("harvest_source_create", sysadmin, name="partner-source",
                         title="แหล่งพันธมิตร", url="https://p.example/api",
                         source_type="lampangpoverty_ckan", owner_org=organization["id"],
                         frequency="MANUAL", config=json.dumps(
                             {"defaults": {"unit_of_observation": "amphoe", "area_codes": ["52"]}}))
    job = call_action("harvest_job_create", sysadmin, source_id=source["id"], run=False)
    model.Session.add(HarvestObject(guid="row-1", job=HarvestJob.get(job["id"]), current=True,
                                    source=HarvestSource.get(source["id"]), content="{}",
                                    package_id=harvested["id"]))
    pkg = model.Package.get(harvested["id"])
    pkg.extras = {**(pkg.extras or {}), "guid": "row-1", "source_url": "https://p.example/1",
                  "หมายเหตุ": "นำเข้าอัตโนมัติ"}
    vocabulary = model.Vocabulary("reindex_test_vocabulary")
    model.Session.add(vocabulary)
    model.Session.flush()
    for name, vocabulary_id, state in (("ลำปาง", vocabulary.id, "active"),
                                       ("เลิกใช้", None, "deleted")):
        tag = model.Tag(name=name, vocabulary_id=vocabulary_id)
        model.Session.add(tag)
        model.Session.add(model.PackageTag(package=pkg, tag=tag, state=state))
    pkg.resources_all[1].state = "deleted"
    model.Session.commit()

    no_areas = make_record("policy-proposal", name="no-areas", title="ข้อเสนอทั้งจังหวัด")
    pkg = model.Package.get(no_areas["id"])
    pkg.extras = {k: v for k, v in (pkg.extras or {}).items() if k != "area_codes"}
    model.Session.commit()
    grouped = make_record(name="grouped", title="ในกลุ่ม")
    factories.Group(name="reindex-group", title="กลุ่มทดสอบ",
                    packages=[{"id": grouped["id"]}])
    return {"harvested": harvested, "harvest-source": source, "no-areas": no_areas,
            "grouped": grouped}


def test_reindex_leaves_the_documents_ckan_builds(request, clean_index, make_record,
                                                  organization):
    records = _varied_records(make_record, organization)
    search.clear_all()
    # CKAN's own indexing, one record at a time, of records read from the database as a
    # command would read them (not the objects this test's session still holds)
    model.Session.remove()
    search.rebuild()
    theirs = _documents()
    assert records["deleted"] not in theirs  # CKAN leaves deleted records out of the index
    assert set(theirs) == set(records.values()) - {records["deleted"]}
    assert theirs[records["private-record"]]["capacity"] == "private"
    assert theirs[records["other-organisation"]]["vocab_sector"] == ["civil_society"]
    # the unusual records are what they mean to be, as CKAN indexes them
    harvested, grouped = theirs[records["harvested"]], theirs[records["grouped"]]
    assert harvested["vocab_reindex_test_vocabulary"] == ["ลำปาง"]
    assert harvested["res_name"] == ["ก"] and harvested["extras_guid"] == "row-1"
    assert "harvest_object_id" in harvested["validated_data_dict"]  # ckanext-harvest's addition
    assert grouped["groups"] == ["reindex-group"]
    assert "vocab_district" not in theirs[records["no-areas"]] or not theirs[
        records["no-areas"]]["vocab_district"]

    search.clear_all()
    ckan = Path(sys.executable).with_name("ckan")
    done = subprocess.run([str(ckan), "-c", request.config.getoption("ckan_ini"),
                           "lampangpoverty", "reindex", "--fresh", "--processes", "2",
                           "--batch-size", "3"], capture_output=True, text=True)
    progress.finish()
    assert done.returncode == 0, done.stdout + done.stderr
    ours = _documents()

    assert set(ours) == set(theirs)
    for id_, doc in theirs.items():
        differing = {k for k in doc.keys() | ours[id_].keys() if doc.get(k) != ours[id_].get(k)}
        assert not differing, (doc["name"], {k: (doc.get(k), ours[id_].get(k))
                                             for k in differing})
