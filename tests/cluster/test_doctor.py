"""doctor in cluster mode: every part of the cluster checked, and a part that is missing named
with its fix. (The Solr node lost is checked in test_failover, while it is down.)"""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk

from ckanext.lampangpoverty.cli import cluster_checks

from .test_failover import wait_for


def test_the_healthy_cluster_passes_every_cluster_check(cluster, cluster_config):
    checks = cluster_checks.run_cluster_checks()
    names = [c.name for c in checks]
    assert names[:2] == ["zookeeper", "solr shards"]
    assert "balancer" in names and len([n for n in names if n.startswith("web node")]) == 2
    assert [c.line() for c in checks if not c.ok] == []
    shards = next(c for c in checks if c.name == "solr shards")
    assert "2 shards, 4 replicas active" in shards.detail and "on 2 nodes" in shards.detail


def test_missing_parts_are_named_with_their_fix(cluster, cluster_config, monkeypatch):
    closed = "127.0.0.1:9"   # discard port: nothing listens there
    monkeypatch.setitem(cluster_config, "ckanext.lampangpoverty.cluster.zookeeper", closed)
    monkeypatch.setitem(cluster_config, "ckanext.lampangpoverty.cluster.web_nodes",
                        [*cluster_config["ckanext.lampangpoverty.cluster.web_nodes"],
                         f"http://{closed}"])
    monkeypatch.setitem(cluster_config, "ckanext.lampangpoverty.cluster.workers", 3)
    failed = {c.name: c for c in cluster_checks.run_cluster_checks() if not c.ok}
    assert set(failed) == {"zookeeper", f"web node http://{closed}", "cluster workers"}
    assert "make cluster" in failed["zookeeper"].fix
    assert "2 of 3 background workers" in failed["cluster workers"].detail
    assert "start it again" in failed[f"web node http://{closed}"].fix


def test_doctor_has_no_cluster_checks_outside_a_cluster(cluster, cluster_config, monkeypatch):
    monkeypatch.setitem(cluster_config, "ckanext.lampangpoverty.cluster.zookeeper", "")
    assert cluster_checks.run_cluster_checks() == []


def fetch_copies() -> int:
    """The fetch consumers one `harvest-consumer fetch` command runs."""
    return tk.config["ckanext.lampangpoverty.harvest.fetch_consumers"]


def node_check(name: str):
    return next(c for c in cluster_checks.run_cluster_checks() if c.name == name)


def test_each_node_is_checked_for_its_workers_and_consumers(cluster, cluster_config,
                                                            monkeypatch):
    # Every process of the local cluster is on 127.0.0.1 (a real node: its own address).
    local = node_check("node 127.0.0.1")
    assert local.ok, local.line()
    # Two fetch consumer commands (harvest-fetch-1 and -2), each running
    # harvest.fetch_consumers processes, every one of them counted.
    fetch = 2 * fetch_copies()
    assert re.fullmatch(rf"\d+ background workers, {fetch} harvest fetch consumers, "
                        r"1 harvest gather consumer", local.detail), local.detail
    assert int(local.detail.split()[0]) >= 2
    # A web node on a machine that runs no worker and no consumer is named with the fix.
    monkeypatch.setitem(cluster_config, "ckanext.lampangpoverty.cluster.web_nodes",
                        [*cluster_config["ckanext.lampangpoverty.cluster.web_nodes"],
                         "http://127.0.0.2:9"])
    bare = node_check("node 127.0.0.2")
    assert not bare.ok
    assert bare.detail == ("0 background workers, 0 harvest fetch consumers, "
                           "0 harvest gather consumers")
    assert "harvest-consumer fetch" in bare.fix and "jobs worker" in bare.fix


def test_a_node_that_lost_its_fetch_consumers_is_named(cluster, cluster_config):
    cluster.kill("harvest-fetch-2")           # the command and the copies it forked
    left = fetch_copies()
    assert f"{left} harvest fetch consumer{'s' if left > 1 else ''}," in \
        node_check("node 127.0.0.1").detail
    cluster.kill("harvest-fetch-1")
    local = node_check("node 127.0.0.1")
    assert not local.ok and "0 harvest fetch consumers" in local.detail
    assert "harvest-consumer fetch" in local.fix
    cluster.module.start_workers(cluster.cl)      # what `make cluster` does
    assert wait_for(lambda: node_check("node 127.0.0.1").ok, 120), \
        node_check("node 127.0.0.1").line()
