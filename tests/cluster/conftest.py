"""The cluster tests (`make test`'s bounded cluster step): they start the local cluster
(bin/stack up cluster), kill its nodes and watch the platform go on. They run only when
LAMPANG_CLUSTER_TESTS=1 (the Makefile's cluster step sets it), never in the ordinary run."""
from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid

import pytest
import requests

from ..conftest import REQUIRED, ROOT

# The harvest tests' partner server on 127.0.0.1, for the cluster harvest test (the cluster
# allows loopback sources).
from ..harvesters.conftest import _partner_server  # noqa: F401 (a fixture)

if os.environ.get("LAMPANG_CLUSTER_TESTS") != "1":
    collect_ignore_glob = ["test_*.py"]


def load_cluster():
    """bin/cluster.py (which loads bin/stack) as a module."""
    path = str(ROOT / "bin" / "cluster.py")
    loader = importlib.machinery.SourceFileLoader("lampang_cluster", path)
    spec = importlib.util.spec_from_loader("lampang_cluster", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class Running:
    """The running cluster: its ports, processes and an admin token."""

    def __init__(self, module):
        self.module = module
        self.cl = module.Cluster()
        self.url = f"http://127.0.0.1:{self.cl.ports['ckan']}"
        self.token = ""

    def ckan(self, *args: str) -> str:
        done = subprocess.run(module_ckan(self.cl, args), capture_output=True, text=True,
                              env=self.module.stack.ckan_env(), timeout=240)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done.stdout

    def kill(self, proc: str) -> None:
        """SIGKILL to the process group: a node lost, not shut down."""
        pid = self.cl.pid(proc)
        assert pid, f"{proc} is not running"
        os.killpg(pid, signal.SIGKILL)
        assert self.module.stack.wait_until(lambda: self.cl.pid(proc) is None, 15)

    def api(self, action: str, method: str = "GET", **data):
        headers = {"Authorization": self.token}
        if method == "GET":
            return requests.get(f"{self.url}/api/3/action/{action}", params=data,
                                headers=headers, timeout=120)
        return requests.post(f"{self.url}/api/3/action/{action}", json=data, headers=headers,
                             timeout=120)

    def new_record(self, title: str) -> requests.Response:
        name = f"cluster-{uuid.uuid4().hex[:10]}"
        return self.api("package_create", "POST", type="poverty-dataset", name=name,
                        title=title, owner_org=self.org, **REQUIRED["poverty-dataset"])

    def found(self, name: str) -> bool:
        res = self.api("package_search", q=f"name:{name}")
        return res.status_code == 200 and res.json()["result"]["count"] == 1

    def make_user(self, role: str | None) -> tuple[str, str]:
        """A new user (a member of the cluster's organisation with ``role``, or of none) and
        an API token of theirs."""
        name = f"cluster-{uuid.uuid4().hex[:8]}"
        res = self.api("user_create", "POST", name=name, email=f"{name}@example.org",
                       password=f"pw-{uuid.uuid4().hex}")
        assert res.status_code == 200, res.text[:500]
        if role:
            res = self.api("organization_member_create", "POST", id=self.org, username=name,
                           role=role)
            assert res.status_code == 200, res.text[:500]
        res = self.api("api_token_create", "POST", user=name, name="cluster-test")
        assert res.status_code == 200, res.text[:500]
        return name, res.json()["result"]["token"]

    def node(self, proc: str) -> str:
        """The address of one web node, past the balancer."""
        return f"http://127.0.0.1:{self.cl.web_nodes()[proc]}"

    def private_person_dataset(self) -> dict:
        res = self.api("package_create", "POST", type="poverty-dataset",
                       name=f"cluster-bmn-{uuid.uuid4().hex[:8]}", title="BMN cluster",
                       owner_org=self.org, private=True,
                       **{**REQUIRED["poverty-dataset"], "unit_of_observation": "person"})
        assert res.status_code == 200, res.text[:500]
        return res.json()["result"]

    def upload_table(self, base: str, token: str, dataset: dict, body: bytes) -> str:
        """Submit a household table with its roles through one node; the submission's id."""
        from ckanext.lampangpoverty.disclosure import synthetic

        res = requests.post(
            f"{base}/api/3/action/lampangpoverty_microdata_upload",
            headers={"Authorization": token}, timeout=120,
            files={"upload": ("bmn.csv", body, "text/csv")},
            data={"id": dataset["id"], "roles": json.dumps(synthetic.roles()),
                  "recodes": json.dumps(synthetic.RECODES), "household_column": "household_id"})
        assert res.status_code == 200, res.text[:500]
        return res.json()["result"]["id"]

    def submission(self, base: str, token: str, microdata_id: str) -> dict:
        res = requests.get(f"{base}/api/3/action/lampangpoverty_microdata_show",
                           params={"microdata_id": microdata_id},
                           headers={"Authorization": token}, timeout=60)
        assert res.status_code == 200, res.text[:500]
        return res.json()["result"]

    def wait_checked(self, base: str, token: str, microdata_id: str,
                     seconds: float = 240) -> dict:
        """The submission once its check has ended (passed, failed or error)."""
        deadline = time.monotonic() + seconds
        while (state := self.submission(base, token, microdata_id))["status"] not in (
                "passed", "failed", "error") and time.monotonic() < deadline:
            time.sleep(1)
        return state

    def solr_problems(self) -> list[str]:
        port = next(p for proc, p in self.cl.solr_nodes().items() if self.cl.pid(proc))
        nodes = {f"127.0.0.1:{p}_solr" for p in self.cl.solr_nodes().values()}
        return self.module.placement_problems(self.module.cluster_status(port), nodes)


def module_ckan(cl, args) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(cl.ini), *args]


@pytest.fixture(scope="session")
def cluster():
    """Start the cluster (idempotent: a running one is reused), make an admin token and an
    organisation; stop the cluster at the end unless LAMPANG_CLUSTER_KEEP=1."""
    subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), "up", "cluster"], check=True,
                   timeout=600)
    running = Running(load_cluster())
    out = running.ckan("user", "token", "add", "admin", f"cluster-test-{time.time():.0f}")
    running.token = out.strip().splitlines()[-1].strip()
    assert re.fullmatch(r"[\w.\-]+", running.token), out[-500:]
    org = f"cluster-org-{uuid.uuid4().hex[:8]}"
    res = running.api("organization_create", "POST", name=org, title="Cluster test",
                      sector="government")
    assert res.status_code == 200, res.text[:500]
    running.org = org
    yield running
    if os.environ.get("LAMPANG_CLUSTER_KEEP") != "1":
        subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), "down", "cluster"],
                       timeout=120)


@pytest.fixture
def cluster_config(cluster, monkeypatch):
    """This test process's CKAN config pointed at the cluster, for doctor's checks."""
    import ckan.plugins.toolkit as tk

    cl = cluster.cl
    values = {
        "solr_url": f"http://127.0.0.1:{cl.ports['solr']}/solr/ckan",
        "ckan.site_url": cluster.url,
        "ckan.redis.url": f"redis://127.0.0.1:{cl.ports['redis']}/0",
        "ckanext.lampangpoverty.cluster.zookeeper": f"127.0.0.1:{cl.ports['zk']}",
        "ckanext.lampangpoverty.cluster.web_nodes":
            [f"http://127.0.0.1:{p}" for p in cl.web_nodes().values()],
        "ckanext.lampangpoverty.cluster.workers": 2,
    }
    for key, value in values.items():
        monkeypatch.setitem(tk.config, key, value)
    # CKAN keeps one Redis connection pool per process: a new one for the cluster's Redis.
    import ckan.lib.redis

    monkeypatch.setattr(ckan.lib.redis, "_connection_pool", None)
    return tk.config
