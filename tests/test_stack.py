"""bin/stack, the local stack's launcher: the conditions that stop `make run` name their
cause and fix."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from .conftest import ROOT, load_stack


@pytest.fixture
def stack():
    return load_stack()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_taken_port_stops_with_the_port_and_the_fix(stack, monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("REDIS_PORT", str(port))
        env = stack.Env("run")
        with pytest.raises(stack.StackError) as e:
            stack.check_port_free(env, "redis", "Redis")
    message = str(e.value)
    assert f"port {port} (Redis" in message
    assert "REDIS_PORT=<free port> make run" in message


def test_an_old_java_stops_with_the_fix(stack, monkeypatch, tmp_path):
    fake = tmp_path / "java"
    fake.write_text('#!/bin/sh\necho \'openjdk version "11.0.20" 2023-07-18\' >&2\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with pytest.raises(stack.StackError) as e:
        stack.ensure_solr_build()
    assert "Java 17 or newer" in str(e.value) and "reports 11" in str(e.value)
    assert "apt-get install openjdk-17-jdk-headless" in str(e.value)


def test_no_java_at_all_stops_with_the_fix(stack, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(stack.StackError) as e:
        stack.java_major()
    assert "no Java found" in str(e.value)


def test_solr_failing_to_start_is_reported_and_leaves_no_process(stack, monkeypatch, tmp_path):
    broken = tmp_path / "configset"
    broken.mkdir()
    for f in (ROOT / "config" / "solr").iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    schema = (broken / "schema.xml").read_text()
    (broken / "schema.xml").write_text(schema.replace("solr.ThaiTokenizerFactory",
                                                      "solr.NoSuchTokenizerFactory", 1))
    monkeypatch.setattr(stack, "ROOT", tmp_path)
    monkeypatch.setattr(stack, "CONFIGSET", broken)
    for service in ("PG", "REDIS", "SOLR", "CKAN"):     # the ports below, whatever the shell says
        monkeypatch.delenv(f"{service}_PORT", raising=False)
    monkeypatch.setitem(stack.ENVIRONMENTS, "broken", {
        "pg": free_port(), "redis": free_port(), "solr": free_port(), "ckan": free_port(),
        "db": "unused", "core": "broken"})
    env = stack.Env("broken")
    with pytest.raises(stack.StackError) as e:
        stack.start_solr(env)
    message = str(e.value)
    assert "Apache Solr failed to start" in message
    assert "NoSuchTokenizerFactory" in message
    assert env.pid("solr") is None


def test_the_written_ini_and_secrets_are_readable_by_their_owner_only(stack, monkeypatch,
                                                                      tmp_path):
    monkeypatch.setattr(stack, "ROOT", tmp_path)
    env = stack.Env("test")
    env.var.mkdir(parents=True)
    old_umask = os.umask(0o022)
    try:
        stack.write_ini(env)                          # a fresh checkout
        modes = {p.name: p.stat().st_mode & 0o777 for p in (env.ini, env.var / "secret_key")}
        assert modes == {"ckan.ini": 0o600, "secret_key": 0o600}
        secret = (env.var / "secret_key").read_text()
        # What an older stack left behind: both world-readable.
        for path in (env.ini, env.var / "secret_key"):
            path.chmod(0o644)
        stack.write_ini(env)
        for path in (env.ini, env.var / "secret_key"):
            assert path.stat().st_mode & 0o777 == 0o600, path
        assert f"SECRET_KEY = {secret}" in env.ini.read_text()   # the same secret kept
        assert [p.name for p in env.var.iterdir() if p.name.endswith(".tmp")] == []
    finally:
        os.umask(old_umask)


def test_secret_files_are_created_owner_only_from_the_first_byte(stack, monkeypatch, tmp_path):
    """No window in which another account could open the file: it is created 0600."""
    created = []
    real_open = os.open

    def watching_open(path, flags, mode=0o777, *args, **kwargs):
        if flags & os.O_CREAT:
            created.append((os.fspath(path), mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(stack, "ROOT", tmp_path)
    monkeypatch.setattr(os, "open", watching_open)
    env = stack.Env("test")
    env.var.mkdir(parents=True)
    stack.write_ini(env)
    assert created and all(mode == 0o600 for _, mode in created), created


def test_the_portal_is_served_by_gunicorn_with_several_workers(stack, monkeypatch):
    """`make run` starts the web server as Docker does (config/gunicorn.conf.py): a
    production server with several workers, no development-server banner; status and stop
    still work. Run here against the test environment's database and ports."""
    import json
    import urllib.request

    env = stack.Env("test")
    assert stack.pg_bindir() and env.ini.exists()
    monkeypatch.setenv("GUNICORN_WORKERS", "2")
    stack.start_ckan(env)
    try:
        pid = env.pid("ckan")
        assert pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        assert len(children) == 2
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        assert "gunicorn" in command and "gunicorn.conf.py" in command
        url = f"http://127.0.0.1:{env.ports['ckan']}/api/3/action/status_show"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert json.load(response)["success"] is True
            assert "Werkzeug" not in (response.headers.get("Server") or "")
        log = (env.logs / "ckan.log").read_text(errors="replace")
        assert "development server" not in log.lower()
    finally:
        stack.stop_pid(env, "ckan")
    assert env.pid("ckan") is None
