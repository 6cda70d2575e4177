"""The compose profile "cluster" (issue 18): the same processes as the local cluster, SolrCloud
with authentication on every node, health checks, one shared storage volume, and the
single-node deployment unchanged without the profile."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, load_stack
from .test_deployment import compose_command

SECRETS = {"CKAN_SECRET_KEY": "x" * 32, "POSTGRES_PASSWORD": "pw", "CKAN_SYSADMIN_PASSWORD": "pw",
           "SOLR_PASSWORD": "pw", "REDIS_PASSWORD": "pw", "DATASTORE_READONLY_PASSWORD": "pw"}
CLUSTER_SWITCH = {"COMPOSE_PROFILES": "cluster", "SOLR_HOST": "solrcloud",
                  "SINGLE_NODE_REPLICAS": "0"}
SINGLE_ONLY = ("ckan", "solr", "worker", "harvest-fetch")
NO_COMPOSE = pytest.mark.skipif(compose_command() is None, reason="no Docker Compose client")


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def effective(**switch: str) -> dict:
    """`docker compose config` as JSON, with the secrets set and the given variables."""
    env = {k: v for k, v in os.environ.items()
           if k not in CLUSTER_SWITCH and not k.startswith(("COMPOSE_", "CKAN_"))}
    env.update(SECRETS, **switch)
    result = subprocess.run([*compose_command(), "-f", str(ROOT / "docker-compose.yml"),
                             "config", "--format", "json"],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def cluster():
    return effective(**CLUSTER_SWITCH)


@pytest.fixture(scope="module")
def single():
    return effective()


def replicas(service: dict) -> int:
    return int(service.get("deploy", {}).get("replicas", 1))


def running(config: dict) -> dict[str, dict]:
    return {name: s for name, s in config["services"].items() if replicas(s) > 0}


def is_ckan(service: dict) -> bool:
    return service.get("image", "").startswith("lampangpoverty/ckan:")


# ------------------------------------------------------------ consistency with `make cluster`

def test_every_local_cluster_process_is_a_compose_service_doing_the_same(raw):
    stack = load_stack()
    if not hasattr(stack, "CLUSTER_PROCESSES"):
        pytest.skip("bin/stack has no CLUSTER_PROCESSES yet (the local cluster is built on "
                    "the branch issue18-cluster); this test must pass once both are merged")
    services = raw["services"]
    for name in stack.CLUSTER_PROCESSES:
        assert name in services, f"{name} runs in `make cluster` but not in the compose profile"
        service = services[name]
        base = re.sub(r"-\d+$", "", name)
        if base in stack.WORKERS:
            assert service["command"] == ["ckan", *stack.WORKERS[base]], name
        elif base == "web":
            assert "command" not in service and service["image"].startswith("lampangpoverty/ckan")
        elif base == "solr":
            assert service["command"] == ["solr-foreground"]
            assert service["environment"]["ZK_HOST"] == "zookeeper:2181"
        elif base == "balancer":
            assert service["image"].startswith("nginx:")
        else:
            assert base == "zookeeper" and service["image"].startswith("zookeeper:"), name
    # Nothing in the profile that the local cluster lacks, but the one-shot SolrCloud set-up
    # and Solr's balancer (locally the one nginx, "balancer", serves both templates).
    profiled = {n for n, s in services.items() if "cluster" in s.get("profiles", ())}
    assert profiled - set(stack.CLUSTER_PROCESSES) == {"solr-init", "solr-balancer"}
    solr_balancer = services["solr-balancer"]
    assert solr_balancer["image"] == services["balancer"]["image"]
    assert ("./config/nginx/solr.conf.template:/etc/nginx/templates/default.conf.template:ro"
            in solr_balancer["volumes"])
    wanted = set(re.findall(r"\$\{([A-Z_0-9]+)\}",
                            (ROOT / "config/nginx/solr.conf.template").read_text()))
    assert wanted <= set(solr_balancer["environment"])


@NO_COMPOSE
def test_the_cluster_runs_two_of_each_node_and_none_of_the_single_node_ones(cluster):
    services = running(cluster)
    for name in SINGLE_ONLY:
        assert name not in services, f"{name} would run beside the cluster"
    commands = [tuple(s.get("command") or ()) for s in services.values() if is_ckan(s)]
    assert commands.count(("ckan", "jobs", "worker")) == 2
    assert commands.count(("ckan", "lampangpoverty", "harvest-consumer", "fetch")) == 2
    assert commands.count(("ckan", "lampangpoverty", "harvest-consumer", "gather")) == 1
    assert commands.count(("ckan", "lampangpoverty", "harvest-scheduler")) == 1
    web = [n for n, s in services.items() if is_ckan(s) and not s.get("command")]
    assert sorted(web) == ["web-1", "web-2"]
    solr = [n for n, s in services.items() if s.get("command") == ["solr-foreground"]]
    assert sorted(solr) == ["solr-1", "solr-2"]
    # Exactly one node migrates; the others wait for it to be healthy.
    migrating = [n for n, s in services.items() if s["environment"].get("CKAN_MIGRATE") == "1"]
    assert migrating == ["web-1"]
    for name, service in services.items():
        if is_ckan(service) and name != "web-1":
            assert service["depends_on"]["web-1"]["condition"] == "service_healthy", name


@NO_COMPOSE
def test_every_cluster_ckan_process_uses_solrcloud_and_the_one_shared_storage(cluster):
    services = running(cluster)
    ckan = {n: s for n, s in services.items() if is_ckan(s)}
    assert len(ckan) >= 10
    for name, service in ckan.items():
        assert service["environment"]["CKAN_SOLR_URL"] == "http://solrcloud:8983/solr/ckan", name
        mounts = {v["target"]: v.get("source") for v in service["volumes"]}
        assert mounts["/var/lib/ckan"] == "ckan_storage", name
        assert service["environment"]["CKAN_STORAGE_PATH"] == "/var/lib/ckan", name
    # "solrcloud" is nginx in front of both Solr nodes: CKAN goes on when one is lost.
    assert services["solr-balancer"]["networks"]["default"]["aliases"] == ["solrcloud"]
    assert services["solr-balancer"]["environment"]["SOLR_1"] == "solr-1:8983"
    assert services["solr-balancer"]["environment"]["SOLR_2"] == "solr-2:8983"
    for name in ("solr-1", "solr-2"):
        assert "networks" not in services[name] or "solrcloud" not in str(
            services[name]["networks"]), name
        assert services[name]["environment"]["SOLR_HOST"] == name


@NO_COMPOSE
def test_without_the_profile_the_single_node_deployment_is_unchanged(single):
    services = running(single)
    assert set(services) == {"ckan", "worker", "harvest-gather", "harvest-fetch",
                             "harvest-scheduler", "quality-worker", "quality-scheduler", "db",
                             "solr", "redis"}
    for name, service in services.items():
        assert replicas(service) == 1, name
        if is_ckan(service):
            assert service["environment"]["CKAN_SOLR_URL"] == "http://solr:8983/solr/ckan"
            # Only a dependency the profile "cluster" brings, ignored without it.
            assert service.get("depends_on", {}).get("web-1", {"required": False}) \
                ["required"] is False, name
    # The standalone Solr: the image's own command (solr-precreate ckan), no ZooKeeper.
    assert not services["solr"].get("command") and "ZK_HOST" not in services["solr"]["environment"]
    assert services["ckan"]["ports"][0]["published"] == "5000"


@NO_COMPOSE
def test_the_cluster_refuses_to_run_without_the_solr_password():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "CKAN_"))}
    env.update({k: v for k, v in SECRETS.items() if k != "SOLR_PASSWORD"}, **CLUSTER_SWITCH)
    env.pop("SOLR_PASSWORD", None)
    result = subprocess.run([*compose_command(), "-f", str(ROOT / "docker-compose.yml"),
                             "config"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode != 0 and "SOLR_PASSWORD" in result.stderr


# ------------------------------------------------------------------ Solr, health, balancer

def test_every_solr_node_and_the_set_up_require_the_secret_password(raw):
    services = raw["services"]
    for name in ("solr-1", "solr-2", "solr-init"):
        env = services[name]["environment"]
        assert env["SOLR_USER"] == "ckan", name
        assert env["SOLR_PASSWORD"].startswith("${SOLR_PASSWORD:?"), name
    for name in ("solr-1", "solr-2"):
        check = services[name]["healthcheck"]["test"][1]
        assert '-u "ckan:$$SOLR_PASSWORD"' in check, name
        assert "-Dsolr.allowPaths=/var/solr/backup" in services[name]["environment"]["SOLR_OPTS"]
        volumes = services[name]["volumes"]
        assert "solr_backup:/var/solr/backup" in volumes, name     # one location for BACKUP
    assert services["solr-1"]["volumes"][0] != services["solr-2"]["volumes"][0]
    for name in ("web-1", "web-2", "worker-1", "harvest-fetch-2"):
        assert services[name]["environment"]["CKAN_SOLR_PASSWORD"].startswith("${SOLR_PASSWORD:?")


def test_long_running_nodes_have_health_checks_and_the_set_up_runs_once(raw):
    services = raw["services"]
    for name in ("zookeeper", "solr-1", "solr-2", "web-1", "web-2", "balancer"):
        assert services[name]["healthcheck"]["test"], name
    init = services["solr-init"]
    assert init["restart"] == "no"
    assert init["entrypoint"] == ["/opt/lampangpoverty/cluster-init.sh"]
    assert init["environment"]["SOLR_SHARDS"] == "2" and init["environment"]["SOLR_REPLICAS"] == "2"
    for name in ("web-1", "web-2", "worker-2", "harvest-fetch-1"):
        assert services[name]["depends_on"]["solr-init"]["condition"] == \
            "service_completed_successfully", name
    dockerfile = (ROOT / "docker" / "solr" / "Dockerfile").read_text()
    assert "docker/solr/cluster-init.sh /opt/lampangpoverty/cluster-init.sh" in dockerfile


def test_the_balancer_uses_the_shared_nginx_template_with_every_variable_set(raw):
    balancer = raw["services"]["balancer"]
    image, _, tag = balancer["image"].partition(":")
    assert image == "nginx" and re.fullmatch(r"\d+\.\d+\.\d+(-\w+)?", tag), balancer["image"]
    mount = "./config/nginx/ckan.conf.template:/etc/nginx/templates/default.conf.template:ro"
    assert mount in balancer["volumes"]
    template = ROOT / "config" / "nginx" / "ckan.conf.template"
    if not template.exists():
        pytest.skip("config/nginx/ckan.conf.template comes from the branch issue18-cluster")
    wanted = set(re.findall(r"\$\{([A-Z_0-9]+)\}", template.read_text()))
    assert wanted == {"LISTEN_PORT", "WEB_1", "WEB_2"}
    assert wanted <= set(balancer["environment"])
    assert balancer["ports"] == [f"${{CKAN_PORT:-5000}}:{balancer['environment']['LISTEN_PORT']}"]


def test_env_example_names_the_cluster_switch():
    example = (ROOT / ".env.example").read_text()
    for name, value in CLUSTER_SWITCH.items():
        assert re.search(rf"^#\s*{name}={value}$", example, re.M), name


# ----------------------------------------------------------- the one-shot SolrCloud set-up

def fake_tools(folder: Path, collections: str) -> Path:
    """`solr` and `curl` stand-ins that log their arguments (and curl its config file), curl
    answering the Collections API's LIST with ``collections``."""
    log = folder / "calls.log"
    (folder / "solr").write_text(f"""#!/bin/sh
echo "solr $*" >> {log}
[ "$1 $2" = "zk cp" ] && cp "$3" {folder}/uploaded.json
exit 0
""")
    (folder / "curl").write_text(f"""#!/bin/sh
echo "curl $*" >> {log}
while [ $# -gt 0 ]; do [ "$1" = -K ] && cat "$2" >> {log}; shift; done
echo '{{"responseHeader":{{"status":0}},"collections":[{collections}]}}'
""")
    for tool in ("solr", "curl"):
        (folder / tool).chmod(0o755)
    return log


@pytest.mark.parametrize("existing", ["", '"other"', '"ckan"'])
def test_the_set_up_creates_the_collection_2x2_once_and_reloads_it_after(tmp_path, existing):
    log = fake_tools(tmp_path, existing)
    password = 'pä ss"wo\\rd'
    env = {"PATH": f"{tmp_path}:{os.environ['PATH']}", "ZK_HOST": "zookeeper:2181",
           "SOLR_URL": "http://solr-1:8983/solr", "SOLR_USER": "ckan",
           "SOLR_PASSWORD": password, "SOLR_COLLECTION": "ckan"}
    done = subprocess.run(["sh", str(ROOT / "docker" / "solr" / "cluster-init.sh")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    calls = log.read_text()
    assert "solr zk cp " in calls and " zk:/security.json -z zookeeper:2181" in calls
    assert "solr zk upconfig -n ckan -d /opt/solr/server/solr/configsets/ckan/conf" in calls
    security = json.loads((tmp_path / "uploaded.json").read_text())
    assert security["authentication"]["blockUnknown"] is True
    assert security["authorization"]["user-role"] == {"ckan": "admin"}
    create = [c for c in calls.splitlines() if "action=CREATE" in c]
    reload = [c for c in calls.splitlines() if "action=RELOAD&name=ckan" in c]
    if existing == '"ckan"':
        assert reload and not create
    else:
        assert len(create) == 1 and not reload
        assert "numShards=2&replicationFactor=2" in create[0]
        assert "collection.configName=ckan" in create[0]
    # The password reaches curl through its config file, escaped, never on a command line.
    assert password not in "".join(line for line in calls.splitlines()
                                   if line.startswith(("curl ", "solr ")))
    assert 'user = "ckan:pä ss\\"wo\\\\rd"' in calls


def test_the_set_up_stops_with_a_clear_error_without_the_password(tmp_path):
    fake_tools(tmp_path, "")
    env = {"PATH": f"{tmp_path}:{os.environ['PATH']}", "ZK_HOST": "zookeeper:2181",
           "SOLR_URL": "http://solr-1:8983/solr", "SOLR_USER": "ckan"}
    done = subprocess.run(["sh", str(ROOT / "docker" / "solr" / "cluster-init.sh")],
                          capture_output=True, text=True, env=env)
    assert done.returncode != 0 and "SOLR_PASSWORD" in done.stderr
    assert not (tmp_path / "calls.log").exists()
