"""Health checks behind ``ckan lampangpoverty doctor``: database and migrations, the
DataStore, Solr (schema version, spatial fields, Thai analysis), Redis, the background worker
and the harvest consumers. Each check returns one :class:`Check`; none raises."""
from __future__ import annotations

import configparser
import json
import re
import stat
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.lib.redis import connect_to_redis

from ..lib.clock import utcnow

# A Thai phrase written without spaces, as Thai is; the Thai tokenizer must split it.
THAI_PROBE = "ครัวเรือนยากจน"
THAI_PROBE_WORDS = ["ครัวเรือน", "ยากจน"]
SPATIAL_FIELDS = {"minx", "maxx", "miny", "maxy", "spatial_geom"}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        status = "OK  " if self.ok else "FAIL"
        text = f"{status} {self.name}: {self.detail}"
        return text if self.ok or not self.fix else f"{text}\n       fix: {self.fix}"


def _guarded(name: str, fix: str, fn: Callable[[], Check]) -> Check:
    try:
        return fn()
    except Exception as e:  # a check reports, it never stops the others
        return Check(name, False, f"{type(e).__name__}: {e}".strip(), fix)


# --------------------------------------------------------------------------- database

def check_database() -> Check:
    fix = ("start PostgreSQL (`make run` does) and check sqlalchemy.url in the ini file")

    def run() -> Check:
        engine = model.meta.engine
        if engine is None:
            return Check("database", False, "no database engine configured", fix)
        with engine.connect() as conn:
            version = conn.execute(sa.text("SHOW server_version")).scalar()
        url = engine.url
        return Check("database", True,
                     f"PostgreSQL {version} at {url.host}:{url.port}/{url.database}")
    return _guarded("database", fix, run)


def pending_migrations() -> list[str]:
    """Names of the migration sources (``core`` or a plugin) that are not at their head."""
    from ckan.cli.db import current_revision

    pending = []
    for plugin in ["", *tk.config["ckan.plugins"]]:
        state = current_revision(plugin)
        # None: the plugin has no migrations; "<rev> (head)": up to date.
        if state is not None and not state.endswith("(head)"):
            pending.append(plugin or "core")
    return pending


def check_migrations() -> Check:
    fix = "ckan -c <ini> db upgrade   (applies core and plugin migrations)"

    def run() -> Check:
        pending = pending_migrations()
        if pending:
            return Check("migrations", False, "pending for " + ", ".join(pending), fix)
        return Check("migrations", True, "core and every plugin at head")
    return _guarded("migrations", fix, run)


# --------------------------------------------------------------------------- files

# Options whose value is a secret (or carries one, as a URL with a password does).
_SECRET_OPTION = re.compile(r"^(secret_key|beaker\.session\.secret|.*\.secret|.*password"
                            r"|smtp\.password|api_token\.jwt\..*)$", re.IGNORECASE)
_URL_WITH_PASSWORD = re.compile(r"://[^/@\s]*:[^/@\s]+@")


def _config_chain(path: Path) -> list[Path]:
    """The config file and every file it uses (``use = config:...``), in order."""
    chain: list[Path] = []
    while path not in chain and path.is_file():
        chain.append(path)
        parser = configparser.RawConfigParser(strict=False)
        parser.read(path)
        use = parser.get("app:main", "use", fallback="")
        if not use.startswith("config:"):
            break
        path = (path.parent / use.removeprefix("config:")).resolve()
    return chain


def holds_secrets(path: Path) -> bool:
    parser = configparser.RawConfigParser(strict=False)
    parser.read(path)
    return any((_SECRET_OPTION.match(key) and value.strip())
               or _URL_WITH_PASSWORD.search(value)
               for section in parser.sections() for key, value in parser.items(section))


def check_file_modes(config_file: str | None = None) -> Check:
    """Config files holding secrets are readable by their owner only; the upload storage is
    not writable by others, and the private household storage not even readable."""
    from ..gate.submission import storage_dir

    def run() -> Check:
        problems, fixes = [], []
        for path in _config_chain(Path(config_file or tk.config["__file__"]).resolve()):
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077 and holds_secrets(path):
                problems.append(f"{path} holds secrets and is mode {mode:04o}")
                fixes.append(f"chmod 600 {path}")
        folders = [(storage_dir(), 0o077, "700")]
        if tk.config["ckan.storage_path"]:
            folders.insert(0, (Path(tk.config["ckan.storage_path"]), 0o022, "go-w"))
        for folder, forbidden, fix in folders:
            mode = stat.S_IMODE(folder.stat().st_mode)
            if mode & forbidden:
                problems.append(f"{folder} is mode {mode:04o}")
                fixes.append(f"chmod {fix} {folder}")
        if problems:
            return Check("file permissions", False, "; ".join(problems), "; ".join(fixes))
        return Check("file permissions", True, "config owner-only; storage folders closed")
    return _guarded("file permissions", "chmod 600 <ini>; chmod 700 <microdata storage>", run)


# --------------------------------------------------------------------------- Solr

def _solr(path: str, **params) -> dict:
    url = tk.config["solr_url"].rstrip("/") + path
    auth = None
    if tk.config.get("solr_user"):
        auth = (tk.config["solr_user"], tk.config.get("solr_password") or "")
    res = requests.get(url, params={"wt": "json", **params}, auth=auth, timeout=10)
    res.raise_for_status()
    return res.json()


def check_solr() -> Check:
    fix = ("start Solr (`make run` does; in Docker the `solr` service) and check solr_url; "
           "the core must use the configset in config/solr/")

    def run() -> Check:
        search.check_solr_schema_version()  # raises SearchError on an unsupported schema
        name = _solr("/schema/name")["name"]
        docs = _solr("/select", q="*:*", rows=0)["response"]["numFound"]
        return Check("solr", True, f"{tk.config['solr_url']} schema {name}, {docs} documents")
    return _guarded("solr", fix, run)


def check_solr_spatial() -> Check:
    fix = "use config/solr/schema.xml (it declares minx/maxx/miny/maxy and spatial_geom)"

    def run() -> Check:
        fields = {f["name"] for f in _solr("/schema/fields")["fields"]}
        missing = sorted(SPATIAL_FIELDS - fields)
        if missing:
            return Check("solr spatial fields", False, "missing " + ", ".join(missing), fix)
        return Check("solr spatial fields", True, ", ".join(sorted(SPATIAL_FIELDS)))
    return _guarded("solr spatial fields", fix, run)


def thai_tokens(text: str) -> list[str]:
    """Tokens Solr's index analyzer of the ``text`` field type makes of ``text``."""
    data = _solr("/analysis/field", **{"analysis.fieldtype": "text", "analysis.fieldvalue": text})
    stages = data["analysis"]["field_types"]["text"]["index"]
    return [t["text"] for t in stages[-1]]


def check_solr_thai() -> Check:
    fix = "use config/solr/schema.xml (its text fields tokenize with solr.ThaiTokenizerFactory)"

    def run() -> Check:
        tokens = thai_tokens(THAI_PROBE)
        if tokens != THAI_PROBE_WORDS:
            return Check("solr Thai analysis", False,
                         f"{THAI_PROBE!r} analysed as {tokens}, expected {THAI_PROBE_WORDS}", fix)
        return Check("solr Thai analysis", True, f"{THAI_PROBE} -> {' | '.join(tokens)}")
    return _guarded("solr Thai analysis", fix, run)


# --------------------------------------------------------------------------- Redis, workers

def check_redis() -> Check:
    fix = "start Redis (`make run` does) and check ckan.redis.url"

    def run() -> Check:
        conn = connect_to_redis()
        info = conn.info("server")
        return Check("redis", True,
                     f"Redis {info['redis_version']} at {tk.config['ckan.redis.url']}")
    return _guarded("redis", fix, run)


def check_worker() -> Check:
    fix = "start the background worker: ckan -c <ini> jobs worker"

    def run() -> Check:
        from rq import Worker

        workers = Worker.all(connection=connect_to_redis())
        if not workers:
            return Check("background worker", False, "no RQ worker registered", fix)
        queues = sorted({q.name for w in workers for q in w.queues})
        return Check("background worker", True,
                     f"{len(workers)} RQ worker(s) on {', '.join(queues)}")
    return _guarded("background worker", fix, run)


def _probe_queue(routing_key: str, message_key: str, timeout: float) -> tuple[bool, int]:
    """Put a probe message on a harvest queue and wait for a consumer to take it.

    A consumer takes the message, finds no harvest job or object with the probe's id, logs
    that and acknowledges it, so the probe leaves nothing behind. When nobody takes it in
    ``timeout`` seconds it is removed again. Returns (taken, queue length before the probe).
    """
    conn = connect_to_redis()
    backlog = conn.llen(routing_key)
    body = json.dumps({message_key: f"lampangpoverty-doctor-probe-{uuid.uuid4()}"})
    conn.rpush(routing_key, body)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if conn.lpos(routing_key, body) is None:
            return True, backlog
        time.sleep(0.2)
    taken = conn.lrem(routing_key, 0, body) == 0
    return taken, backlog


def check_harvest_consumers(timeout: int | None = None) -> list[Check]:
    from ckanext.harvest import queue

    if timeout is None:
        timeout = tk.config["ckanext.lampangpoverty.doctor.probe_timeout"]
    checks = []
    for stage, key, message_key in (
        ("gather", queue.get_gather_routing_key(), "harvest_job_id"),
        ("fetch", queue.get_fetch_routing_key(), "harvest_object_id"),
    ):
        name = f"harvest {stage} consumer"
        fix = f"start it: ckan -c <ini> lampangpoverty harvest-consumer {stage}"

        def run(key=key, message_key=message_key, name=name, fix=fix) -> Check:
            taken, backlog = _probe_queue(key, message_key, timeout)
            if not taken:
                more = f" ({backlog} messages were waiting)" if backlog else ""
                return Check(name, False,
                             f"nothing took a probe from {key} in {timeout}s{more}", fix)
            return Check(name, True, f"consuming {key}")
        checks.append(_guarded(name, fix, run))
    return checks


def check_harvest_jobs() -> Check:
    """No running harvest job has gone without movement for longer than the scheduler
    allows: such a job means the scheduler, which finishes it, is not running."""
    fix = "start the scheduler: ckan -c <ini> lampangpoverty harvest-scheduler"

    def run() -> Check:
        from ckanext.harvest.model import HarvestJob

        from ..harvesters import schedule

        limit = tk.config["ckanext.lampangpoverty.harvest.stuck_after"]
        now = utcnow()
        running = model.Session.query(HarvestJob).filter(HarvestJob.status == "Running").all()
        stuck = [j for j in running
                 if (now - schedule.last_movement(j)).total_seconds() > 2 * limit]
        if stuck:
            return Check("harvest jobs", False, f"{len(stuck)} running job(s) without movement "
                         f"for over {2 * limit} s (first: {stuck[0].id})", fix)
        return Check("harvest jobs", True, f"{len(running)} running, none stuck")
    return _guarded("harvest jobs", fix, run)


def check_datastore() -> Check:
    """The read-only user reads and cannot write; xloader has a working API token."""
    fix = ("run `make run` again (bin/stack creates the DataStore database, its read-only user, "
           "their permissions and xloader's token)")

    def run() -> Check:
        from ckan.lib.api_token import get_user_from_token
        from ckanext.datastore.backend import DatastoreBackend

        backend = DatastoreBackend.get_active_backend()
        with backend._get_read_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        if not backend._read_connection_has_correct_privileges():
            return Check("datastore", False, "the read-only user may write", fix)
        token = tk.config.get("ckanext.xloader.api_token") or "NOT_SET"
        user = None if token == "NOT_SET" else get_user_from_token(token)
        if user is None:
            return Check("datastore", False, "xloader has no valid API token", fix)
        return Check("datastore", True, f"read-only reads, xloader loads as {user.name}")

    return _guarded("datastore", fix, run)


def run_checks(probe_timeout: int | None = None) -> list[Check]:
    checks = [check_database(), check_file_modes()]
    if checks[0].ok:
        checks.append(check_migrations())
        checks.append(check_datastore())
        checks.append(check_harvest_jobs())
    checks += [check_solr(), check_solr_spatial(), check_solr_thai()]
    checks.append(check_redis())
    if checks[-1].ok:
        checks.append(check_worker())
        checks += check_harvest_consumers(probe_timeout)
    from .cluster_checks import run_cluster_checks  # it imports this module

    return checks + run_cluster_checks()
