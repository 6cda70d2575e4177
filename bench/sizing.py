"""Per-node figures for the sizing table of README "Scaling out" (issue 18), measured on the
test services of one machine:

    .venv/bin/python bench/sizing.py [--counts 2500,5000,10000] [--runs 3] [--seconds 20]

1. Solr, at each record count of COUNTS (the demo content copied in SQL up to the largest
   count, as bench/reindex.py does; each step indexes exactly COUNT records with ``ckan
   lampangpoverty reindex --fresh`` into a core of its own with config/solr/): the index size
   on disk (and per 10,000 records), the heap in use (the lowest of several samples, so
   close to the live set after a collection), and for a fixed set of API searches (Thai
   text, a district filter, facets, page 2) their p50/p95 through CKAN and the mean time
   Solr spent on the queries CKAN sent for them (Solr's /select request and time counters,
   differences over the set).
2. Web, at the largest count: requests/s of the mixed load of bench/vs_vanilla.py (40%
   search pages, 40% dataset pages, 20% API; 20 clients) served by gunicorn with 1 and with
   2 synchronous workers, RUNS rounds alternating, and the requests/s per worker.
Prints each step, then the medians and the figures the table uses. Uses its own database
(ckan_bench_sizing, copied from ckan_bench_sizing_demo, which the first run seeds and
later runs reuse: drop it after a change to the demo content), site id and Solr core, so test
data are never touched.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Served, ckan, fresh_database, portal_ini, say, timed_ckan  # noqa: E402
from bench.reindex import copy_records  # noqa: E402
from bench.vs_vanilla import Site, dataset_paths, find_district, mixed_load  # noqa: E402
from tests.conftest import load_stack  # noqa: E402

CORE = "ckan_bench_sizing"
DB = "ckan_bench_sizing"
DEMO_DB = "ckan_bench_sizing_demo"
SITE_ID = "lampangpoverty_bench_sizing"
# The searches whose Solr time is measured: what the portal's users and API clients ask.
SEARCHES = [{"q": "ความยากจน"}, {"q": "ข้อมูล", "rows": 20},
            {"q": "รายได้ ครัวเรือน"}, {"q": "", "start": 20},
            {"q": "", "facet.field": '["organization", "tags", "res_format", "license_id"]'},
            {"q": "สุขภาพ", "sort": "metadata_modified desc"}]


# ------------------------------------------------------------------------------- Solr

def solr_base(env) -> str:
    return f"http://127.0.0.1:{env.ports['solr']}/solr"


def solr_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=300) as answer:
        return json.loads(answer.read())


def own_core(env) -> str:
    """A core with the platform's configset (config/solr/), created once; its URL."""
    base = solr_base(env)
    status = solr_json(f"{base}/admin/cores?action=STATUS&core={CORE}&wt=json")
    if not status["status"].get(CORE, {}).get("name"):
        conf = env.var / "solr" / CORE / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        for f in (ROOT / "config" / "solr").iterdir():
            if f.is_file() and f.name != "README.md":
                shutil.copy2(f, conf / f.name)
        query = urllib.parse.urlencode({"action": "CREATE", "name": CORE,
                                        "instanceDir": str(conf.parent), "wt": "json"})
        solr_json(f"{base}/admin/cores?{query}")
    return f"{base}/{CORE}"


def index_figures(env) -> dict[str, float]:
    """Documents and index bytes of the core (after the reindex's commit)."""
    core = solr_json(f"{solr_base(env)}/admin/cores?action=STATUS&core={CORE}&wt=json")
    index = core["status"][CORE]["index"]
    return {"docs": index["numDocs"], "bytes": index["sizeInBytes"]}


def heap_used_mb(env) -> float:
    metrics = solr_json(f"{solr_base(env)}/admin/metrics?group=jvm&prefix=memory.heap.used"
                        "&wt=json")
    return metrics["metrics"]["solr.jvm"]["memory.heap.used"] / 2**20


def select_totals(env) -> tuple[int, int]:
    """Requests and total nanoseconds of the core's /select handler (counters since the core
    was created; a reload does not reset them, so a step takes differences)."""
    metrics = solr_json(f"{solr_base(env)}/admin/metrics?group=core&prefix=QUERY./select."
                        "&wt=json")
    handler = metrics["metrics"][f"solr.core.{CORE}"]
    return handler["QUERY./select.requests"], handler["QUERY./select.totalTime"]


# ----------------------------------------------------------------------------- records

def keep_active(stack, env, count: int) -> None:
    """Exactly ``count`` records active (the first by a fixed order), the rest deleted."""
    stack.psql(env, "UPDATE package p SET state = CASE WHEN s.rn <= "
                    f"{count} THEN 'active' ELSE 'deleted' END FROM bench_sizing_order s "
                    "WHERE s.id = p.id", db=DB)


def prepare(stack, env, largest: int) -> tuple[Path, int]:
    """The bench database with about ``largest`` records; its ini and the demo's count. The
    demo content is seeded once into DEMO_DB (kept for later runs) and copied from it."""
    extra = (f"testing = false\nsolr_url = {own_core(env)}\n"
             "ckanext.lampangpoverty.api.rate_limit = 1000000/minute\n")
    if stack.psql(env, f"SELECT 1 FROM pg_database WHERE datname = '{DEMO_DB}'") != "1":
        say("preparing the demo database once (migrations, vocabularies, demo content)")
        demo_ini = portal_ini(stack, env, DEMO_DB, SITE_ID, "bench-sizing-demo.ini", extra)
        ckan(demo_ini, "db", "upgrade")
        ckan(demo_ini, "lampangpoverty", "seed-vocabularies")
        ckan(demo_ini, "lampangpoverty", "seed-demo")
    ini = portal_ini(stack, env, DB, SITE_ID, "bench-sizing.ini", extra)
    fresh_database(stack, env, DB, template=DEMO_DB)
    demo = int(stack.psql(env, "SELECT count(*) FROM package WHERE state = 'active' AND "
                               "type <> 'harvest'", db=DB))
    total = copy_records(ini, largest)
    stack.psql(env, "CREATE TABLE bench_sizing_order AS SELECT id, row_number() OVER "
                    "(ORDER BY md5(id)) AS rn FROM package WHERE state = 'active' AND "
                    "type <> 'harvest'", db=DB)
    say(f"{demo} demo records, copied up to {total:,}")
    return ini, demo


def search_set(site: Site, rng: random.Random) -> list[str]:
    paths = []
    for params in SEARCHES:
        query = dict(params)
        if rng.random() < 0.5:
            district = urllib.parse.parse_qs(site.district_path.split("?", 1)[1])
            query["fq"] = " ".join(f'{k}:"{v[0]}"' for k, v in district.items())
        paths.append("/api/3/action/package_search?" + urllib.parse.urlencode(query))
    return paths


def solr_step(stack, env, site: Site, count: int, reps: int) -> dict[str, float]:
    keep_active(stack, env, count)
    seconds, _out = timed_ckan(site.ini, "lampangpoverty", "reindex", "--fresh")
    figures = {"reindex s": seconds, **index_figures(env)}
    rng, heap, took = random.Random(count), [], []
    for path in search_set(site, rng):          # the first searches after a reindex: not counted
        site.get(path)
    before = select_totals(env)
    for _rep in range(reps):
        for path in search_set(site, rng):
            answered, status = site.get(path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            took.append(answered)
        heap.append(heap_used_mb(env))
    after = select_totals(env)
    took.sort()
    figures.update(heap_mb=min(heap), p50_ms=statistics.median(took) * 1000,
                   p95_ms=took[int(len(took) * 0.95)] * 1000, queries=after[0] - before[0],
                   solr_ms=(after[1] - before[1]) / max(after[0] - before[0], 1) / 1e6)
    say(f"{figures['docs']:>8,.0f} records: index {figures['bytes'] / 2**20:7.1f} MB "
        f"({figures['bytes'] / 2**20 / figures['docs'] * 10_000:.1f} MB per 10,000), heap in "
        f"use {figures['heap_mb']:.0f} MB, API search p50 {figures['p50_ms']:.0f} ms, p95 "
        f"{figures['p95_ms']:.0f} ms, Solr mean {figures['solr_ms']:.1f} ms over "
        f"{figures['queries']:.0f} Solr queries; reindex "
        f"{figures['reindex s']:.0f} s; load average {os.getloadavg()[0]:.1f}")
    return figures


# ---------------------------------------------------------------------------------- web

def web_rounds(site: Site, log_dir: Path, runs: int, seconds: float) -> dict[int, list[float]]:
    """Mixed-load requests/s with 1 and 2 gunicorn workers, RUNS rounds each."""
    rates: dict[int, list[float]] = {1: [], 2: []}
    for run in range(1, runs + 1):
        for workers in (1, 2) if run % 2 else (2, 1):
            site.server = Served(site.ini, workers, log_dir / f"bench-sizing-{workers}.log")
            try:
                for path in search_set(site, random.Random(0)):      # warm the workers
                    site.get(path)
                rate, p95, errors = mixed_load(site, seconds, seed=run)
            finally:
                site.server.stop()
            rates[workers].append(rate)
            say(f"round {run}, {workers} worker(s): {rate:.1f} requests/s, p95 "
                f"{p95 * 1000:.0f} ms, {errors} errors; load average {os.getloadavg()[0]:.1f}")
    return rates


def report(steps: list[dict[str, float]], rates: dict[int, list[float]], demo: int) -> None:
    say("\nSolr, one core (one shard) on this machine:")
    say(f"{'records':>10}{'index MB':>10}{'MB/10k':>8}{'heap MB':>9}{'Solr ms':>9}"
        f"{'API p50':>9}{'API p95':>9}")
    for s in steps:
        mb = s["bytes"] / 2**20
        say(f"{s['docs']:>10,.0f}{mb:>10.1f}{mb / s['docs'] * 10_000:>8.1f}"
            f"{s['heap_mb']:>9.0f}{s['solr_ms']:>9.1f}{s['p50_ms']:>9.0f}{s['p95_ms']:>9.0f}")
    largest = steps[-1]
    per_doc = largest["bytes"] / largest["docs"]
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    say(f"\nweb, mixed load at {largest['docs']:,.0f} records (medians of {len(rates[1])}): "
        f"1 worker {one:.1f} requests/s, 2 workers {two:.1f} requests/s "
        f"({two / 2:.1f} per worker; 2 workers / 1 worker = {two / one:.2f} on "
        f"{os.cpu_count()} cores)")
    say(f"load average {os.getloadavg()[0]:.1f}")
    say(f"sizing figures: demo records {demo}; index {per_doc * 10_000 / 2**20:.1f} MB per "
        f"10,000 records; Solr mean {steps[0]['solr_ms']:.1f} -> {largest['solr_ms']:.1f} ms "
        f"from {steps[0]['docs']:,.0f} to {largest['docs']:,.0f} records; "
        f"{one:.1f} requests/s per web worker (1 worker per core)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", default="2500,5000,10000",
                        help="record counts to index, ascending")
    parser.add_argument("--runs", type=int, default=3, help="rounds of the web load")
    parser.add_argument("--seconds", type=float, default=20, help="of each mixed load")
    parser.add_argument("--reps", type=int, default=10, help="of the search set per count")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))

    subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), "up", "test"], check=True)
    stack = load_stack()
    env = stack.Env("test")
    ini, demo = prepare(stack, env, counts[-1])
    site = Site("ours", ini, ())
    steps = []
    site.server = Served(ini, 2, env.logs / "bench-sizing-solr.log")
    try:
        site.district_path = find_district(site)
        for count in counts:
            steps.append(solr_step(stack, env, site, count, args.reps))
    finally:
        site.server.stop()
    # Dataset pages of the records active now (the largest count).
    sample = dataset_paths(stack, env, DB, 50)
    site.dataset_paths = [f"/{kind}/{name}" for kind, name in sample]
    rates = web_rounds(site, env.logs, args.runs, args.seconds)
    report(steps, rates, demo)


if __name__ == "__main__":
    main()
