"""A second, separate CKAN 2.12 started on loopback to be harvested: its own database on the
test PostgreSQL and its own site id on the test Solr, a sysadmin with an API token, seeded
through its action API. Used by the harvest tests and by bench/harvest.py."""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.live import LOGGING

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SourcePortal:
    def __init__(self, stack, db: str = "ckan_gdc_source", site_id: str = "gdc_source",
                 plugins: tuple[str, ...] = ("activity",)):
        self.stack, self.env = stack, stack.Env("test")
        self.plugins = plugins
        self.db, self.site_id = db, site_id
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ini = self.env.var / f"{site_id}.ini"
        self.token = ""
        self.server: subprocess.Popen | None = None
        self.run_env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}

    def ckan(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(self.ini), *args],
                              check=True, capture_output=True, text=True, env=self.run_env,
                              **kw)

    def start(self) -> SourcePortal:
        stack, env = self.stack, self.env
        stack.psql(env, f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")
        stack.psql(env, f"CREATE DATABASE {self.db} OWNER {stack.DB_USER} ENCODING 'UTF8' "
                        "TEMPLATE template0")
        self.ini.write_text(f"""[app:main]
use = egg:ckan
SECRET_KEY = {secrets.token_urlsafe(24)}
sqlalchemy.url = postgresql://{stack.DB_USER}:{stack.DB_PASSWORD}@127.0.0.1:{env.ports['pg']}/{self.db}
solr_url = {stack.solr_url(env)}
ckan.redis.url = redis://127.0.0.1:{env.ports['redis']}/3
ckan.site_url = {self.url}
ckan.site_id = {self.site_id}
ckan.plugins = {" ".join(self.plugins)}
ckan.harvest.mq.type = redis
ckan.storage_path = {env.var / (self.site_id + '-storage')}
{LOGGING}""")
        self.ckan("db", "init")
        for plugin in ("activity", "harvest"):
            if plugin in self.plugins:
                self.ckan("db", "upgrade", "-p", plugin)
        # It shares the test Solr under its own site id: drop what an earlier run indexed.
        self.ckan("search-index", "clear")
        self.ckan("user", "add", "seeder", "email=seeder@example.org",
                  f"password={secrets.token_urlsafe(12)}")
        self.ckan("sysadmin", "add", "seeder", input="y\n")
        self.token = self.ckan("user", "token", "add", "seeder", "seed"
                               ).stdout.strip().splitlines()[-1].strip()
        env.logs.mkdir(parents=True, exist_ok=True)
        log = open(env.logs / f"{self.site_id}.log", "wb")
        self.server = subprocess.Popen(
            # No reloader (it restarts the server, dropping requests, whenever a file of
            # the venv changes); threads, as a real portal serves several clients at once.
            [str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(self.ini), "run", "-H",
             "127.0.0.1", "-p", str(self.port), "--disable-reloader", "--threaded"],
            stdout=log, stderr=subprocess.STDOUT, env=self.run_env, start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/3/action/status_show", timeout=2)
                return self
            except OSError:
                if time.monotonic() > deadline or self.server.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"the source CKAN did not start; see {log.name}") from None
                time.sleep(0.5)

    def call(self, action: str, data: dict) -> dict:
        request = urllib.request.Request(
            f"{self.url}/api/3/action/{action}", data=json.dumps(data).encode(),
            headers={"Authorization": self.token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["result"]
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{action}: HTTP {e.code} {e.read()[:500]!r}") from None

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, 15)
            self.server.wait(timeout=30)
