"""Cluster mode of the local stack (`make cluster`): the platform as several nodes on one
machine, to show it keeps working when a node is lost.

ZooKeeper and two Solr nodes in cloud mode holding the collection ``ckan`` (2 shards x 2
replicas, one replica of every shard on each node, the configset ``ckan`` from config/solr/
uploaded to ZooKeeper); two CKAN web nodes under gunicorn behind nginx (the balancer, which
also gives CKAN one Solr address that survives a Solr node); two background workers; the
harvest gather consumer, two fetch consumer commands (each harvest.fetch_consumers
processes) and the scheduler; one PostgreSQL, one Redis and one storage directory shared by
every node. Everything lives under ``var/cluster/``.

    bin/stack up cluster | down cluster | status cluster

Only the standard library is used (as in bin/stack, whose helpers this module reuses).
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import io
import json
import os
import pwd
import re
import socket
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load_stack():
    loader = importlib.machinery.SourceFileLoader("lampang_stack", str(HERE / "stack"))
    spec = importlib.util.spec_from_loader("lampang_stack", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


stack = _load_stack()
StackError = stack.StackError
say = stack.say
ROOT = stack.ROOT
NGINX_TEMPLATES = ROOT / "config" / "nginx"
COLLECTION = "ckan"
SHARDS = 2
REPLICAS = 2

# Ports of the cluster's own processes; PostgreSQL, Redis, the balancer ("ckan") and CKAN's
# Solr address ("solr") are in stack.ENVIRONMENTS. CLUSTER_<KEY>_PORT overrides each (its own
# variables, so that the PG_PORT=... given to `make test` never moves the cluster).
EXTRA_PORTS = {"zk": 2196, "solr_1": 9046, "solr_2": 9047, "web_1": 5063, "web_2": 5064}
ZK_TICK_MS = 2000
# A killed Solr node's replicas are given up (and new leaders elected) after this long.
ZK_CLIENT_TIMEOUT_MS = 8000
# Ten CKAN processes load at once on a small machine: a web node may take minutes.
WEB_START_TIMEOUT = 420
# gunicorn workers per web node: the two nodes together run as many as `make run`'s single
# node on this machine (GUNICORN_WORKERS overrides; a real node has cores of its own).
WEB_WORKERS = "1"
# The worker processes: name -> ckan sub-command.
CLUSTER_WORKERS = {
    "worker-1": ["jobs", "worker", "default", "lampangpoverty_quality"],
    "worker-2": ["jobs", "worker", "default", "lampangpoverty_quality"],
    "harvest-gather": stack.WORKERS["harvest-gather"],
    "harvest-fetch-1": stack.WORKERS["harvest-fetch"],
    "harvest-fetch-2": stack.WORKERS["harvest-fetch"],
    "harvest-scheduler": stack.WORKERS["harvest-scheduler"],
}


class Cluster(stack.Env):
    """The ``cluster`` environment: bin/stack's bookkeeping plus the extra ports."""

    def __init__(self) -> None:
        super().__init__("cluster")
        spec = stack.ENVIRONMENTS["cluster"]
        defaults = {**{k: spec[k] for k in ("pg", "redis", "solr", "ckan")}, **EXTRA_PORTS}
        self.ports = {key: int(os.environ.get(f"CLUSTER_{key.upper()}_PORT", default))
                      for key, default in defaults.items()}

    def solr_nodes(self) -> dict[str, int]:
        return {"solr-1": self.ports["solr_1"], "solr-2": self.ports["solr_2"]}

    def web_nodes(self) -> dict[str, int]:
        return {"web-1": self.ports["web_1"], "web-2": self.ports["web_2"]}


def check_free(cl: Cluster, key: str, label: str) -> None:
    port = cl.ports[key]
    if stack.port_open(port):
        raise StackError(
            f"port {port} ({label}, cluster) is already taken by another process.\n"
            f"  fix: stop that process (`ss -ltnp 'sport = :{port}'` shows it), or choose "
            f"another port: CLUSTER_{key.upper()}_PORT=<free port> make cluster")


def log_tail(cl: Cluster, proc: str, lines: int = 15) -> str:
    path = cl.logs / f"{proc}.log"
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n  ".join(text.strip().splitlines()[-lines:]) + f"\n  full log: {path}"


def http_json(url: str, data: bytes | None = None, timeout: float = 60,
              content_type: str = "application/octet-stream") -> dict:
    req = urllib.request.Request(url, data=data,
                                 headers={"Content-Type": content_type} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        raise StackError(f"{url.split('?')[0]} answered {e.code}: "
                         f"{e.read().decode('utf-8', 'replace')[:800]}") from e


# --------------------------------------------------------------------------- ZooKeeper

def zk_command(port: int, word: str, timeout: float = 2) -> str:
    """A ZooKeeper four-letter command (ruok, srvr, mntr); '' when it does not answer."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(word.encode())
            chunks = []
            while chunk := s.recv(4096):
                chunks.append(chunk)
            return b"".join(chunks).decode("utf-8", "replace")
    except OSError:
        return ""


def start_zookeeper(cl: Cluster) -> None:
    port = cl.ports["zk"]
    if cl.pid("zookeeper"):
        say(f"ZooKeeper already running on 127.0.0.1:{port}")
        return
    check_free(cl, "zk", "ZooKeeper")
    data = cl.var / "zookeeper"
    data.mkdir(parents=True, exist_ok=True)
    cfg = data / "zoo.cfg"
    cfg.write_text(f"tickTime={ZK_TICK_MS}\ndataDir={data}\nclientPort={port}\n"
                   "clientPortAddress=127.0.0.1\nadmin.enableServer=false\n"
                   "4lw.commands.whitelist=ruok,srvr,mntr\nautopurge.purgeInterval=1\n")
    say(f"starting ZooKeeper on 127.0.0.1:{port}")
    lib = stack.LAUNCHER / "target" / "lib"
    # ZooKeeper's server comes with Solr's own ZooKeeper jars (Maven Central).
    pid = cl.spawn("zookeeper", ["java", "-Xms64m", "-Xmx256m", "-cp", f"{lib}/*",
                                 "org.apache.zookeeper.server.ZooKeeperServerMain", str(cfg)])
    if not stack.wait_until(lambda: zk_command(port, "ruok") == "imok"
                            or cl.pid("zookeeper") is None, 60):
        raise StackError("ZooKeeper did not answer `ruok` within 60s:\n  "
                         + log_tail(cl, "zookeeper"))
    if cl.pid("zookeeper") is None:
        raise StackError("ZooKeeper exited at start:\n  " + log_tail(cl, "zookeeper"))
    say(f"ZooKeeper pid {pid}")


# --------------------------------------------------------------------------- SolrCloud

def solr_xml(cl: Cluster, port: int) -> str:
    return f"""<solr>
  <solrcloud>
    <str name="host">127.0.0.1</str>
    <int name="hostPort">{port}</int>
    <str name="hostContext">solr</str>
    <str name="zkHost">127.0.0.1:{cl.ports['zk']}</str>
    <int name="zkClientTimeout">{ZK_CLIENT_TIMEOUT_MS}</int>
    <bool name="genericCoreNodeNames">true</bool>
  </solrcloud>
</solr>
"""


def start_solr_node(cl: Cluster, proc: str, port: int) -> None:
    if cl.pid(proc):
        say(f"{proc} already running on 127.0.0.1:{port}")
        return
    check_free(cl, proc.replace("-", "_"), f"Solr node {proc}")
    home = cl.var / proc
    home.mkdir(parents=True, exist_ok=True)
    (home / "solr.xml").write_text(solr_xml(cl, port))
    log_path = cl.logs / f"{proc}.log"
    offset = log_path.stat().st_size if log_path.exists() else 0
    say(f"starting Solr node {proc} on 127.0.0.1:{port} (cloud mode)")
    launcher = stack.LAUNCHER
    pid = cl.spawn(proc, [
        "java", "-Xms256m", "-Xmx512m", f"-Dsolr.log.dir={cl.logs}",
        f"-Dsolr.install.dir={launcher}", "-Djava.awt.headless=true",
        f"-DzkHost=127.0.0.1:{cl.ports['zk']}", "-Dhost=127.0.0.1",
        "-cp", f"{launcher}/target/classes:{launcher}/target/lib/*",
        "org.lampangpoverty.solr.LocalSolr", str(home), str(port)])

    def new_log() -> str:
        with open(log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    ready = stack.wait_until(lambda: "SOLR_READY" in new_log() or "SOLR_FAILED" in new_log()
                             or cl.pid(proc) is None, stack.SOLR_START_TIMEOUT)
    if not ready or "SOLR_FAILED" in new_log() or cl.pid(proc) is None:
        stack.stop_pid(cl, proc)
        raise StackError(f"Solr node {proc} failed to start:\n  " + log_tail(cl, proc))
    say(f"{proc} pid {pid}")


def configset_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(stack.CONFIGSET.iterdir()):
            if f.is_file() and f.suffix in (".xml", ".txt"):
                z.write(f, f.name)
    return buf.getvalue()


def cluster_status(port: int, timeout: float = 10) -> dict:
    return http_json(f"http://127.0.0.1:{port}/solr/admin/collections?action=CLUSTERSTATUS"
                     "&wt=json", timeout=timeout)["cluster"]


def placement_problems(status: dict, nodes: set[str]) -> list[str]:
    """What is wrong with the collection's layout: every shard needs a live leader and one
    active replica on each node."""
    coll = status.get("collections", {}).get(COLLECTION)
    if coll is None:
        return [f"no collection {COLLECTION!r}"]
    live = set(status.get("live_nodes", []))
    problems = []
    for shard, spec in sorted(coll["shards"].items()):
        replicas = spec["replicas"].values()
        if not any(r.get("leader") == "true" and r["node_name"] in live
                   and r["state"] == "active" for r in replicas):
            problems.append(f"shard {shard} has no live leader")
        on = {r["node_name"] for r in replicas if r["state"] == "active"
              and r["node_name"] in live}
        for node in sorted(nodes - on):
            problems.append(f"shard {shard} has no active replica on {node}")
    return problems


def ensure_collection(cl: Cluster) -> None:
    """Upload the configset (again: a changed schema is always what runs) and create the
    collection, or reload it."""
    port = cl.ports["solr_1"]
    base = f"http://127.0.0.1:{port}/solr/admin"
    say(f"uploading configset {COLLECTION!r} (config/solr/) to ZooKeeper")
    http_json(f"{base}/configs?action=UPLOAD&name={COLLECTION}&overwrite=true&cleanup=true"
              "&wt=json", data=configset_zip())
    existing = http_json(f"{base}/collections?action=LIST&wt=json").get("collections", [])
    if COLLECTION in existing:
        say(f"reloading collection {COLLECTION!r}")
        http_json(f"{base}/collections?action=RELOAD&name={COLLECTION}&wt=json", timeout=120)
    else:
        say(f"creating collection {COLLECTION!r}: {SHARDS} shards x {REPLICAS} replicas")
        nodes = ",".join(f"127.0.0.1:{p}_solr" for p in cl.solr_nodes().values())
        http_json(f"{base}/collections?action=CREATE&name={COLLECTION}&numShards={SHARDS}"
                  f"&replicationFactor={REPLICAS}&collection.configName={COLLECTION}"
                  f"&createNodeSet={nodes}&waitForFinalState=true&wt=json", timeout=180)
    nodes = {f"127.0.0.1:{p}_solr" for p in cl.solr_nodes().values()}
    problems: list[str] = []

    def settled() -> bool:
        problems[:] = placement_problems(cluster_status(port), nodes)
        return not problems

    if not stack.wait_until(settled, 90, interval=1):
        raise StackError("the Solr collection is not 2x2 on both nodes: " + "; ".join(problems)
                         + f"\n  logs: {cl.logs}/solr-1.log, solr-2.log")


# --------------------------------------------------------------------------- balancer

def render_template(path: Path, values: dict[str, str]) -> str:
    """Replace ${NAME} for the given names only, as the nginx image's envsubst does with the
    variables it is given; nginx's own $variables are left alone."""
    text = path.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    left = sorted(set(re.findall(r"\$\{(\w+)\}", text)))
    if left:
        raise StackError(f"{path} uses variables the cluster does not set: {', '.join(left)}")
    return text


def write_nginx_conf(cl: Cluster) -> Path:
    conf = cl.var / "nginx"
    temp = conf / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:
        # nginx's workers drop root; they buffer uploads in temp/, so that user owns it.
        pw = pwd.getpwnam("www-data")
        user = "user www-data;\n"
        os.chown(temp, pw.pw_uid, pw.pw_gid)
    (conf / "ckan.conf").write_text(render_template(NGINX_TEMPLATES / "ckan.conf.template", {
        "LISTEN_PORT": f"127.0.0.1:{cl.ports['ckan']}",
        "WEB_1": f"127.0.0.1:{cl.ports['web_1']}", "WEB_2": f"127.0.0.1:{cl.ports['web_2']}"}))
    (conf / "solr.conf").write_text(render_template(NGINX_TEMPLATES / "solr.conf.template", {
        "SOLR_LISTEN_PORT": f"127.0.0.1:{cl.ports['solr']}",
        "SOLR_1": f"127.0.0.1:{cl.ports['solr_1']}", "SOLR_2": f"127.0.0.1:{cl.ports['solr_2']}"}))
    main = conf / "nginx.conf"
    main.write_text(f"""# Written by bin/cluster.py at every start.
{user}worker_processes 1;
daemon off;
pid {conf}/nginx.pid;
error_log {cl.logs}/balancer-error.log warn;
events {{ worker_connections 1024; }}
http {{
    # buffered: one write per 64 kB (or 5 s) instead of one per request
    access_log {cl.logs}/balancer-access.log combined buffer=64k flush=5s;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {conf}/ckan.conf;
    include {conf}/solr.conf;
}}
""")
    return main


def start_balancer(cl: Cluster) -> None:
    main = write_nginx_conf(cl)
    if cl.pid("balancer"):
        say("reloading the balancer's configuration")
        stack.run(["nginx", "-c", str(main), "-s", "reload"], quiet=True, what="nginx reload")
        return
    stack.run(["nginx", "-t", "-q", "-c", str(main)], quiet=True, what="nginx -t")
    for key, label in (("ckan", "the balancer"), ("solr", "the Solr balancer")):
        check_free(cl, key, label)
    say(f"starting the balancer (nginx) on 127.0.0.1:{cl.ports['ckan']} (web) and "
        f":{cl.ports['solr']} (Solr)")
    cl.spawn("balancer", ["nginx", "-c", str(main)])
    if not stack.wait_until(lambda: stack.port_open(cl.ports["ckan"])
                            or cl.pid("balancer") is None, 20):
        raise StackError("nginx did not start:\n  " + log_tail(cl, "balancer"))
    if cl.pid("balancer") is None:
        raise StackError("nginx exited at start:\n  " + log_tail(cl, "balancer"))


# --------------------------------------------------------------------------- CKAN nodes

def node_ok(port: int) -> bool:
    try:
        with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/3/action/status_show", timeout=3) as r:
            return json.load(r).get("success") is True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def start_web_nodes(cl: Cluster) -> None:
    """Both web nodes under gunicorn with the one ini (the same secret key, database, Redis,
    Solr address and storage): any node can serve any request or session."""
    web_env = dict(stack.ckan_env(), CKAN_INI=str(cl.ini))
    web_env.setdefault("GUNICORN_WORKERS", WEB_WORKERS)
    # The balancer logs every request; a second access log per node is only more writes.
    web_env.setdefault("GUNICORN_ACCESS_LOG", "off")
    started = []
    for proc, port in cl.web_nodes().items():
        if cl.pid(proc) and node_ok(port):
            say(f"{proc} already serving on 127.0.0.1:{port}")
            continue
        check_free(cl, proc.replace("-", "_"), f"CKAN web node {proc}")
        say(f"starting CKAN web node {proc} on 127.0.0.1:{port}")
        cl.spawn(proc, [str(stack.BIN / "gunicorn"),
                        "--config", str(ROOT / "config" / "gunicorn.conf.py"),
                        "--pythonpath", str(ROOT / "docker" / "ckan"),
                        "--bind", f"127.0.0.1:{port}"], env=web_env)
        started.append((proc, port))
    for proc, port in started:
        stack.wait_until(lambda p=proc, n=port: node_ok(n) or cl.pid(p) is None,
                         WEB_START_TIMEOUT)
        if not node_ok(port):
            stack.stop_pid(cl, proc)
            raise StackError(f"CKAN web node {proc} failed to start:\n  " + log_tail(cl, proc, 20))


def start_workers(cl: Cluster) -> None:
    for proc, args in CLUSTER_WORKERS.items():
        if cl.pid(proc):
            continue
        pid = cl.spawn(proc, stack.ckan_cmd(cl, *args), env=stack.ckan_env())
        say(f"started {proc} (pid {pid})")
    time.sleep(2)
    dead = [p for p in CLUSTER_WORKERS if cl.pid(p) is None]
    if dead:
        raise StackError(f"{', '.join(dead)} exited at start:\n  " + log_tail(cl, dead[0]))


def add_cluster_options(cl: Cluster) -> None:
    """What `ckan lampangpoverty doctor` needs to check the cluster, after bin/stack's ini."""
    webs = " ".join(f"http://127.0.0.1:{p}" for p in cl.web_nodes().values())
    stack.write_private(cl.ini, cl.ini.read_text() + (
        f"ckanext.lampangpoverty.cluster.zookeeper = 127.0.0.1:{cl.ports['zk']}\n"
        f"ckanext.lampangpoverty.cluster.web_nodes = {webs}\n"
        f"ckanext.lampangpoverty.cluster.workers = "
        f"{sum(1 for p in CLUSTER_WORKERS if p.startswith('worker-'))}\n"
        # A local cluster harvests partners served on this machine, as the tests do (its
        # cluster tests serve one); every other internal address stays refused.
        "ckanext.lampangpoverty.harvest.allowed_hosts = 127.0.0.1\n"))


# --------------------------------------------------------------------------- commands

def up() -> None:
    started = time.monotonic()
    stack.install()
    cl = Cluster()
    cl.var.mkdir(parents=True, exist_ok=True)
    stack.start_postgres(cl)
    stack.ensure_database(cl)
    stack.start_redis(cl)
    start_zookeeper(cl)
    for proc, port in cl.solr_nodes().items():
        start_solr_node(cl, proc, port)
    ensure_collection(cl)
    start_balancer(cl)
    stack.write_ini(cl)
    stack.ensure_datastore(cl)
    stack.migrate(cl)
    user, password = stack.ensure_sysadmin(cl)
    stack.ensure_xloader_token(cl)
    add_cluster_options(cl)
    start_web_nodes(cl)
    start_workers(cl)
    if not stack.wait_until(lambda: node_ok(cl.ports["ckan"]), 30):
        raise StackError("the balancer does not reach the web nodes:\n  "
                         + log_tail(cl, "balancer-error"))
    p = cl.ports
    print(f"""
Cluster is running ({time.monotonic() - started:.0f}s)
  portal      http://127.0.0.1:{p['ckan']}/  (nginx -> web-1 :{p['web_1']}, web-2 :{p['web_2']})
  log in as   {user} / {password}   (password kept in {cl.var / 'admin_password'})
  ZooKeeper   127.0.0.1:{p['zk']}
  Solr        collection {COLLECTION} ({SHARDS}x{REPLICAS}) on solr-1 :{p['solr_1']}, solr-2 \
:{p['solr_2']}; CKAN uses {stack.solr_url(cl)}
  PostgreSQL  127.0.0.1:{p['pg']}, Redis 127.0.0.1:{p['redis']}, storage {cl.var / 'storage'}
  workers     {', '.join(CLUSTER_WORKERS)} (logs in {cl.logs})
  check with  .venv/bin/ckan -c {cl.ini} lampangpoverty doctor
  stop with   make stop-cluster
""", flush=True)


def down() -> None:
    cl = Cluster()
    for proc in (*reversed(stack.CLUSTER_PROCESSES), "redis", "postgres"):
        if proc == "postgres":
            stack.stop_postgres(cl)
        else:
            stack.stop_pid(cl, proc)


def status() -> None:
    cl = Cluster()
    for proc in (*stack.CLUSTER_PROCESSES, "redis", "postgres"):
        pid = cl.pid(proc)
        print(f"{proc:18} {'running, pid ' + str(pid) if pid else 'stopped'}")


def main(command: str) -> int:
    commands = {"up": up, "down": down, "status": status}
    if command not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        commands[command]()
    except StackError as e:
        print(f"\n[stack] ERROR: {e}\n", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
