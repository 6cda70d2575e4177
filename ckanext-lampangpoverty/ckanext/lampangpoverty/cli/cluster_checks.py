"""The cluster part of ``ckan lampangpoverty doctor``, run when
``ckanext.lampangpoverty.cluster.zookeeper`` is set: ZooKeeper, the SolrCloud collection's
shards and replicas, the web nodes and the balancer, the background workers. Each check
returns one :class:`Check`; none raises."""
from __future__ import annotations

import socket
from collections import Counter
from urllib.parse import urlsplit

import requests

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ..lib.lists import as_list
from .checks import Check, _guarded


def zookeeper_command(address: str, word: str, timeout: float = 5) -> str:
    """A ZooKeeper four-letter command (ruok, srvr); what it answered."""
    host, _, port = address.rpartition(":")
    with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout) as s:
        s.sendall(word.encode())
        chunks = []
        while chunk := s.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def check_zookeeper() -> Check:
    address = tk.config["ckanext.lampangpoverty.cluster.zookeeper"]
    fix = (f"start ZooKeeper at {address} (`make cluster` does) and check "
           "ckanext.lampangpoverty.cluster.zookeeper; its log is var/cluster/log/zookeeper.log")

    def run() -> Check:
        if zookeeper_command(address, "ruok") != "imok":
            return Check("zookeeper", False, f"{address} does not answer ruok with imok", fix)
        mode = next((line.split(":", 1)[1].strip() for line in
                     zookeeper_command(address, "srvr").splitlines()
                     if line.startswith("Mode:")), "unknown")
        return Check("zookeeper", True, f"{address} answers, mode {mode}")
    return _guarded("zookeeper", fix, run)


def shard_problems(cluster: dict, collection: str) -> tuple[list[str], int]:
    """What is wrong with each shard (no live leader, replicas down), and the replica count."""
    coll = cluster.get("collections", {}).get(collection)
    if coll is None:
        return [f"no collection {collection!r} in the cluster"], 0
    live = set(cluster.get("live_nodes", []))
    problems, replicas = [], 0
    for shard, spec in sorted(coll["shards"].items()):
        members = list(spec["replicas"].values())
        replicas += len(members)
        if not any(r.get("leader") == "true" and r["state"] == "active"
                   and r["node_name"] in live for r in members):
            problems.append(f"shard {shard} has no live leader")
        down = sorted(r["node_name"] for r in members
                      if r["state"] != "active" or r["node_name"] not in live)
        if down:
            problems.append(f"shard {shard} has replicas not active on {', '.join(down)}")
    return problems, replicas


def check_solr_shards() -> Check:
    fix = ("start the lost Solr node again (`make cluster` starts what is missing); its "
           "replicas recover from the leaders by themselves. A shard without a live leader "
           "refuses new records until then")

    def run() -> Check:
        base, _, collection = tk.config["solr_url"].rstrip("/").rpartition("/")
        cluster = _solr_admin(base)
        problems, replicas = shard_problems(cluster, collection)
        if problems:
            return Check("solr shards", False, "; ".join(problems), fix)
        shards = len(cluster["collections"][collection]["shards"])
        return Check("solr shards", True, f"{collection}: {shards} shards, {replicas} replicas "
                     f"active, leaders live, on {len(cluster['live_nodes'])} nodes")
    return _guarded("solr shards", fix, run)


def _solr_admin(base: str) -> dict:
    """CLUSTERSTATUS from the Collections API beside the collection in solr_url."""
    auth = None
    if tk.config.get("solr_user"):
        auth = (tk.config["solr_user"], tk.config.get("solr_password") or "")
    res = requests.get(f"{base}/admin/collections", auth=auth, timeout=10,
                       params={"action": "CLUSTERSTATUS", "wt": "json"})
    res.raise_for_status()
    return res.json()["cluster"]


def _status_ok(url: str) -> bool:
    try:
        res = requests.get(url.rstrip("/") + "/api/3/action/status_show", timeout=10)
        return res.status_code == 200 and res.json().get("success") is True
    except (requests.RequestException, ValueError):
        return False


def check_web_nodes() -> list[Check]:
    checks = []
    for url in as_list(tk.config["ckanext.lampangpoverty.cluster.web_nodes"]):
        ok = _status_ok(url)
        checks.append(Check(f"web node {url}", ok, "answers status_show" if ok else
                            "does not answer status_show",
                            "" if ok else "start it again (`make cluster` starts what is "
                            "missing); its log is var/cluster/log/web-N.log"))
    site = tk.config["ckan.site_url"]
    ok = _status_ok(site)
    checks.append(Check("balancer", ok, f"{site} answers" if ok else f"{site} does not answer",
                        "" if ok else "start nginx (`make cluster`); its errors are in "
                        "var/cluster/log/balancer-error.log"))
    return checks


def check_workers() -> Check:
    want = tk.config["ckanext.lampangpoverty.cluster.workers"]
    fix = ("start the missing worker (`make cluster` starts what is missing): "
           "ckan -c <ini> jobs worker default lampangpoverty_quality")

    def run() -> Check:
        from rq import Worker

        found = len(Worker.all(connection=connect_to_redis()))
        return Check("cluster workers", found >= want,
                     f"{found} of {want} background workers registered", "" if found >= want
                     else fix)
    return _guarded("cluster workers", fix, run)


# Harvest consumers name their Redis connections (harvesters/queue.connect).
CONSUMER_PREFIX = "lampangpoverty-harvest-"
NODE_FIX = ("start the missing processes on that node (`make cluster` starts what is missing): "
            "`ckan -c <ini> jobs worker default lampangpoverty_quality` and "
            "`ckan -c <ini> lampangpoverty harvest-consumer fetch`")


def _host(address: str) -> str:
    """The node of a Redis client address ``ip:port``."""
    return address.rpartition(":")[0] or address


def processes_by_node() -> dict[str, Counter]:
    """What each node runs, as Redis sees it: RQ workers (by the address each registered
    from) and harvest consumers (by their named connections)."""
    from rq import Worker

    conn = connect_to_redis()
    nodes: dict[str, Counter] = {}
    for worker in Worker.all(connection=conn):
        nodes.setdefault(_host(worker.ip_address or "unknown"), Counter())["worker"] += 1
    for client in conn.client_list():
        name = client.get("name") or ""
        if name.startswith(CONSUMER_PREFIX):
            nodes.setdefault(_host(client["addr"]), Counter())[name[len(CONSUMER_PREFIX):]] += 1
    return nodes


def _web_node_hosts() -> set[str]:
    hosts = set()
    for url in as_list(tk.config["ckanext.lampangpoverty.cluster.web_nodes"]):
        host = urlsplit(url).hostname or ""
        try:
            hosts.add(socket.gethostbyname(host))
        except OSError:
            hosts.add(host)
    return hosts


def _plural(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def check_nodes() -> list[Check]:
    """One check per node (every web node's host and every host running a worker or a
    consumer): its background workers and harvest consumers; a web node's host without a
    worker or a fetch consumer fails, and the cluster needs one gather consumer."""
    def run() -> list[Check]:
        nodes = processes_by_node()
        checks = []
        for host in sorted(_web_node_hosts() | set(nodes)):
            got = nodes.get(host, Counter())
            detail = (f"{_plural(got['worker'], 'background worker')}, "
                      f"{_plural(got['fetch'], 'harvest fetch consumer')}, "
                      f"{_plural(got['gather'], 'harvest gather consumer')}")
            ok = got["worker"] > 0 and got["fetch"] > 0
            checks.append(Check(f"node {host}", ok, detail, "" if ok else NODE_FIX))
        gather = sum(got["gather"] for got in nodes.values())
        checks.append(Check("harvest gather", gather > 0,
                            f"{_plural(gather, 'gather consumer')} in the cluster",
                            "" if gather else "start one: `ckan -c <ini> lampangpoverty "
                            "harvest-consumer gather` (`make cluster` does)"))
        return checks

    try:
        return run()
    except Exception as e:  # a check reports, it never stops the others
        return [Check("nodes", False, f"{type(e).__name__}: {e}".strip(), NODE_FIX)]


def run_cluster_checks() -> list[Check]:
    if not tk.config["ckanext.lampangpoverty.cluster.zookeeper"]:
        return []
    return [check_zookeeper(), check_solr_shards(), *check_web_nodes(), check_workers(),
            *check_nodes()]
