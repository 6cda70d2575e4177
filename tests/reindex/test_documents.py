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
    deleted = make_record(name="deleted-record")
    call_action("package_delete", {"user": factories.Sysadmin()["name"]}, id=deleted["id"])
    return {name: record["id"] for name, record in {**made, "deleted": deleted}.items()}


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
