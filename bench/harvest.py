"""Benchmark of harvesting, end to end: gather, fetch and import through the real Redis
queues and consumers, until every record is indexed and searchable.

    .venv/bin/python bench/harvest.py [--records 1200] [--runs 3] [--rows 0]
                                      [--fetch-consumers 2] [--no-baseline]
                                      [--profile DIR]

Scenarios, each from job creation to "job finished, its records found by package_search":
  1. lampangpoverty_ckan  <- a real local CKAN 2.12 (second instance on loopback) holding
     RECORDS datasets shaped as GD-Catalog (ckanext-thai_gdc) serves them: every GD-Catalog
     field, licence titles, multiple choices, and the values partners really write (years
     in C.E., "-" for empty, tags with parentheses, links in upper case); our consumers
     (`ckan lampangpoverty harvest-consumer`) and scheduler pass, into this portal;
  2. the baseline: ckanext-harvest's own CKAN harvester (``ckan``) on the same peer, with
     ckanext-harvest's own consumers (`ckan harvester gather-consumer/fetch-consumer`, as many
     fetch consumers, restarted when they exit as supervisord would: they exit after five idle
     seconds under redis-py 8) and `harvest_jobs_run`, into a vanilla CKAN 2.12 (plugins activity,
     harvest, ckan_harvester; its own database, site id and Redis queues). It cannot harvest
     into this portal: it copies the remote type ``dataset``, which our schemas do not have.
     The vanilla target validates and maps nothing, so it is the fastest a CKAN harvest can
     be on this machine; the ratio 1/2 is printed;
  3. (with --rows) lampangpoverty_table <- a ROWS-row CSV served on loopback.
With --profile, py-spy samples our consumers during our runs and writes their stacks
(collapsed, one file per process) to DIR; `bench/stacks.py DIR` sums them by stage.
Each of 1 and 2 runs RUNS times in turn on a fresh source (the previous one cleared); the
medians are printed. Targets (issue 14, 2-core machine): >= 20 records/s, and no slower than
the baseline.

Needs the test services (python3 bin/stack up test, started here if needed). It uses its own
databases (ckan_bench, ckan_bench_source, ckan_bench_vanilla) and site ids, so the test data
is never touched.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import http.server
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ckan, portal_ini, say  # noqa: E402
from tests.conftest import load_stack  # noqa: E402
from tests.harvesters.source_portal import SourcePortal  # noqa: E402

GDC = {"data_type": "ข้อมูลสถิติ", "geo_coverage": "จังหวัด", "update_frequency_unit": "ปี",
       "update_frequency_interval": "1", "data_category": "ข้อมูลสาธารณะ",
       "data_collect": "ไม่มี", "objective": '["ยุทธศาสตร์ชาติ", "พันธกิจหน่วยงาน"]',
       "data_format": '["CSV", "XLS"]', "data_language": '["ไทย"]', "disaggregate": '["เพศ"]',
       "official_statistics": "False", "data_support": "หน่วยงานของรัฐ",
       "unit_of_measure": "ครัวเรือน", "high_value_dataset": "False", "allow_harvest": "True"}
# The fetch consumer's log line per batch (harvesters/batch.py).
STATEMENTS = re.compile(r"batch of \d+ harvest objects, (\d+) imported: (\d+) SQL statements")
# What partners really write, one variant per record in turn.
VARIANTS = [{"first_year_of_data": "2566"}, {"first_year_of_data": "2023"},
            {"first_year_of_data": "พ.ศ. 2565", "update_frequency_interval": "-"},
            {"first_year_of_data": "2567", "geo_coverage": "ประเทศ",
             "update_frequency_unit": "วันทำการ"}]


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


def stage_of(args: list[str]) -> str:
    """gather or fetch (ours), else the command's last word (ckanext-harvest's)."""
    if "harvest-consumer" in args:
        return args[args.index("harvest-consumer") + 1]
    return args[-1]


def start_consumers(ini: Path, commands: list[list[str]], restart: bool = False,
                    logs: Path | None = None) -> list[subprocess.Popen]:
    """Start each consumer command in a process group of its own; with ``restart``, started
    again whenever it exits, as supervisord's autorestart does in production; with ``logs``,
    each one's output to a file of that folder."""
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    argv = [[str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), *command]
            for command in commands]
    if restart:
        argv = [["sh", "-c", 'while :; do "$@"; done', "consumer", *args] for args in argv]
    processes = []
    for number, args in enumerate(argv):
        output = subprocess.DEVNULL if logs is None else open(
            logs / f"bench-consumer-{number}-{stage_of(args)}.log", "wb")
        processes.append(subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT,
                                          env=run_env, start_new_session=True))
    return processes


def wait_ready(logs: Path, count: int, timeout: float = 300) -> None:
    """Wait until ``count`` of our consumers say they wait for work: a consumer starting up
    (CKAN loading every plugin takes seconds, tens of them on a loaded machine) is not part
    of a harvest, which long-running consumers pick up at once in production."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = sum(f.read_text(errors="replace").count("consumer waiting on")
                    for f in logs.glob("bench-consumer-*.log"))
        if ready >= count:
            return
        time.sleep(1)
    say(f"  warning: not all {count} consumers were ready after {timeout:.0f} s")


def cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """CPU time (user + system) used so far by the consumers: every process of their
    sessions, and the children they already reaped (a restarted consumer)."""
    sessions = {proc.pid for proc in processes}
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in sessions:      # fields from "state": 3 = session id
            total += sum(int(value) for value in fields[11:15])   # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def wait_for(label: str, expected: int, step,
             consumers: list[subprocess.Popen]) -> tuple[float, float]:
    """Call ``step()`` -> (records found, job finished?) every second until the job is
    finished; print progress; return records per second from the first call, and the
    consumers' CPU milliseconds per record (a figure the machine's other load hardly
    changes)."""
    start, cpu = time.perf_counter(), cpu_seconds(consumers)
    found, last = 0, -1
    while True:
        time.sleep(1)
        found, finished = step()
        if found != last:
            say(f"  {label}: {found}/{expected} searchable after "
                f"{time.perf_counter() - start:.0f} s")
            last = found
        if finished:
            break
    elapsed = time.perf_counter() - start
    cpu_ms = (cpu_seconds(consumers) - cpu) * 1000 / max(found, 1)
    say(f"{label:<48} {found:>6} records {elapsed:8.1f} s {found / elapsed:8.1f} records/s "
        f"{cpu_ms:8.0f} consumer CPU ms/record")
    if found < expected:
        say(f"  warning: {expected - found} records were not imported")
    return found / elapsed, cpu_ms


class Ours:
    """This portal, in process: our harvester, consumers and scheduler pass."""

    def __init__(self, ini: Path, fetch_consumers: int):
        from ckan.cli import load_config
        from ckan.config.middleware import make_app

        app = make_app(load_config(str(ini)))
        app._wsgi_app.test_request_context().push()
        import ckan.plugins.toolkit as tk

        self.tk = tk
        self.site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        self.logs = logs = ini.parent / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for old in logs.glob("bench-consumer-*.log"):
            old.unlink()
        # As `make run` and the compose file start them: one gather consumer and one fetch
        # command running FETCH_CONSUMERS processes (harvest.fetch_consumers).
        self.consumers = start_consumers(ini, [
            ["lampangpoverty", "harvest-consumer", "gather"],
            ["lampangpoverty", "harvest-consumer", "fetch", "--processes", str(fetch_consumers)]],
            logs=logs)
        wait_ready(logs, 1 + fetch_consumers)

    def action(self, name: str, data: dict) -> dict:
        return self.tk.get_action(name)({"user": self.site_user, "ignore_auth": True}, data)

    def source(self, name: str, harvester: str, url: str, config: str) -> tuple[str, str]:
        org = self.action("organization_create", {"name": f"bench-{name}",
                                                  "sector": "government"})
        source = self.action("harvest_source_create", {
            "name": f"src-{name}", "title": name, "url": url, "source_type": harvester,
            "owner_org": org["id"], "config": config})
        return source["id"], org["id"]

    def run(self, label: str, source_id: str, org_id: str,
            expected: int) -> tuple[float, float]:
        from ckanext.lampangpoverty.harvesters import schedule

        job = self.action("harvest_job_create", {"source_id": source_id})
        offsets = {f: f.stat().st_size for f in self.logs.glob("bench-consumer-*-fetch.log")}

        def step() -> tuple[int, bool]:
            schedule.run_pass(self.site_user)
            found = self.action("package_search", {"fq": f"owner_org:{org_id}", "rows": 0,
                                                   "include_private": True})["count"]
            status = self.action("lampangpoverty_harvest_job_summary", {"id": job["id"]})
            return found, status["status"] == "Finished"
        result = wait_for(label, expected, step, self.consumers)
        objects = statements = 0
        for log, offset in offsets.items():
            with log.open("rb") as f:
                f.seek(offset)
                for match in STATEMENTS.finditer(f.read().decode(errors="replace")):
                    objects += int(match[1])
                    statements += int(match[2])
        if objects:
            say(f"  SQL statements of the fetch consumers' batches: {statements} for {objects} "
                f"records imported, {statements / objects:.1f} per record")
        return result

    def clear(self, source_id: str) -> None:
        """Remove a run's source and records, so that the next run harvests afresh."""
        from ckan import model

        self.action("harvest_source_clear", {"id": source_id})
        self.action("harvest_source_delete", {"id": source_id, "clear": True})
        # Purged: a deleted source still holds its URL and config against the next one.
        self.action("dataset_purge", {"id": source_id})
        model.Session.remove()


class Vanilla:
    """The baseline: a vanilla CKAN 2.12 with ckanext-harvest, driven through its API."""

    def __init__(self, stack, fetch_consumers: int):
        self.portal = SourcePortal(stack, db="ckan_bench_vanilla", site_id="bench_vanilla",
                                   plugins=("activity", "harvest", "ckan_harvester")).start()
        # ckanext-harvest 1.6.3's consumers exit after five idle seconds under redis-py 8
        # (see harvesters/queue.py): restarted as a supervisor would.
        self.consumers = start_consumers(self.portal.ini, [["harvester", "gather-consumer"]] + [
            ["harvester", "fetch-consumer"]] * fetch_consumers, restart=True)

    def source(self, name: str, url: str) -> tuple[str, str]:
        org = self.portal.call("organization_create", {"name": f"bench-{name}"})
        source = self.portal.call("harvest_source_create", {
            "name": f"src-{name}", "title": name, "url": url, "source_type": "ckan",
            "owner_org": org["id"], "config": "{}"})
        return source["id"], org["id"]

    def run(self, label: str, source_id: str, org_id: str,
            expected: int) -> tuple[float, float]:
        job = self.portal.call("harvest_job_create", {"source_id": source_id})

        def step() -> tuple[int, bool]:
            self.portal.call("harvest_jobs_run", {})
            found = self.portal.call("package_search", {
                "fq": f"owner_org:{org_id}", "rows": 0, "include_private": True})["count"]
            status = self.portal.call("harvest_job_show", {"id": job["id"]})["status"]
            return found, status == "Finished"
        return wait_for(label, expected, step, self.consumers)

    def clear(self, source_id: str) -> None:
        self.portal.call("harvest_source_clear", {"id": source_id})
        self.portal.call("harvest_source_delete", {"id": source_id, "clear": True})
        self.portal.call("dataset_purge", {"id": source_id})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--fetch-consumers", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true",
                        help="only our harvester (for profiling)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="py-spy our consumers' stacks into this folder")
    args = parser.parse_args()

    subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), "up", "test"], check=True)
    stack = load_stack()
    env = stack.Env("test")
    ini = portal_ini(stack, env, "ckan_bench", "lampangpoverty_bench", "bench.ini")
    say("preparing the bench database")
    ckan(ini, "db", "upgrade")
    ckan(ini, "search-index", "clear")
    ckan(ini, "lampangpoverty", "seed-vocabularies")
    say(f"starting a source CKAN and seeding {args.records} datasets")
    portal = SourcePortal(stack, db="ckan_bench_source", site_id="bench_source").start()
    stoppable: list = [portal]
    consumers: list[subprocess.Popen] = []
    table_url, httpd = serve_table(args.rows)
    try:
        seed_portal(portal, args.records)
        vanilla = None
        if not args.no_baseline:
            say("starting the baseline: a vanilla CKAN with ckanext-harvest")
            vanilla = Vanilla(stack, args.fetch_consumers)
            stoppable.append(vanilla.portal)
            consumers += vanilla.consumers
        ours = Ours(ini, args.fetch_consumers)
        consumers += ours.consumers
        time.sleep(5)
        spies = profile(args.profile, ours.consumers) if args.profile else []
        compare(args, portal.url, ours, vanilla)
        for spy in spies:
            spy.send_signal(signal.SIGINT)     # py-spy writes its file on SIGINT
            spy.wait(timeout=60)
        if args.rows:
            source_id, org_id = ours.source("table", "lampangpoverty_table", table_url, (
                '{"type": "agency-resource", "key": "code", "fields": '
                '{"title": "title", "area_codes": "amphoe"}, "defaults": '
                '{"programme_kind": "housing_repair", "eligibility": "ครัวเรือนยากจน", '
                '"programme_status": "open"}}'))
            rate = ours.run(f"lampangpoverty_table <- {args.rows}-row CSV", source_id, org_id,
                            args.rows)
            say(f"lampangpoverty_table: {rate:.1f} records/s")
    finally:
        for proc in consumers:
            os.killpg(proc.pid, signal.SIGTERM)
        for server in stoppable:
            server.stop()
        httpd.shutdown()


def profile(folder: Path, consumers: list[subprocess.Popen]) -> list[subprocess.Popen]:
    """py-spy (requirements-dev.txt) sampling each consumer until stopped by SIGINT."""
    folder.mkdir(parents=True, exist_ok=True)
    return [subprocess.Popen([str(ROOT / ".venv" / "bin" / "py-spy"), "record", "--pid",
                              str(proc.pid), "--format", "raw", "--rate", "50", "--idle",
                              "--subprocesses", "--output",
                              str(folder / f"{stage_of(proc.args)}-{proc.pid}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for proc in consumers]


def compare(args, url: str, ours: Ours, vanilla: Vanilla | None) -> None:
    """RUNS runs of each, in turn, and their medians and ratios."""
    config = '{"defaults": {"unit_of_observation": "amphoe", "area_codes": ["52"]}}'
    rates: dict[str, list[float]] = {"ours": [], "baseline": []}
    cpu: dict[str, list[float]] = {"ours": [], "baseline": []}
    for number in range(1, args.runs + 1):
        source_id, org_id = ours.source(f"ours-{number}", "lampangpoverty_ckan", url, config)
        rate, cpu_ms = ours.run(f"lampangpoverty_ckan <- local CKAN (run {number})",
                                source_id, org_id, args.records)
        rates["ours"].append(rate)
        cpu["ours"].append(cpu_ms)
        if number == 1:
            ours.run("lampangpoverty_ckan again (nothing changed)", source_id, org_id,
                     args.records)
        ours.clear(source_id)
        if vanilla is None:
            continue
        source_id, org_id = vanilla.source(f"baseline-{number}", url)
        rate, cpu_ms = vanilla.run(f"ckanext-harvest CKAN harvester (run {number})",
                                   source_id, org_id, args.records)
        rates["baseline"].append(rate)
        cpu["baseline"].append(cpu_ms)
        vanilla.clear(source_id)
    median = statistics.median
    if vanilla is None:
        runs = ", ".join(f"{r:.1f}" for r in rates["ours"])
        say(f"lampangpoverty_ckan, records/s per run: {runs}; median "
            f"{median(rates['ours']):.1f}; consumer CPU ms/record, median "
            f"{median(cpu['ours']):.0f}; load average {os.getloadavg()[0]:.1f}")
        return
    for key, title in (("ours", "lampangpoverty_ckan"),
                       ("baseline", "ckanext-harvest CKAN harvester, vanilla CKAN")):
        say(f"{title}, records/s per run: {', '.join(f'{r:.1f}' for r in rates[key])}; "
            f"median {median(rates[key]):.1f}" + (" (target >= 20)" if key == "ours" else "")
            + f"; consumer CPU ms/record, median {median(cpu[key]):.0f}")
    say(f"ratio of the medians, ours / baseline: records/s "
        f"{median(rates['ours']) / median(rates['baseline']):.2f} (target >= 1); CPU per "
        f"record {median(cpu['ours']) / median(cpu['baseline']):.2f} (lower is better); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
