"""Benchmark of issue 16: this portal against a vanilla CKAN 2.12, side by side, both served
by the production WSGI server (gunicorn, two workers, config/gunicorn.conf.py).

    .venv/bin/python bench/vs_vanilla.py [--records 10000] [--runs 3] [--seconds 30]
                                         [--reps 15] [--reindex-rounds N] [--hold]
                                         [--profile DIR] [--reuse]

The vanilla CKAN runs from the same venv with plugins ``activity text_view``, the Thai locale,
its own database and its own core in the same Solr with CKAN's stock schema. Both hold the
same RECORDS records: the demo content (``seed-demo``) copied in SQL up to RECORDS (as
bench/reindex.py does, automatic indexing never involved), and the vanilla database a copy of
ours (its records typed ``dataset``, the only type a vanilla CKAN shows). Each of RUNS rounds:
  1. a reindex of each (``ckan lampangpoverty reindex --fresh`` for ours, ``ckan search-index
     rebuild`` for vanilla; records/s less each one's start-up, measured alone);
  2. the latency set, interleaved request by request (alternating which site goes first):
     dataset page, search page, district search (ours: a district facet; vanilla has no
     districts, so its own facet filter, one organisation), API search with facets (the same
     query and facet fields on both) and package_show, REPS times each;
  3. a 20-thread mixed load for SECONDS (40% search pages, 40% dataset pages, 20% API), on
     each site in turn: requests/s, p95 and errors.
Prints each round, the medians of the rounds, each ratio (ours / vanilla; below 1 is faster
for latencies, above 1 better for throughput and reindex), the workers' memory, and as last
line ``vs vanilla: throughput X, p95 Y, pages Z (worst), reindex W records/s (V x vanilla)``.
With --reuse, the databases, inis and indexes of the previous run are used as they are (no
preparation, no reindex): for measuring a change of the pages against the same data.
With --profile DIR, py-spy then samples both workers of each site while 4 clients ask for one
kind of request (search page, district search, API search with facets, package_show) at a
time, and writes the stacks as DIR/<site>_<kind>-<pid>.txt (sum them with bench/stacks.py
DIR).

Needs the test services (python3 bin/stack up test, started here if needed); uses its own
databases (ckan_bench_vs, ckan_bench_vs_vanilla), site ids and Solr core, so test data are
never touched.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Served,
    ckan,
    fresh_database,
    portal_ini,
    say,
    solr_core,
    timed_ckan,
)
from bench.reindex import copy_records  # noqa: E402
from tests.conftest import load_stack  # noqa: E402
from tests.live import LOGGING  # noqa: E402

VANILLA_CORE = "ckan_bench_vanilla"
STOCK_SCHEMA = ROOT / ".venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" \
    / "site-packages" / "ckan" / "config" / "solr" / "schema.xml"
# The same facet fields on both sites for the API call (CKAN's default search facets).
API_FACETS = '["organization", "groups", "tags", "res_format", "license_id"]'
WORKERS = 2
THREADS = 20


# ----------------------------------------------------------------------------- the two sites

def stock_solr_core(stack, env) -> str:
    """A core with CKAN's stock schema in the test Solr (created once, emptied by the
    vanilla reindex); return its URL."""
    return solr_core(env, VANILLA_CORE, schema=STOCK_SCHEMA)


def vanilla_ini(stack, env, solr_url: str) -> Path:
    ini = env.var / "bench-vs-vanilla.ini"
    ini.write_text(f"""[DEFAULT]
debug = false
[app:main]
use = egg:ckan
SECRET_KEY = bench-vs-vanilla-not-secret
sqlalchemy.url = postgresql://{stack.DB_USER}:{stack.DB_PASSWORD}@127.0.0.1:{env.ports['pg']}/ckan_bench_vs_vanilla
solr_url = {solr_url}
ckan.redis.url = redis://127.0.0.1:{env.ports['redis']}/4
ckan.site_url = http://127.0.0.1
ckan.site_id = bench_vs_vanilla
ckan.plugins = activity text_view
ckan.locale_default = th
ckan.storage_path = {env.var / 'bench-vs-vanilla-storage'}
{LOGGING}""")
    return ini


def prepare(stack, env, records: int) -> tuple[Path, Path, int]:
    """Both databases with the same records; return the two inis and the record count."""
    ours = portal_ini(stack, env, "ckan_bench_vs", "lampangpoverty_bench_vs", "bench-vs.ini",
                      # production-like: no test mode, and an API limit no client here reaches
                      "testing = false\nckanext.lampangpoverty.api.rate_limit = 1000000/minute\n")
    say("preparing our database (migrations, vocabularies, demo content)")
    ckan(ours, "db", "upgrade")
    ckan(ours, "search-index", "clear")     # what an earlier run indexed under this site id
    ckan(ours, "lampangpoverty", "seed-vocabularies")
    ckan(ours, "lampangpoverty", "seed-demo")
    say(f"copying the demo records in SQL up to {records:,}")
    total = copy_records(ours, records)
    say(f"{total:,} records; the vanilla database is a copy, its records typed 'dataset'")
    fresh_database(stack, env, "ckan_bench_vs_vanilla", template="ckan_bench_vs")
    stack.psql(env, "UPDATE package SET type = 'dataset' WHERE type <> 'harvest'",
               db="ckan_bench_vs_vanilla")
    vanilla = vanilla_ini(stack, env, stock_solr_core(stack, env))
    ckan(vanilla, "db", "upgrade")
    return ours, vanilla, total


@dataclass
class Site:
    name: str
    ini: Path
    reindex: tuple[str, ...]
    startup: float = 0.0
    server: Served | None = None
    dataset_paths: list[str] = field(default_factory=list)
    district_path: str = ""

    def get(self, path: str) -> tuple[float, int]:
        """One GET on a fresh connection (as a browser's first request); seconds, status."""
        assert self.server
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept-Language": "th"})
            answer = conn.getresponse()
            answer.read()
            status = answer.status
        except OSError:
            status = 0
        finally:
            conn.close()
        return time.perf_counter() - start, status


def dataset_paths(stack, env, db: str, sample: int) -> list[tuple[str, str]]:
    rows = stack.psql(env, "SELECT type, name FROM package WHERE state = 'active' AND "
                           "private = false AND type <> 'harvest' ORDER BY md5(id) "
                           f"LIMIT {sample}", db=db)
    return [tuple(line.split("|", 1)) for line in rows.splitlines()]  # type: ignore[misc]


def find_district(site: Site) -> str:
    """The first district facet link of our search page."""
    assert site.server
    with urllib.request.urlopen(f"{site.server.url}/dataset/", timeout=60) as answer:
        page = answer.read().decode()
    link = re.search(r'href="(/dataset/\?vocab_district=[^"]+)"', page)
    if not link:
        raise SystemExit("our search page shows no district facet link")
    return link.group(1).replace("&amp;", "&")


# ----------------------------------------------------------------------------- measures

def reindex(site: Site, total: int) -> float:
    seconds, out = timed_ckan(site.ini, *site.reindex)
    if "lampangpoverty" in site.reindex:
        check = re.search(r"Packages not indexed = (\d+).*\nSolr documents without a record = "
                          r"(\d+)", out)
        if not check or check.groups() != ("0", "0"):
            raise SystemExit(f"our reindex's closing check found a difference:\n{out[-2000:]}")
    return total / max(seconds - site.startup, 0.001)


def kinds(site: Site, rng: random.Random) -> dict[str, str]:
    """One path of each kind of the latency set."""
    name = rng.choice(site.dataset_paths).rsplit("/", 1)[1]
    return {
        "dataset page": rng.choice(site.dataset_paths),
        "search page": "/dataset/",
        "district search": site.district_path,
        "API search with facets": "/api/3/action/package_search?" + urllib.parse.urlencode(
            {"q": "ข้อมูล", "rows": 10, "facet.field": API_FACETS}),
        "package_show": f"/api/3/action/package_show?id={name}",
    }


def latency_set(ours: Site, vanilla: Site, reps: int, seed: int) -> dict[str, dict[str, float]]:
    """Median seconds of each kind for each site, requests interleaved."""
    times: dict[str, dict[str, list[float]]] = {"ours": {}, "vanilla": {}}
    rng = {"ours": random.Random(seed), "vanilla": random.Random(seed)}
    for rep in range(reps):
        paths = {site.name: kinds(site, rng[site.name]) for site in (ours, vanilla)}
        for kind in paths["ours"]:
            order = (ours, vanilla) if rep % 2 == 0 else (vanilla, ours)
            for site in order:
                seconds, status = site.get(paths[site.name][kind])
                if status != 200:
                    raise SystemExit(f"{site.name}: {paths[site.name][kind]} answered {status}")
                times[site.name].setdefault(kind, []).append(seconds)
    return {name: {kind: statistics.median(values) for kind, values in per.items()}
            for name, per in times.items()}


def mixed_load(site: Site, seconds: float, seed: int) -> tuple[float, float, int]:
    """THREADS clients for ``seconds``: requests/s, p95 seconds, errors."""
    done: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(number: int) -> None:
        rng = random.Random(seed * 100 + number)
        while time.perf_counter() < stop_at:
            roll, paths = rng.random(), kinds(site, rng)
            if roll < 0.4:
                path = rng.choice([paths["search page"], paths["district search"],
                                   "/dataset/?q=" + urllib.parse.quote("ความยากจน"),
                                   "/dataset/?page=2"])
            elif roll < 0.8:
                path = paths["dataset page"]
            else:
                path = rng.choice([paths["API search with facets"], paths["package_show"]])
            took, status = site.get(path)
            with lock:
                if status == 200:
                    done.append(took)
                else:
                    errors[0] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    done.sort()
    p95 = done[int(len(done) * 0.95)] if done else float("nan")
    return len(done) / elapsed, p95, errors[0]


PROFILED = ("dataset page", "search page", "district search", "API search with facets",
            "package_show")


def hammer(site: Site, path: str, seconds: float, threads: int = 4) -> int:
    """``threads`` clients asking for ``path`` for ``seconds``; the answers counted."""
    stop_at, done = time.perf_counter() + seconds, [0]

    def client() -> None:
        while time.perf_counter() < stop_at:
            site.get(path)
            done[0] += 1

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done[0]


def profile(folder: Path, sites: tuple[Site, ...], seconds: float) -> None:
    """py-spy (requirements-dev.txt) over both workers of each site, one kind at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind in PROFILED:
        for site in sites:
            assert site.server
            path = kinds(site, random.Random(0))[kind]
            tag = f"{site.name}_{kind.replace(' ', '_')}"
            spies = [subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "py-spy"), "record", "--pid", str(pid),
                 "--format", "raw", "--rate", "100", "--duration", str(int(seconds)),
                 "--output", str(folder / f"{tag}-{pid}.txt")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for pid in site.server.worker_pids()]
            answered = hammer(site, path, seconds)
            for spy in spies:
                spy.wait()
            say(f"profiled {tag}: {answered} answers in {seconds:.0f} s")


# ----------------------------------------------------------------------------- the run

def one_round(number: int, args, ours: Site, vanilla: Site, total: int) -> dict[str, float]:
    """Reindex, latency set and mixed load of both; the figures of this round by key
    ``<site> <measure>``."""
    figures: dict[str, float] = {}
    if not args.reuse and number <= (args.reindex_rounds or args.runs):
        for site in (ours, vanilla) if number % 2 else (vanilla, ours):
            figures[f"{site.name} reindex"] = reindex(site, total)
    if not ours.district_path:
        ours.district_path = find_district(ours)
        say(f"district search: ours {urllib.parse.unquote(ours.district_path)}, vanilla "
            f"{vanilla.district_path}")
    for site in (ours, vanilla):        # the first requests after a reindex are not measured
        for path in kinds(site, random.Random(0)).values():
            site.get(path)
    for name, per in latency_set(ours, vanilla, args.reps, seed=number).items():
        for kind, seconds in per.items():
            figures[f"{name} {kind}"] = seconds
    for site in (ours, vanilla) if number % 2 else (vanilla, ours):
        rate, p95, errors = mixed_load(site, args.seconds, seed=number)
        figures[f"{site.name} throughput"] = rate
        figures[f"{site.name} p95"] = p95
        figures[f"{site.name} errors"] = errors
    reindexed = (f"reindex {figures['ours reindex']:.1f} vs {figures['vanilla reindex']:.1f} "
                 "records/s; " if "ours reindex" in figures else "")
    say(f"round {number}: {reindexed}mixed load {figures['ours throughput']:.1f}"
        f" vs {figures['vanilla throughput']:.1f} requests/s, p95 "
        f"{figures['ours p95'] * 1000:.0f} vs {figures['vanilla p95'] * 1000:.0f} ms, errors "
        f"{figures['ours errors']:.0f} vs {figures['vanilla errors']:.0f}; load average "
        f"{os.getloadavg()[0]:.1f}")
    return figures


def report(rounds: list[dict[str, float]], latency_kinds: list[str], total: int,
           ours: Site, vanilla: Site) -> None:
    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds if key in r)

    say(f"\nmedians of {len(rounds)} rounds, {total:,} records, gunicorn with {WORKERS} "
        f"workers each; ratio = ours / vanilla")
    say(f"{'':<32}{'ours':>10}{'vanilla':>10}{'ratio':>8}")
    pages = {}
    for kind in latency_kinds:
        mine, theirs = median(f"ours {kind}"), median(f"vanilla {kind}")
        pages[kind] = mine / theirs
        say(f"{kind + ' p50 (ms)':<32}{mine * 1000:>10.1f}{theirs * 1000:>10.1f}"
            f"{pages[kind]:>8.2f}")
    reindexed = any("ours reindex" in r for r in rounds)
    rows = [("throughput (req/s)", "throughput", 1), ("mixed p95 (ms)", "p95", 1000),
            *([("reindex (records/s)", "reindex", 1)] if reindexed else [])]
    for title, key, scale in rows:
        mine, theirs = median(f"ours {key}"), median(f"vanilla {key}")
        say(f"{title:<32}{mine * scale:>10.1f}{theirs * scale:>10.1f}{mine / theirs:>8.2f}")
    say(f"{'mixed-load errors':<32}{median('ours errors'):>10.0f}"
        f"{median('vanilla errors'):>10.0f}")
    for site in (ours, vanilla):
        assert site.server
        say(f"{site.name} workers' memory: "
            + ", ".join(f"{mb:.0f} MB" for mb in site.server.workers_rss_mb()))
    worst = max(pages, key=lambda kind: pages[kind])
    throughput = median("ours throughput") / median("vanilla throughput")
    p95 = median("ours p95") / median("vanilla p95")
    say(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if reindexed:
        rate = median("ours reindex")
        reindex_text = (f"reindex {rate:.1f} records/s ({rate / median('vanilla reindex'):.2f}"
                        " x vanilla)")
    else:
        reindex_text = "reindex not run"
    say(f"vs vanilla: throughput {throughput:.2f}, p95 {p95:.2f}, pages {pages[worst]:.2f} "
        f"({worst}), {reindex_text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="rounds of every measure")
    parser.add_argument("--seconds", type=float, default=30, help="of each mixed load")
    parser.add_argument("--reps", type=int, default=15, help="requests of each latency kind")
    parser.add_argument("--reindex-rounds", type=int, default=0,
                        help="reindex in only the first N rounds (default: every round)")
    parser.add_argument("--hold", action="store_true",
                        help="after the report, keep both sites served until Ctrl-C "
                             "(for profiling)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="after the report, sample both sites' workers with py-spy "
                             "under each kind of search and package_show and write the "
                             "stacks here")
    parser.add_argument("--profile-seconds", type=float, default=20)
    parser.add_argument("--reuse", action="store_true",
                        help="the previous run's databases and indexes, as they are")
    args = parser.parse_args()

    subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), "up", "test"], check=True)
    stack = load_stack()
    env = stack.Env("test")
    if args.reuse:
        ours_ini, vanilla_ini_path = env.var / "bench-vs.ini", env.var / "bench-vs-vanilla.ini"
        total = int(stack.psql(env, "SELECT count(*) FROM package WHERE state = 'active' AND "
                                    "type <> 'harvest'", db="ckan_bench_vs"))
        say(f"reusing the previous run's databases and indexes: {total:,} records")
    else:
        ours_ini, vanilla_ini_path, total = prepare(stack, env, args.records)
    ours = Site("ours", ours_ini, ("lampangpoverty", "reindex", "--fresh"))
    vanilla = Site("vanilla", vanilla_ini_path, ("search-index", "rebuild"))
    for site in () if args.reuse else (ours, vanilla):
        site.startup = statistics.median(
            timed_ckan(site.ini, "search-index", "check")[0] for _ in range(3))
        say(f"{site.name}: ckan start-up (and check) alone {site.startup:.1f} s, subtracted "
            "from its reindex")
    sample = dataset_paths(stack, env, "ckan_bench_vs", 50)
    ours.dataset_paths = [f"/{kind}/{name}" for kind, name in sample]
    vanilla.dataset_paths = [f"/dataset/{name}" for _kind, name in sample]
    org = stack.psql(env, "SELECT g.name FROM \"group\" g JOIN package p ON p.owner_org = g.id "
                          "WHERE p.state = 'active' GROUP BY g.name ORDER BY count(*) DESC "
                          "LIMIT 1", db="ckan_bench_vs")
    vanilla.district_path = f"/dataset/?organization={org}"
    try:
        for site in (ours, vanilla):
            site.server = Served(site.ini, WORKERS, env.logs / f"bench-vs-{site.name}.log")
        rounds = [one_round(number, args, ours, vanilla, total)
                  for number in range(1, args.runs + 1)]
        report(rounds, list(kinds(ours, random.Random(0))), total, ours, vanilla)
        if args.profile:
            profile(args.profile, (ours, vanilla), args.profile_seconds)
        if args.hold:
            say(f"serving: ours {ours.server.url} (workers {ours.server.worker_pids()}), "
                f"vanilla {vanilla.server.url} (workers {vanilla.server.worker_pids()})")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    finally:
        for site in (ours, vanilla):
            if site.server:
                site.server.stop()


if __name__ == "__main__":
    main()
