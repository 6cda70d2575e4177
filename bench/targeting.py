"""Benchmark of precise targeting, on a served portal with the demo content plus PROGRAMMES
generated agency programmes (realistic spread: 10% province-wide, 30% one district, 60% a
few tambon; mixed dimensions, groups, statuses and capacities):

  1. lampangpoverty_programme_match over HTTP, for the province, every amphoe and 40 tambon,
     RUNS times each: p50 per level and overall (target: p50 under 100 ms at 5,000);
  2. an area profile page against a dataset page, side by side, RUNS times each: p50 of
     each and their ratio (target: the profile within 1.5x of the dataset page).

    .venv/bin/python bench/targeting.py [--programmes 5000] [--runs 7]

Needs the test services (python3 bin/stack up test). It uses its own database
(ckan_bench_targeting) and site id, so the test data is never touched; the programmes are
kept between runs (a second run only tops them up).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import load_stack  # noqa: E402

DB = "ckan_bench_targeting"
SITE_ID = "lampangpoverty_bench_targeting"
PORT = 5391
DIMENSIONS = ["health", "living_conditions", "education", "income", "public_services"]
GROUPS = ["elderly", "persons_with_disabilities", "children", "working_age_poor", "farmers"]
KINDS = ["cash_welfare", "scholarship", "loan_credit", "training_job_placement",
         "housing_repair", "health_service", "in_kind_support", "infrastructure"]


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def write_ini(stack) -> Path:
    env = stack.Env("test")
    ini = ROOT / "var" / "bench" / "targeting.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text(f"""[app:main]
use = config:{env.ini}
sqlalchemy.url = postgresql://ckan:ckan@127.0.0.1:{env.ports['pg']}/{DB}
ckanext.xloader.jobs_db.uri = postgresql://ckan:ckan@127.0.0.1:{env.ports['pg']}/{DB}
ckan.site_id = {SITE_ID}
ckan.site_url = http://127.0.0.1:{PORT}
ckan.search.solr_commit = false
""")
    if stack.psql(env, f"SELECT 1 FROM pg_database WHERE datname = '{DB}'") != "1":
        stack.psql(env, f"CREATE DATABASE {DB} OWNER ckan ENCODING 'UTF8' TEMPLATE template0")
    return ini


def ckan(ini: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), *args],
                          capture_output=True, text=True, check=True)


def generate(ini: Path, want: int) -> None:
    """Programmes through package_create (validation, index fields, Solr), in this process."""
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.plugins import toolkit as tk

    from ckanext.lampangpoverty.lib.site import site_user
    from ckanext.lampangpoverty.targeting.figures import children

    app = make_app(load_config(str(ini)))
    with app._wsgi_app.test_request_context():
        have = (model.Session.query(model.Package)
                .filter(model.Package.name.like("bench-programme-%")).count())
        orgs = [g.name for g in model.Session.query(model.Group)
                .filter(model.Group.is_organization.is_(True))]
        amphoe = children("52")
        rng = random.Random(have)
        user = site_user()
        for i in range(have, want):
            roll = rng.random()
            if roll < 0.1:
                codes = ["52"]
            elif roll < 0.4:
                codes = [rng.choice(amphoe)]
            else:
                a = rng.choice(amphoe)
                codes = rng.sample(children(a), min(len(children(a)), rng.randint(1, 3)))
            tk.get_action("package_create")({"user": user, "ignore_auth": True}, {
                "type": "agency-resource", "name": f"bench-programme-{i:05d}",
                "title": f"Bench programme {i}", "owner_org": rng.choice(orgs),
                "notes": "bench", "eligibility": "bench", "programme_kind": rng.choice(KINDS),
                "tpmap_dimensions": rng.sample(DIMENSIONS, rng.randint(1, 2)),
                "target_groups": rng.sample(GROUPS, rng.randint(0, 2)),
                "livelihood_capitals": ["human"], "area_codes": codes,
                "programme_status": rng.choice(["open", "open", "ongoing", "planned",
                                                "closed"]),
                "capacity": rng.randint(10, 500),
                "capacity_unit": rng.choice(["households", "persons"]),
                "close_date": "2099-09-30"})
            if i % 250 == 0:
                say(f"  {i} programmes")


def seed(ini: Path, programmes: int) -> None:
    say("migrating and loading the demo content")
    ckan(ini, "db", "upgrade")
    ckan(ini, "lampangpoverty", "seed-demo")
    say(f"making {programmes} programmes (kept for the next run)")
    started = time.monotonic()
    generate(ini, programmes)
    say(f"programmes ready in {time.monotonic() - started:.0f} s")


def get(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        body = r.read()
    return (time.perf_counter() - started) * 1000, body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programmes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    stack = load_stack()
    ini = write_ini(stack)
    seed(ini, args.programmes)
    log = (ROOT / "var" / "bench" / "targeting-ckan.log").open("wb")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), "run",
                               "--host", "127.0.0.1", "--port", str(PORT),
                               "--disable-reloader", "--threaded"], stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(240):
            try:
                get(base + "/api/3/action/status_show")
                break
            except OSError:
                time.sleep(0.5)
        count = json.loads(get(base + "/api/3/action/package_search?fq=dataset_type:"
                               "agency-resource&rows=0")[1])["result"]["count"]
        say(f"{count} agency programmes in the catalogue")
        from ckanext.lampangpoverty.catalogue import areas

        rng = random.Random(1)
        codes = {"province": ["52"],
                 "amphoe": [c for c in areas.areas() if len(c) == 4],
                 "tambon": rng.sample([c for c in areas.areas() if len(c) == 6], 40)}
        for code in ("52", "5208"):  # warm the caches once, as a running site has them
            get(f"{base}/api/3/action/lampangpoverty_programme_match?area_code={code}")
        times: dict[str, list[float]] = {level: [] for level in codes}
        # side by side: the same server answering CKAN's own package_show of one dataset,
        # so the figures can be read against what any API call costs on this machine now
        baseline: list[float] = []
        load_before = os.getloadavg()[0]
        for _ in range(args.runs):
            for level, some in codes.items():
                for code in some:
                    times[level].append(get(f"{base}/api/3/action/lampangpoverty_programme_"
                                            f"match?area_code={code}")[0])
                    baseline.append(get(f"{base}/api/3/action/package_show"
                                        "?id=demo-tpmap-thoen-2025")[0])
        every = [t for ts in times.values() for t in ts]
        print("\nlampangpoverty_programme_match over HTTP "
              f"({count} programmes, {args.runs} runs per area)")
        for level, ts in times.items():
            print(f"  {level:9} p50 {statistics.median(ts):7.1f} ms   "
                  f"p90 {sorted(ts)[int(len(ts) * 0.9)]:7.1f} ms   ({len(ts)} calls)")
        print(f"  all       p50 {statistics.median(every):7.1f} ms   (target < 100 ms)")
        print(f"  package_show of one dataset, interleaved: p50 "
              f"{statistics.median(baseline):7.1f} ms; ratio match / package_show "
              f"{statistics.median(every) / statistics.median(baseline):.2f}")
        print(f"  load average (1 min) {load_before:.2f} before, {os.getloadavg()[0]:.2f} "
              f"after, on {os.cpu_count()} CPUs")

        pages = {"area profile /area/5208": "/area/5208",
                 "dataset page /dataset/demo-tpmap-thoen-2025":
                 "/dataset/demo-tpmap-thoen-2025"}
        for path in pages.values():
            get(base + path)
        page_times: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(max(args.runs, 15)):
            for name, path in pages.items():
                page_times[name].append(get(base + path)[0])
        print("\npages, side by side")
        p50 = {name: statistics.median(ts) for name, ts in page_times.items()}
        for name, value in p50.items():
            print(f"  {name:45} p50 {value:7.1f} ms")
        ratio = p50["area profile /area/5208"] / p50["dataset page /dataset/demo-tpmap-thoen-2025"]
        print(f"  ratio profile / dataset page: {ratio:.2f} (target <= 1.5)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
