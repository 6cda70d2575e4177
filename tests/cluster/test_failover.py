"""A node of the cluster lost: search and indexing go on, nothing is lost when it returns, and
the balancer keeps answering (logged-in users stay logged in) without one web node."""
from __future__ import annotations

import re

import requests

from ckanext.lampangpoverty.cli import cluster_checks

WAIT = 90      # seconds: ZooKeeper gives a killed Solr node up after 8 s, then elects


def wait_for(predicate, seconds: float = WAIT) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(1)
    return predicate()


def test_a_solr_node_lost_then_back(cluster, cluster_config):
    before = cluster.new_record("บันทึกก่อนเสียโหนด")
    assert before.status_code == 200, before.text[:500]
    before_name = before.json()["result"]["name"]
    cluster.kill("solr-2")

    # Search answers at once: the balancer and Solr skip the dead node.
    assert cluster.found(before_name)
    # A new record gets indexed once the lost node's shards have a new leader; a failed
    # attempt leaves nothing stored (the action's transaction is not committed).
    created: dict = {}

    def create() -> bool:
        res = cluster.new_record("บันทึกระหว่างเสียโหนด")
        if res.status_code == 200:
            created.update(res.json()["result"])
        return res.status_code == 200

    assert wait_for(create), "no record could be created while solr-2 was down"
    assert cluster.found(created["name"])
    # doctor names the lost node's replicas and says what to do, once ZooKeeper has given
    # the node up (its session times out)
    assert wait_for(lambda: not cluster_checks.check_solr_shards().ok, 60)
    shards = cluster_checks.check_solr_shards()
    assert f"127.0.0.1:{cluster.cl.ports['solr_2']}_solr" in shards.detail
    assert "start the lost Solr node" in shards.fix

    # solr-2 back: its replicas recover from the leaders and the index is complete.
    cluster.module.start_solr_node(cluster.cl, "solr-2", cluster.cl.ports["solr_2"])
    assert wait_for(lambda: not cluster.solr_problems(), 120), cluster.solr_problems()
    check = cluster.ckan("search-index", "check")
    assert "Packages not indexed = 0 out of" in check, check[-1000:]
    assert record_on_both_replicas(cluster, created["name"])
    assert record_on_both_replicas(cluster, before_name)


def record_on_both_replicas(cluster, name: str) -> bool:
    """The record is in exactly one shard, on each of that shard's two replicas."""
    status = cluster.module.cluster_status(cluster.cl.ports["solr_1"])
    holding = []
    for shard, spec in status["collections"]["ckan"]["shards"].items():
        hits = []
        for r in spec["replicas"].values():
            res = requests.get(f"{r['base_url']}/{r['core']}/select", timeout=30, params={
                "q": f"name:{name}", "distrib": "false", "wt": "json", "rows": 0})
            hits.append(res.json()["response"]["numFound"])
        if any(hits):
            holding.append((shard, hits))
    return len(holding) == 1 and holding[0][1] == [1, 1]


def test_a_web_node_lost(cluster):
    session = requests.Session()
    login = session.get(f"{cluster.url}/user/login", timeout=60)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.text).group(1)
    password = (cluster.cl.var / "admin_password").read_text().strip()
    res = session.post(f"{cluster.url}/user/login", allow_redirects=False, timeout=60,
                       data={"login": "admin", "password": password, "_csrf_token": token})
    assert res.status_code == 302 and "/user/login" not in res.headers["Location"]

    def logged_in() -> bool:
        page = session.get(f"{cluster.url}/dashboard/datasets", allow_redirects=False,
                           timeout=60)
        return page.status_code == 200

    assert logged_in()
    cluster.kill("web-1")
    try:
        # Every request is answered, by web-2, and the session (a signed cookie, not one
        # node's memory) still logs the user in.
        statuses = [requests.get(f"{cluster.url}/api/3/action/status_show",
                                 timeout=60).status_code for _ in range(10)]
        assert statuses == [200] * 10
        assert all(logged_in() for _ in range(4))
        anonymous = requests.get(f"{cluster.url}/dashboard/datasets", allow_redirects=False,
                                 timeout=60)
        assert anonymous.status_code != 200       # the check above can fail
    finally:
        # The node comes back (`make cluster` starts what is missing): the later tests
        # upload through web-1.
        cluster.module.start_web_nodes(cluster.cl)
    assert logged_in()
