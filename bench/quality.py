"""Benchmarks of issue 15 (targets on this 2-core machine):

  1. the daily freshness pass over RECORDS records (default 100,000) within 60 s: records
     with a mix of frequencies and last changes over three years are written straight into
     a database of its own, the pass settles them once, then the passes of the following
     days are timed (each recomputes every record; the records whose status changed are
     reindexed in Solr);
  2. validation of a ROWS-row CSV (default 100,000; Thai text, 8 columns) within 20 s, with
     no schema (structure and inferred types) and against a Table Schema;
  3. link checks never above the configured requests per host per second: two workers at
     once check LINKS links on one loopback host; the server counts the most requests that
     arrived within any one second.
Each is run RUNS times; the median is printed.

    .venv/bin/python bench/quality.py [--records 100000] [--rows 100000] [--links 60]
                                      [--rate 5] [--runs 5]

Needs the test services (started here if needed); uses its own database (ckan_bench_quality)
and site id, so the test data are never touched.
"""
from __future__ import annotations

import argparse
import datetime
import http.server
import io
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import load_stack  # noqa: E402

UNITS = ["ปี"] * 50 + ["ครึ่งปี"] * 10 + ["ไตรมาส"] * 15 + ["เดือน"] * 15 + ["สัปดาห์"] * 4 + \
    ["วัน"] * 2 + ["ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"] * 2 + ["ไม่ทราบ", "", "อื่นๆ"]


def say(message: str) -> None:
    print(message, flush=True)


def bench_ini(stack, env) -> Path:
    db = "ckan_bench_quality"
    stack.psql(env, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    stack.psql(env, f"CREATE DATABASE {db} OWNER {stack.DB_USER} ENCODING 'UTF8' "
                    "TEMPLATE template0")
    ini = env.var / "bench-quality.ini"
    ini.write_text(f"""[app:main]
use = config:{env.ini}
sqlalchemy.url = postgresql://{stack.DB_USER}:{stack.DB_PASSWORD}@127.0.0.1:{env.ports['pg']}/{db}
ckan.site_id = lampangpoverty_bench_quality
""")
    return ini


def ckan(ini: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), *args], check=True,
                   capture_output=True, env=env)


def seed(records: int, now: datetime.datetime) -> None:
    """RECORDS records with one resource each, written with COPY (package_create would take
    an hour), and the quality rows the hooks would have written."""
    from ckan import model

    rng = random.Random(15)
    org = str(uuid.uuid4())
    model.Session.execute(model.group_table.insert().values(
        id=org, name="bench-agency", title="หน่วยงานทดสอบ", type="organization",
        is_organization=True, state="active", approval_status="approved",
        created=now, extras={}))
    packages, resources, quality, rquality = (io.StringIO() for _ in range(4))
    for n in range(records):
        pid, rid = str(uuid.uuid4()), str(uuid.uuid4())
        changed = now - datetime.timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
        extras = {"update_frequency_unit": rng.choice(UNITS)}
        packages.write("\t".join([pid, f"bench-{n:06d}", f"ชุดข้อมูลทดสอบ {n}",
                                  "poverty-dataset", "active", org, "f", changed.isoformat(),
                                  changed.isoformat(), json.dumps(extras, ensure_ascii=False)
                                  .replace("\\", "\\\\")]) + "\n")
        resources.write("\t".join([rid, pid, f"https://data.example.go.th/{n}.csv", "CSV",
                                   "active", changed.isoformat(), "0"]) + "\n")
        # assessed before its last change: the first pass assesses every record
        quality.write("\t".join([pid, "0.6", "[]", "fresh", "{}", "{}",
                                 (changed - datetime.timedelta(days=1)).isoformat()]) + "\n")
        rquality.write("\t".join([rid, pid, f"https://data.example.go.th/{n}.csv",
                                  changed.isoformat(), rng.choice(["valid"] * 9 + ["invalid"]),
                                  rng.choice(["ok"] * 19 + ["broken"]), "{}", "0"]) + "\n")
    raw = model.Session.connection().connection.dbapi_connection
    with raw.cursor() as cur:
        for buffer, table, columns in (
                (packages, "package", "id, name, title, type, state, owner_org, private, "
                                      "metadata_created, metadata_modified, extras"),
                (resources, "resource", "id, package_id, url, format, state, created, "
                                        "position"),
                (quality, "lampangpoverty_package_quality",
                 "package_id, metadata_share, metadata_missing, freshness, freshness_detail, "
                 "parts, computed"),
                (rquality, "lampangpoverty_resource_quality",
                 "resource_id, package_id, url, data_changed, validation, link, link_detail, "
                 "link_failures")):
            buffer.seek(0)
            cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    model.Session.commit()


def bench_pass(records: int, runs: int) -> list[dict]:
    from ckanext.lampangpoverty.lib.clock import utcnow
    from ckanext.lampangpoverty.quality import passes

    now = utcnow()
    say(f"seeding {records:,} records")
    seed(records, now)
    say("first pass (settles the seeded rows; not timed as a daily pass)")
    first = passes.freshness_pass(now, reindex=False)
    say(f"  {first}")
    results = []
    for day in range(1, runs + 1):
        result = passes.freshness_pass(now + datetime.timedelta(days=day))
        say(f"  day +{day}: {result}")
        results.append(result)
    return results


def bench_validation(rows: int, runs: int) -> dict[str, float]:
    from ckanext.lampangpoverty.quality import validation

    rng = random.Random(15)
    header = ["tambon", "village", "age", "sex", "income", "household_size", "name", "note"]
    lines = [",".join(header)]
    for i in range(rows):
        lines.append(f"52{rng.randint(1000, 9999)},{rng.randint(1, 20)},{rng.randint(0, 99)},"
                     f"{'MF'[i % 2]},{rng.random() * 100000:.2f},{rng.randint(1, 9)},"
                     f"ชื่อ{i},หมายเหตุ {i % 7}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    schema = {"fields": [
        {"name": "tambon", "type": "string", "constraints": {"pattern": "^52\\d{4}$"}},
        {"name": "village", "type": "integer"}, {"name": "age", "type": "integer"},
        {"name": "sex", "type": "string", "constraints": {"enum": ["M", "F"]}},
        {"name": "income", "type": "number"}, {"name": "household_size", "type": "integer"},
        {"name": "name", "type": "string"}, {"name": "note", "type": "string"}]}
    from frictionless import Schema

    times: dict[str, list[float]] = {"no schema": [], "table schema": []}
    for _ in range(runs):
        for label, declared in (("no schema", None), ("table schema", schema)):
            start = time.perf_counter()
            head, body, numbers, _sheet = validation.table(data, "bench.csv",
                                                           time.monotonic() + 600)
            report = validation.check(head, body, numbers,
                                      Schema.from_descriptor(declared) if declared else None,
                                      time.monotonic() + 600)
            times[label].append(time.perf_counter() - start)
            assert report["error_count"] == 0, report["errors"][:3]
    say(f"  {len(data) / 1024 ** 2:.1f} MB, {rows:,} rows x {len(header)} columns")
    return {label: statistics.median(values) for label, values in times.items()}


def bench_links(count: int, rate: float, runs: int) -> list[int]:
    """Worst requests-per-second seen by the server, per run."""
    from ckan import model

    from ckanext.lampangpoverty.model import Link, ResourceQuality
    from ckanext.lampangpoverty.quality import links

    hits: list[float] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_HEAD(self):
            hits.append(time.monotonic())
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    pkg = model.Session.query(model.Package).first()
    ids = []
    for n in range(count):
        res = model.Resource(package_id=pkg.id, url=f"{base}/{n}.pdf", format="PDF")
        res.state, res.position = "active", 1000 + n
        model.Session.add(res)
        model.Session.flush()
        model.Session.add(ResourceQuality(resource_id=res.id, package_id=pkg.id, url=res.url,
                                          link=Link.UNCHECKED, link_detail={},
                                          link_failures=0))
        ids.append(res.id)
    model.Session.commit()
    from ckan.common import config

    config["ckanext.lampangpoverty.quality.link_rate"] = rate
    config["ckanext.lampangpoverty.harvest.allowed_hosts"] = ["127.0.0.1"]
    worst = []
    for _ in range(runs):
        hits.clear()
        started = time.monotonic()
        workers = [threading.Thread(target=links.check_job, args=("127.0.0.1", part))
                   for part in (ids[0::2], ids[1::2])]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        took = time.monotonic() - started
        peak = max(sum(1 for t in hits if s <= t < s + 1.0) for s in hits)
        say(f"  {len(hits)} requests in {took:.1f} s, at most {peak} in any second "
            f"(limit {rate:g})")
        worst.append(peak)
    httpd.shutdown()
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--links", type=int, default=60)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), "up", "test"], check=True)
    stack = load_stack()
    env = stack.Env("test")
    ini = bench_ini(stack, env)
    say("preparing the bench database")
    ckan(ini, "db", "upgrade")
    ckan(ini, "search-index", "clear")

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    app._wsgi_app.test_request_context().push()

    say(f"1. daily freshness pass over {args.records:,} records")
    passes_run = bench_pass(args.records, args.runs)
    say(f"2. validation of a {args.rows:,}-row CSV")
    validated = bench_validation(args.rows, args.runs)
    say(f"3. link checks, {args.links} links on one host, two workers, {args.rate:g}/s")
    peaks = bench_links(args.links, args.rate, args.runs)

    seconds = statistics.median(r["seconds"] for r in passes_run)
    say(f"\nresults (median of {args.runs} runs):")
    say(f"  freshness pass, {args.records:,} records: {seconds:.1f} s (target 60 s); "
        f"recompute alone {statistics.median(r['compute_seconds'] for r in passes_run):.1f} s, "
        f"records changed per day {statistics.median(r['changed'] for r in passes_run):.0f}, "
        f"reindexed {statistics.median(r['reindexed'] for r in passes_run):.0f}")
    for label, value in validated.items():
        say(f"  validation, {args.rows:,} rows, {label}: {value:.1f} s (target 20 s)")
    say(f"  link checks: at most {max(peaks)} requests to the host in any second "
        f"(limit {args.rate:g})")


if __name__ == "__main__":
    main()
