"""Benchmark of harvesting, end to end: gather, fetch and import through the real Redis
queues and consumers, until every record is indexed and searchable.

    .venv/bin/python bench/harvest.py [--records 1200] [--runs 3] [--rows 0]
                                      [--fetch-consumers 2]

Scenarios, each from job creation to "all records found by package_search":
  1. lampangpoverty_ckan  <- a real local CKAN 2.12 (second instance on loopback) holding
     RECORDS datasets shaped as GD-Catalog (ckanext-thai_gdc) serves them: every GD-Catalog
     field, licence titles, multiple choices, and the values partners really write (years
     in C.E., "-" for empty, tags with parentheses, links in upper case);
  2. ckanext-harvest's own CKAN harvester (``ckan``) on the same portal, same consumers:
     the baseline; the ratio 1/2 is printed;
  3. (with --rows) lampangpoverty_table <- a ROWS-row CSV served on loopback.
Each of 1 and 2 runs RUNS times on a fresh source (the previous one cleared); the medians
are printed. Targets (issue 14, 2-core machine): >= 20 records/s, and no slower than the
baseline.

Needs the test services (python3 bin/stack up test, started here if needed). It uses its own
databases (ckan_bench, ckan_bench_source) and site ids, so the test data is never touched.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import http.server
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import load_stack  # noqa: E402
from tests.harvesters.source_portal import SourcePortal  # noqa: E402

GDC = {"data_type": "ข้อมูลสถิติ", "geo_coverage": "จังหวัด", "update_frequency_unit": "ปี",
       "update_frequency_interval": "1", "data_category": "ข้อมูลสาธารณะ",
       "data_collect": "ไม่มี", "objective": '["ยุทธศาสตร์ชาติ", "พันธกิจหน่วยงาน"]',
       "data_format": '["CSV", "XLS"]', "data_language": '["ไทย"]', "disaggregate": '["เพศ"]',
       "official_statistics": "False", "data_support": "หน่วยงานของรัฐ",
       "unit_of_measure": "ครัวเรือน", "high_value_dataset": "False", "allow_harvest": "True"}
# What partners really write, one variant per record in turn.
VARIANTS = [{"first_year_of_data": "2566"}, {"first_year_of_data": "2023"},
            {"first_year_of_data": "พ.ศ. 2565", "update_frequency_interval": "-"},
            {"first_year_of_data": "2567", "geo_coverage": "ประเทศ",
             "update_frequency_unit": "วันทำการ"}]


def say(message: str) -> None:
    print(message, flush=True)


def bench_ini(stack, env) -> Path:
    db = "ckan_bench"
    stack.psql(env, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    stack.psql(env, f"CREATE DATABASE {db} OWNER {stack.DB_USER} ENCODING 'UTF8' "
                    "TEMPLATE template0")
    ini = env.var / "bench.ini"
    plugins = None
    for line in (ROOT / "config" / "ckan.ini").read_text().split("ckan.plugins =", 1)[1] \
            .splitlines():
        if line and not line[0].isspace() and plugins is not None:
            break
        plugins = (plugins or "") + " " + line.strip()
    ini.write_text(f"""[app:main]
use = config:{env.ini}
sqlalchemy.url = postgresql://{stack.DB_USER}:{stack.DB_PASSWORD}@127.0.0.1:{env.ports['pg']}/{db}
ckan.site_id = lampangpoverty_bench
# ckanext-harvest's own CKAN harvester, the baseline, is loaded here only.
ckan.plugins = {" ".join(plugins.split())} ckan_harvester
""")
    return ini


def ckan(ini: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), *args], check=True,
                   capture_output=True, env=env)


def serve_table(rows: int) -> tuple[str, http.server.HTTPServer]:
    body = ("code,title,amphoe\n" + "".join(
        f"T{i:05d},โครงการช่วยเหลือที่ {i},52{i % 13 + 1:02d}\n" for i in range(rows))
            ).encode("utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/programmes.csv", httpd


def seed_portal(portal: SourcePortal, records: int) -> None:
    portal.call("organization_create", {"name": "bench-agency", "title": "หน่วยงานทดสอบ"})

    def create(n: int) -> None:
        fields = {**GDC, **VARIANTS[n % len(VARIANTS)]}
        portal.call("package_create", {
            "name": f"poverty-{n:05d}", "title": f"ข้อมูลความยากจน ชุดที่ {n}",
            "notes": "ข้อมูลทดสอบความเร็ว", "owner_org": "bench-agency", "license_id": "cc-by",
            "maintainer": "สำนักงานสถิติจังหวัดลำปาง", "maintainer_email": "lampang@nso.go.th",
            "tags": [{"name": "ความยากจน"}, {"name": "ลำปาง"}],   # a plain CKAN refuses "(DOPA)"
            "extras": [{"key": k, "value": v} for k, v in fields.items()],
            "resources": [{"url": f"HTTPS://DATA.EXAMPLE.GO.TH/{n}.csv", "format": "CSV",
                           "name": "ตาราง"},
                          {"url": f"https://data.example.go.th/{n}.xlsx", "format": "XLSX",
                           "name": "ตาราง (Excel)"}]})

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for done, _ in enumerate(pool.map(create, range(records)), start=1):
            if done % 100 == 0:
                say(f"  seeded {done}/{records}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--fetch-consumers", type=int, default=2)
    args = parser.parse_args()

    subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), "up", "test"], check=True)
    stack = load_stack()
    env = stack.Env("test")
    ini = bench_ini(stack, env)
    say("preparing the bench database")
    ckan(ini, "db", "upgrade")
    ckan(ini, "search-index", "clear")
    ckan(ini, "lampangpoverty", "seed-vocabularies")
    say(f"starting a source CKAN and seeding {args.records} datasets")
    portal = SourcePortal(stack, db="ckan_bench_source", site_id="bench_source").start()
    try:
        seed_portal(portal, args.records)
    except BaseException:
        portal.stop()
        raise
    table_url, httpd = serve_table(args.rows)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    app._wsgi_app.test_request_context().push()
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.lampangpoverty.harvesters import schedule

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = lambda: {"user": site_user, "ignore_auth": True}  # noqa: E731

    consumers = []
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    for stage in ["gather"] + ["fetch"] * args.fetch_consumers:
        consumers.append(subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), "lampangpoverty",
             "harvest-consumer", stage], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=run_env, start_new_session=True))
    time.sleep(5)

    def scenario(label: str, harvester: str, url: str, config: str, expected: int,
                 name: str) -> tuple[float, str, str]:
        org = tk.get_action("organization_create")(context(), {
            "name": f"bench-{name}", "sector": "government"})
        source = tk.get_action("harvest_source_create")(context(), {
            "name": f"src-{name}", "title": label, "url": url,
            "source_type": harvester, "owner_org": org["id"], "config": config})
        return run(label, source["id"], org["id"], expected), source["id"], org["id"]

    def clear(source_id: str, org_id: str) -> None:
        """Remove a run's source and records, so that the next run harvests afresh."""
        tk.get_action("harvest_source_clear")(context(), {"id": source_id})
        tk.get_action("harvest_source_delete")(context(), {"id": source_id, "clear": True})
        model.Session.remove()

    def run(label: str, source_id: str, org_id: str, expected: int) -> float:
        """Time from job creation until the job is finished and every record searchable."""
        start = time.perf_counter()
        job = tk.get_action("harvest_job_create")(context(), {"source_id": source_id})
        found, last, status = 0, -1, {}
        while True:
            time.sleep(1)
            schedule.run_pass(site_user)
            found = tk.get_action("package_search")(context(), {
                "fq": f"owner_org:{org_id}", "rows": 0, "include_private": True})["count"]
            if found != last:
                say(f"  {label}: {found}/{expected} searchable after "
                    f"{time.perf_counter() - start:.0f} s")
                last = found
            status = tk.get_action("lampangpoverty_harvest_job_summary")(
                context(), {"id": job["id"]})
            if status["status"] == "Finished" and (found >= expected
                                                   or status["outcome"] == "failed"):
                break
        elapsed = time.perf_counter() - start
        rate = found / elapsed
        say(f"{label:<44} {found:>6} records {elapsed:8.1f} s {rate:8.1f} records/s  "
            f"{status.get('counts', '')}")
        return rate

    ckan_config = ('{"defaults": {"unit_of_observation": "amphoe", "area_codes": ["52"]}}')
    try:
        ours, baseline = [], []
        for number in range(1, args.runs + 1):
            rate, source_id, org_id = scenario(
                f"lampangpoverty_ckan <- local CKAN (run {number})", "lampangpoverty_ckan",
                portal.url, ckan_config, args.records, f"ours-{number}")
            ours.append(rate)
            if number == 1:
                run("lampangpoverty_ckan again (nothing changed)", source_id, org_id,
                    args.records)
            clear(source_id, org_id)
            rate, source_id, org_id = scenario(
                f"ckanext-harvest CKAN harvester (run {number})", "ckan", portal.url, "{}",
                args.records, f"baseline-{number}")
            baseline.append(rate)
            clear(source_id, org_id)
        say(f"lampangpoverty_ckan, records/s per run: {', '.join(f'{r:.1f}' for r in ours)}"
            f"; median {statistics.median(ours):.1f} (target >= 20)")
        say(f"ckanext-harvest CKAN harvester, records/s per run: "
            f"{', '.join(f'{r:.1f}' for r in baseline)}; median "
            f"{statistics.median(baseline):.1f}")
        say(f"ratio of the medians, ours / baseline: "
            f"{statistics.median(ours) / statistics.median(baseline):.2f} (target >= 1)")
        if args.rows:
            rate, _source, _org = scenario(
                f"lampangpoverty_table <- {args.rows}-row CSV", "lampangpoverty_table",
                table_url, '{"type": "agency-resource", "key": "code", "fields": '
                '{"title": "title", "area_codes": "amphoe"}, "defaults": '
                '{"programme_kind": "housing_repair", "eligibility": "ครัวเรือนยากจน", '
                '"programme_status": "open"}}', args.rows, "table")
            say(f"lampangpoverty_table: {rate:.1f} records/s")
    finally:
        for proc in consumers:
            os.killpg(proc.pid, signal.SIGTERM)
        portal.stop()
        httpd.shutdown()


if __name__ == "__main__":
    main()
