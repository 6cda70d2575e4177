"""doctor in cluster mode: every part of the cluster checked, and a part that is missing named
with its fix. (The Solr node lost is checked in test_failover, while it is down.)"""
from __future__ import annotations

from ckanext.lampangpoverty.cli import cluster_checks


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
