"""Benchmark of issue 18: what the cluster costs on one machine, and what losing a node costs.

    .venv/bin/python bench/cluster.py [--records 2000] [--runs 3] [--seconds 20] [--warmup 180]
                                      [--keep] [--no-losses] [--reindex]

Brings up the local cluster (bin/cluster.py, as `make cluster`; its CLUSTER_<KEY>_PORT
variables move its ports) and loads RECORDS records into its database (the demo content
copied in SQL, as bench/reindex.py does), indexed into the SolrCloud collection by `ckan
lampangpoverty reindex`. The single node is the same portal as `make run` serves it: gunicorn
with two workers on the same database, searching a standalone core of our configset in the
test Solr (bin/stack up test; PG_PORT... move it), indexed the same way. Then, after
WARMUP seconds of unmeasured load on each (default 180: the Solr JVMs' JIT compilers
settle, see warm_up):
  1. RUNS rounds of bench/vs_vanilla.py's 20-thread mixed load (40% search pages, 40% dataset
     pages, 20% API) on each in turn, alternating which goes first: requests/s, p95, errors;
  2. the cluster under the same load while solr-2 is killed (SIGKILL) a third of the way in:
     the requests that failed; then solr-2 is started again and the collection must be whole
     (every shard a leader and a replica on each node) before the next step;
  3. the same while web-1 is killed.
During every round of step 1 it keeps a CPU account (bench/cpu_account.py): the CPU
seconds (utime + stime) of each component's process trees, per request served, for every
component of both sites (the cluster's idle processes show in the single node's rounds); a
figure that survives a loaded machine much better than requests/s. --no-losses skips 2 and 3;
an index that already holds every record is not rebuilt unless --reindex.
Prints each round, the CPU table, the medians and as last line ``cluster vs single:
throughput X (loss Y%), p95 Z; Solr node lost: N failed of M; web node lost: N failed of
M``. The cluster is stopped at the end unless --keep.
"""
from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Served, ckan, say, solr_core, timed_ckan  # noqa: E402
from bench.cpu_account import (  # noqa: E402
    SELF,
    CpuAccount,
    format_table,
    median_table,
    per_request_ms,
)
from bench.reindex import copy_records  # noqa: E402
from bench.vs_vanilla import Site, dataset_paths, find_district, kinds, mixed_load  # noqa: E402
from tests.conftest import load_stack  # noqa: E402

SINGLE_CORE = "ckan_bench_single"


def load_cluster():
    """bin/cluster.py (which loads bin/stack) as a module."""
    loader = importlib.machinery.SourceFileLoader("lampang_cluster",
                                                  str(ROOT / "bin" / "cluster.py"))
    spec = importlib.util.spec_from_loader("lampang_cluster", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class Balancer:
    """The cluster's entry point, standing where vs_vanilla's Site expects a served CKAN."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"


def stack_command(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), *args], check=True)


def indexed(solr_url: str) -> int:
    """How many documents a core or collection holds (-1 when it does not answer)."""
    try:
        with urllib.request.urlopen(f"{solr_url}/select?q=*:*&rows=0&wt=json",
                                    timeout=60) as answer:
            return int(json.load(answer)["response"]["numFound"])
    except (OSError, ValueError, KeyError):
        return -1


def reindex(ini: Path, solr_url: str, total: int, where: str, force: bool) -> None:
    """``ckan lampangpoverty reindex --fresh`` unless the index already holds every active
    package, harvest sources included (``total``: the bench's records change only when it
    copies more; --reindex forces it)."""
    if not force and indexed(solr_url) == total:
        say(f"every record is already indexed in {where} (--reindex to rebuild)")
        return
    seconds, _ = timed_ckan(ini, "lampangpoverty", "reindex", "--fresh")
    say(f"{total:,} records indexed in {where} in {seconds:.0f} s")


def load_records(stack, cl, records: int, force: bool) -> int:
    """The cluster's database holding about ``records`` records, indexed in the collection."""
    count = "SELECT count(*) FROM package WHERE state = 'active' AND type <> 'harvest'"
    total = int(stack.psql(cl, count, db=cl.db))
    if total < records * 0.9:
        say("seeding the cluster's database (vocabularies, demo content)")
        ckan(cl.ini, "lampangpoverty", "seed-vocabularies")
        if total == 0:
            ckan(cl.ini, "lampangpoverty", "seed-demo")
        say(f"copying the demo records in SQL up to {records:,}")
        copy_records(cl.ini, records)
        total = int(stack.psql(cl, count, db=cl.db))
    reindex(cl.ini, stack.solr_url(cl), packages(stack, cl), "the SolrCloud collection", force)
    return total


def packages(stack, cl) -> int:
    """What the index holds: every active package (records and harvest sources)."""
    return int(stack.psql(cl, "SELECT count(*) FROM package WHERE state = 'active'", db=cl.db))


def single_node_ini(cl, solr_url: str) -> Path:
    """The cluster's configuration and database, searching a standalone core."""
    ini = cl.var / "bench-single.ini"
    ini.write_text(f"[app:main]\nuse = config:{cl.ini}\nsolr_url = {solr_url}\n")
    return ini


def collection_whole(module, cl) -> bool:
    nodes = {f"127.0.0.1:{p}_solr" for p in cl.solr_nodes().values()}
    try:
        return not module.placement_problems(module.cluster_status(cl.ports["solr_1"]), nodes)
    except OSError:
        return False


def load_while_killing(site: Site, seconds: float, kill) -> tuple[int, int]:
    """The mixed load on ``site`` for ``seconds``, ``kill()`` called a third of the way in;
    (failed requests, all requests)."""
    result: list[tuple[float, float, int]] = []
    started = time.perf_counter()
    runner = threading.Thread(target=lambda: result.append(mixed_load(site, seconds, seed=99)))
    runner.start()
    time.sleep(seconds / 3)
    kill()
    runner.join()
    rate, _p95, errors = result[0]
    return errors, errors + round(rate * (time.perf_counter() - started))


def kill_group(cl, proc: str) -> None:
    pid = cl.pid(proc)
    if pid is None:
        raise SystemExit(f"{proc} is not running")
    os.killpg(pid, signal.SIGKILL)
    say(f"  killed {proc} (SIGKILL) at load average {os.getloadavg()[0]:.1f}")


SHARED = ("PostgreSQL", "Redis")


def cpu_components(stack, cl, single: Site) -> dict[str, Callable[[], list[int]]]:
    """Every process tree the two sites run, by component. The single node shares the
    cluster's database and Redis; the cluster's processes stay up (idle) during its rounds."""
    test = stack.Env("test")

    def pids(env, *procs: str) -> Callable[[], list[int]]:
        return lambda: [pid for pid in (env.pid(p) for p in procs) if pid]

    return {
        "single: gunicorn": lambda: [single.server.proc.pid] if single.server else [],
        "single: Solr": pids(test, "solr"),
        "cluster: web nodes": pids(cl, "web-1", "web-2"),
        "cluster: nginx": pids(cl, "balancer"),
        "cluster: solr-1": pids(cl, "solr-1"),
        "cluster: solr-2": pids(cl, "solr-2"),
        "cluster: ZooKeeper": pids(cl, "zookeeper"),
        "cluster: RQ workers": pids(cl, "worker-1", "worker-2"),
        "cluster: harvest consumers": pids(cl, "harvest-gather", "harvest-fetch-1",
                                           "harvest-fetch-2", "harvest-scheduler"),
        "PostgreSQL": pids(cl, "postgres"),
        "Redis": pids(cl, "redis"),
        "load generator (bench)": lambda: [SELF],
    }


def own_total(site: str, per_request: dict[str, float]) -> float:
    """CPU ms per request of the site's own components (its processes and the shared ones)."""
    return sum(ms for name, ms in per_request.items()
               if name.startswith(f"{site}: ") or name in SHARED)


def rounds(single: Site, cluster: Site, runs: int, seconds: float,
           account: CpuAccount) -> tuple[list[dict[str, float]], dict[str, list[dict]]]:
    out = []
    cpu: dict[str, list[dict[str, float]]] = {"single": [], "cluster": []}
    for number in range(1, runs + 1):
        figures: dict[str, float] = {}
        for site in (single, cluster) if number % 2 else (cluster, single):
            before, started = account.snapshot(), time.perf_counter()
            rate, p95, errors = mixed_load(site, seconds, seed=number)
            spent = CpuAccount.spent(before, account.snapshot())
            per_request = per_request_ms(spent, round(rate * (time.perf_counter() - started)))
            cpu[site.name].append(per_request)
            figures.update({f"{site.name} throughput": rate, f"{site.name} p95": p95,
                            f"{site.name} errors": errors,
                            f"{site.name} cpu": own_total(site.name, per_request)})
        say(f"round {number}: single {figures['single throughput']:.1f} req/s, p95 "
            f"{figures['single p95'] * 1000:.0f} ms, {figures['single errors']:.0f} errors; "
            f"cluster {figures['cluster throughput']:.1f} req/s, p95 "
            f"{figures['cluster p95'] * 1000:.0f} ms, {figures['cluster errors']:.0f} errors; "
            f"CPU/request single {figures['single cpu']:.0f} ms, cluster "
            f"{figures['cluster cpu']:.0f} ms; load average {os.getloadavg()[0]:.1f}")
        out.append(figures)
    return out, cpu


def warm_up(single: Site, cluster: Site, seconds: float, slice_: float) -> None:
    """The mixed load on each site for ``seconds``, in alternate slices, not measured. A Solr
    JVM started minutes before spends most of its CPU in its JIT compiler (C2): measured on
    this machine (CKAN's search-page query repeated, 2026-12-01), a distributed query cost
    30-40 ms of Solr CPU, half of it in C2, for the JVMs' first 10-15 minutes, 11 ms once
    compiled (a standalone core's: 4 ms, then 2.5 ms). A cluster measured cold is
    charged for its two JVMs' compilation, not for its work."""
    say(f"warm-up: {seconds:.0f} s of mixed load on each site (not measured)")
    done = 0.0
    while done < seconds:
        step = min(slice_, seconds - done)
        for site in (single, cluster):
            mixed_load(site, step, seed=0)
        done += step


def node_losses(module, cl, cluster: Site, seconds: float) -> dict[str, tuple[int, int]]:
    losses = {"Solr node": load_while_killing(cluster, seconds, lambda: kill_group(cl, "solr-2"))}
    say(f"Solr node lost: {losses['Solr node'][0]} failed of {losses['Solr node'][1]}")
    module.start_solr_node(cl, "solr-2", cl.ports["solr_2"])
    deadline = time.monotonic() + 300
    while not collection_whole(module, cl):
        if time.monotonic() > deadline:
            raise SystemExit("the collection is not whole 5 minutes after solr-2 came back")
        time.sleep(2)
    say("solr-2 is back and the collection whole (2 shards x 2 replicas)")
    losses["web node"] = load_while_killing(cluster, seconds, lambda: kill_group(cl, "web-1"))
    say(f"web node lost: {losses['web node'][0]} failed of {losses['web node'][1]}")
    return losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20, help="of each mixed load")
    parser.add_argument("--warmup", type=float, default=180,
                        help="seconds of unmeasured mixed load on each site first")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument("--reindex", action="store_true",
                        help="rebuild both indexes even if they hold every record")
    parser.add_argument("--no-losses", action="store_true",
                        help="skip the node losses (steps 2 and 3)")
    args = parser.parse_args()

    stack_command("up", "test")
    stack_command("up", "cluster")
    module = load_cluster()
    stack = load_stack()
    cl = module.Cluster()
    total = load_records(stack, cl, args.records, args.reindex)
    # Seeding queues a link check per copied record (to demo hosts): work of the set-up, not
    # of the load, which would run in the cluster's workers during the rounds.
    ckan(cl.ini, "jobs", "clear")
    say("emptied the cluster's job queues: its workers idle, as the single node has none")
    single_url = solr_core(stack.Env("test"), SINGLE_CORE)
    single_ini = single_node_ini(cl, single_url)
    reindex(single_ini, single_url, packages(stack, cl), "the single node's core", args.reindex)
    single = Site("single", single_ini, ())
    cluster = Site("cluster", cl.ini, (), server=Balancer(cl.ports["ckan"]))
    paths = [f"/{kind}/{name}" for kind, name in dataset_paths(stack, cl, cl.db, 50)]
    try:
        single.server = Served(single_ini, 2, cl.logs / "bench-single.log")
        for site in (single, cluster):
            site.dataset_paths = paths
            site.district_path = find_district(site)
            for path in kinds(site, random.Random(0)).values():
                site.get(path)
        warm_up(single, cluster, args.warmup, args.seconds)
        account = CpuAccount(cpu_components(stack, cl, single))
        measured, cpu = rounds(single, cluster, args.runs, args.seconds, account)
        losses = {} if args.no_losses else node_losses(module, cl, cluster, args.seconds)
    finally:
        if single.server:
            single.server.stop()
        if not args.keep:
            stack_command("down", "cluster")

    def median(key: str) -> float:
        return statistics.median(r[key] for r in measured)

    ratio = median("cluster throughput") / median("single throughput")
    say(f"\nmedians of {args.runs} rounds, {total:,} records, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    say("CPU per request served, by component, during the single node's rounds and the "
        "cluster's (medians):")
    say(format_table({"single round": median_table(cpu["single"]),
                      "cluster round": median_table(cpu["cluster"])}))
    cpu_ratio = median("cluster cpu") / median("single cpu")
    say(f"CPU per request of each site's own processes: single {median('single cpu'):.0f} ms, "
        f"cluster {median('cluster cpu'):.0f} ms: {cpu_ratio:.2f} (on a saturated machine, a "
        f"throughput loss of {max(0.0, 1 - 1 / cpu_ratio) * 100:.0f}%)")
    say(f"cluster vs single: throughput {ratio:.2f} (loss {max(0.0, 1 - ratio) * 100:.0f}%), "
        f"p95 {median('cluster p95') / median('single p95'):.2f}; "
        + "; ".join(f"{what} lost: {failed} failed of {all_}"
                    for what, (failed, all_) in losses.items()))


if __name__ == "__main__":
    main()
