"""Two fetch consumers (one per node) take one source's many records from the shared queue at
once: every record is imported exactly once, none twice, none lost."""
from __future__ import annotations

import json
import re
import time
import uuid
from collections import Counter
from pathlib import Path

RECORDS = 150   # three of the fetch consumers' batches (harvest.fetch_batch, 50)
WAIT = 300

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def catalogue(run: str) -> bytes:
    datasets = "".join(f"""
<https://stat.example.go.th/{run}/{n}> a dcat:Dataset ;
    dct:title "ตัวชี้วัดความยากจน {run} ชุดที่ {n}"@th ;
    dct:description "ข้อมูลจากแค็ตตาล็อก DCAT"@th ;
    dct:identifier "{run}-{n}" ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2024-01-01"^^xsd:date ] ;
    dcat:distribution [ a dcat:Distribution ; dct:title "CSV" ;
        dcat:accessURL <https://stat.example.go.th/files/{n}.csv> ; dct:format "CSV" ] .
""" for n in range(RECORDS))
    return (PREFIXES + datasets).encode("utf-8")


SETTLED = re.compile(r"settled \d+ harvest objects in one transaction: ([\w\- ]*)")


def settled_since(log: Path, offset: int) -> list[str]:
    """The harvest object ids a fetch consumer's log says it settled after ``offset``."""
    with log.open("rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", errors="replace")
    return [i for m in SETTLED.finditer(text) for i in m.group(1).split()]


def test_two_fetch_consumers_import_every_record_once(cluster, _partner_server):
    run = f"h{uuid.uuid4().hex[:6]}"
    url = _partner_server.serve("/catalog.ttl", catalogue(run), content_type="text/turtle")
    for proc in ("harvest-gather", "harvest-fetch-1", "harvest-fetch-2"):
        assert cluster.cl.pid(proc), f"{proc} is not running"
    logs = {proc: cluster.cl.logs / f"{proc}.log" for proc in ("harvest-fetch-1",
                                                                "harvest-fetch-2")}
    offsets = {proc: log.stat().st_size for proc, log in logs.items()}
    res = cluster.api("harvest_source_create", "POST", name=f"cluster-{run}", title=run,
                      url=url, source_type="lampangpoverty_dcat", owner_org=cluster.org,
                      frequency="MANUAL", config=json.dumps({"defaults": {
                          "unit_of_observation": "amphoe", "area_codes": ["5208"]}}))
    assert res.status_code == 200, res.text[:500]
    source = res.json()["result"]
    res = cluster.api("harvest_job_create", "POST", source_id=source["id"], run=True)
    assert res.status_code == 200, res.text[:500]
    job_id = res.json()["result"]["id"]

    def records() -> list[dict]:
        res = cluster.api("package_search", q=run, rows=RECORDS + 50)
        assert res.status_code == 200, res.text[:500]
        return res.json()["result"]["results"]

    deadline = time.monotonic() + WAIT
    while len(records()) < RECORDS and time.monotonic() < deadline:
        time.sleep(2)
    found = records()
    titles = Counter(r["title"] for r in found)
    assert len(titles) == RECORDS and set(titles.values()) == {1}, titles.most_common(3)
    assert len(found) == RECORDS

    # Each of the source's harvest objects imported once: as many added as records, no
    # object errored or imported again as an update.
    job = cluster.api("harvest_job_show", id=job_id).json()["result"]
    stats = job["stats"]
    assert stats.get("added") == RECORDS and sum(stats.values()) == RECORDS, stats
    assert not stats.get("errored") and not stats.get("updated"), stats

    # Both consumers took part, and no object was settled by both.
    took = {proc: settled_since(log, offsets[proc]) for proc, log in logs.items()}
    one, two = (set(ids) for ids in took.values())
    assert one and two, {proc: len(ids) for proc, ids in took.items()}
    assert not one & two, sorted(one & two)[:5]
    assert len(one | two) == sum(len(ids) for ids in took.values()) == RECORDS, \
        {proc: len(ids) for proc, ids in took.items()}
