"""docker-compose.yml describes the same platform as the local stack: the same processes,
the same Solr configset and the same CKAN options."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from .conftest import ROOT, load_stack


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_local_background_process_is_a_compose_service(compose):
    commands = {tuple(s.get("command", ())) for s in compose["services"].values()}
    for name, args in load_stack().WORKERS.items():
        assert ("ckan", *args) in commands, name


def test_compose_has_the_services_health_checks_and_named_volumes(compose):
    services = compose["services"]
    assert {"ckan", "solr", "db", "redis", "worker", "harvest-gather", "harvest-fetch",
            "harvest-scheduler"} <= set(services)
    for name in ("ckan", "solr", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert {"ckan_storage", "pg_data", "solr_data", "redis_data"} <= set(compose["volumes"])


def test_images_use_the_shared_configset_and_ini():
    solr = (ROOT / "docker" / "solr" / "Dockerfile").read_text()
    assert "COPY --chown=solr:solr config/solr/ " in solr
    assert '"solr-precreate", "ckan"' in solr
    ckan = (ROOT / "docker" / "ckan" / "Dockerfile").read_text()
    assert "COPY config/ckan.ini config/gunicorn.conf.py ./config/" in ckan
    assert "-r requirements.txt" in ckan
    entrypoint = (ROOT / "docker" / "ckan" / "entrypoint.sh").read_text()
    assert "use = config:/srv/app/config/ckan.ini" in entrypoint


def compose_command() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"],
                                                 capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(compose_command() is None, reason="no Docker Compose client installed")
def test_docker_compose_config_accepts_the_file():
    # Every secret the file requires (SOLR_PASSWORD, REDIS_PASSWORD and the DataStore's came
    # after this test was written; it was skipped where no Compose client is installed).
    env = dict(os.environ, CKAN_SECRET_KEY="x" * 32, POSTGRES_PASSWORD="pw",
               CKAN_SYSADMIN_PASSWORD="pw", SOLR_PASSWORD="pw", REDIS_PASSWORD="pw",
               DATASTORE_READONLY_PASSWORD="pw")
    result = subprocess.run([*compose_command(), "-f", str(ROOT / "docker-compose.yml"), "config"],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(compose_command() is None, reason="no Docker Compose client installed")
def test_docker_compose_refuses_to_run_without_secrets():
    env = {k: v for k, v in os.environ.items()
           if k not in ("CKAN_SECRET_KEY", "POSTGRES_PASSWORD", "CKAN_SYSADMIN_PASSWORD")}
    result = subprocess.run([*compose_command(), "-f", str(ROOT / "docker-compose.yml"), "config"],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode != 0
    # Compose names the first missing secret it meets; any of them will do.
    assert any(name in result.stderr for name in
               ("CKAN_SECRET_KEY", "POSTGRES_PASSWORD", "CKAN_SYSADMIN_PASSWORD"))


def test_solr_and_redis_require_authentication_in_compose(compose):
    services = compose["services"]
    ckan_env = services["ckan"]["environment"]
    assert ckan_env["CKAN_SOLR_USER"] == "ckan"
    assert ckan_env["CKAN_SOLR_PASSWORD"].startswith("${SOLR_PASSWORD:?")
    assert ckan_env["CKAN_REDIS_URL"].startswith("redis://:${REDIS_PASSWORD:?")
    assert services["solr"]["environment"]["SOLR_PASSWORD"].startswith("${SOLR_PASSWORD:?")
    assert "-u" in services["solr"]["healthcheck"]["test"][1]
    redis_command = " ".join(services["redis"]["command"])
    assert "requirepass" in redis_command and "REDISCLI_AUTH" in services["redis"]["environment"]
    solr = (ROOT / "docker" / "solr" / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["/opt/lampangpoverty/security.sh"]' in solr
    for name in ("SOLR_PASSWORD", "REDIS_PASSWORD"):
        assert f"{name}=" in (ROOT / ".env.example").read_text()


def test_the_solr_security_file_carries_the_hash_solr_expects(tmp_path):
    """docker/solr/security.sh hashes as Solr's Sha256AuthenticationProvider checks:
    base64(sha256(sha256(salt + password))) followed by base64(salt)."""
    import base64
    import hashlib
    import json

    target = tmp_path / "security.json"
    subprocess.run(["sh", str(ROOT / "docker" / "solr" / "security.sh")], check=True,
                   env={"PATH": os.environ["PATH"], "SOLR_USER": "ckan",
                        "SOLR_PASSWORD": "pä ss'word", "SOLR_SECURITY_FILE": str(target)})
    assert target.stat().st_mode & 0o077 == 0
    security = json.loads(target.read_text())
    assert security["authentication"]["blockUnknown"] is True
    digest, salt = security["authentication"]["credentials"]["ckan"].split()
    inner = hashlib.sha256(base64.b64decode(salt) + "pä ss'word".encode()).digest()
    assert base64.b64encode(hashlib.sha256(inner).digest()).decode() == digest
    assert security["authorization"]["user-role"] == {"ckan": "admin"}
