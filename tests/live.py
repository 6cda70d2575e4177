"""A real CKAN web server on a free loopback port, against the test services and database,
for what only real HTTP shows: CSRF across requests, login throttling, parallel downloads,
response headers. It runs ``ckan run`` (threaded) with var/test/ckan.ini plus the options a
test gives (CSRF protection is on, as in production)."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGGING = """
[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARNING
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic
[formatter_generic]
format = %(levelname)s %(message)s
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveCkan:
    def __init__(self, ckan_ini: str, name: str, **options: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        base = Path(ckan_ini).resolve()
        self.ini = base.parent / f"live-{name}.ini"
        lines = [f"use = config:{base}", f"ckan.site_url = {self.url}",
                 "WTF_CSRF_ENABLED = true",
                 *(f"{k} = {v}" for k, v in options.items())]
        self.ini.write_text("[app:main]\n" + "\n".join(lines) + "\n" + LOGGING)
        self.log = base.parent / "log" / f"live-{name}.log"
        self.server: subprocess.Popen | None = None

    def start(self) -> LiveCkan:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
        self.server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(self.ini), "run", "-H",
             "127.0.0.1", "-p", str(self.port), "--threaded", "--disable-reloader"],
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/3/action/status_show", timeout=5)
                return self
            except OSError:
                if time.monotonic() > deadline or self.server.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"CKAN did not start; see {self.log}") from None
                time.sleep(0.5)

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, 15)
            self.server.wait(timeout=30)
