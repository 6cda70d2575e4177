"""What the benchmarks share: printing, a bench database and ini beside the test services,
running ``ckan`` commands, and serving a CKAN with the production WSGI server (gunicorn)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def say(message: str) -> None:
    print(message, flush=True)


def ckan_env() -> dict[str, str]:
    """The environment without CKAN_* variables, so that only the ini given counts."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}


def ckan(ini: Path, *args: str) -> None:
    """Run a ``ckan`` command; raise CalledProcessError if it fails."""
    subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), *args], check=True,
                   capture_output=True, env=ckan_env())


def timed_ckan(ini: Path, *args: str) -> tuple[float, str]:
    """Run a ``ckan`` command; return its wall time and output; exit with its output if it
    fails."""
    start = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), *args],
                          capture_output=True, text=True, env=ckan_env())
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"ckan {' '.join(args)} failed:\n{done.stdout[-3000:]}"
                         f"{done.stderr[-3000:]}")
    return seconds, done.stdout + done.stderr


def fresh_database(stack, env, db: str, template: str = "template0") -> None:
    """Drop ``db`` if it exists and create it empty (or as a copy of ``template``)."""
    stack.psql(env, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    if template != "template0":     # a copy needs the template's sessions gone
        stack.psql(env, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        f"WHERE datname = '{template}' AND pid <> pg_backend_pid()")
    stack.psql(env, f"CREATE DATABASE {db} OWNER {stack.DB_USER} ENCODING 'UTF8' "
                    f"TEMPLATE {template}")


def portal_ini(stack, env, db: str, site_id: str, name: str, extra: str = "") -> Path:
    """An ini for this portal on a fresh database ``db`` of the test services: the test
    configuration with the plugins of config/ckan.ini, its own site id, and ``extra``."""
    fresh_database(stack, env, db)
    ini = env.var / name
    plugins = None
    for line in (ROOT / "config" / "ckan.ini").read_text().split("ckan.plugins =", 1)[1] \
            .splitlines():
        if line and not line[0].isspace() and plugins is not None:
            break
        plugins = (plugins or "") + " " + line.strip()
    ini.write_text(f"""[app:main]
use = config:{env.ini}
sqlalchemy.url = postgresql://{stack.DB_USER}:{stack.DB_PASSWORD}@127.0.0.1:{env.ports['pg']}/{db}
ckan.site_id = {site_id}
ckan.plugins = {" ".join((plugins or "").split())}
{extra}""")
    return ini


def solr_core(env, name: str, schema: Path | None = None) -> str:
    """A standalone core ``name`` in the test Solr with our configset (``schema``: another
    schema.xml in its place), created once; return its URL."""
    base = f"http://127.0.0.1:{env.ports['solr']}/solr"
    with urllib.request.urlopen(f"{base}/admin/cores?action=STATUS&core={name}&wt=json",
                                timeout=60) as answer:
        if json.loads(answer.read())["status"].get(name, {}).get("name"):
            return f"{base}/{name}"
    conf = env.var / "solr" / name / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    for f in (ROOT / "config" / "solr").iterdir():
        if f.is_file() and f.name != "README.md":
            shutil.copy2(f, conf / f.name)
    if schema is not None:
        shutil.copy2(schema, conf / "schema.xml")
    query = urllib.parse.urlencode({"action": "CREATE", "name": name,
                                    "instanceDir": str(conf.parent), "wt": "json"})
    with urllib.request.urlopen(f"{base}/admin/cores?{query}", timeout=120) as answer:
        json.loads(answer.read())
    return f"{base}/{name}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A CKAN served by gunicorn with the production settings (config/gunicorn.conf.py and
    docker/ckan/wsgi.py), ``workers`` synchronous workers, on a free loopback port."""

    def __init__(self, ini: Path, workers: int, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        run_env = dict(ckan_env(), CKAN_INI=str(ini), GUNICORN_WORKERS=str(workers))
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config",
                 str(ROOT / "config" / "gunicorn.conf.py"), "--pythonpath",
                 str(ROOT / "docker" / "ckan"), "--bind", f"127.0.0.1:{self.port}",
                 "--access-logfile", "/dev/null"],
                stdout=out, stderr=subprocess.STDOUT, env=run_env, start_new_session=True)
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/3/action/status_show",
                                            timeout=5) as answer:
                    json.loads(answer.read())
                return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise SystemExit(f"gunicorn did not start; see {log}") from None
                time.sleep(0.5)

    def workers_rss_mb(self) -> list[float]:
        """Resident memory of each worker (the master's children), in MB."""
        sizes = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) != self.proc.pid:      # fields from "state": 1 = ppid
                    continue
                status = (stat.parent / "status").read_text()
            except OSError:
                continue
            kb = next(line.split()[1] for line in status.splitlines()
                      if line.startswith("VmRSS:"))
            sizes.append(int(kb) / 1024)
        return sorted(sizes)

    def worker_pids(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    pids.append(int(stat.parent.name))
            except OSError:
                continue
        return pids

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
