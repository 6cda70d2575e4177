"""`ckan lampangpoverty doctor` against the real services, and what it says when one is
missing."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib.redis import connect_to_redis
from ckanext.harvest import queue

from ckanext.lampangpoverty.cli import checks as doctor
from ckanext.lampangpoverty.lib.clock import utcnow

CKAN = str(Path(sys.executable).with_name("ckan"))


def test_service_checks_pass_on_the_running_stack():
    for check in (doctor.check_database(), doctor.check_solr(), doctor.check_solr_spatial(),
                  doctor.check_solr_thai(), doctor.check_redis()):
        assert check.ok, check.line()


@pytest.mark.usefixtures("clean_db")
def test_migrations_check_sees_every_source_at_head():
    assert doctor.pending_migrations() == []
    assert doctor.check_migrations().ok


def test_thai_analysis_splits_an_unspaced_phrase():
    assert doctor.thai_tokens("ครัวเรือนยากจน") == ["ครัวเรือน", "ยากจน"]


@pytest.mark.ckan_config("solr_url", "http://127.0.0.1:9/solr/nothing")
def test_unreachable_solr_is_reported_with_a_fix():
    check = doctor.check_solr()
    assert not check.ok
    assert "start Solr" in check.fix
    assert check.line().startswith("FAIL solr:")


def test_missing_harvest_consumers_fail_and_leave_the_queues_clean():
    conn = connect_to_redis()
    before = conn.llen(queue.get_gather_routing_key())
    checks = doctor.check_harvest_consumers(timeout=1)
    assert [c.ok for c in checks] == [False, False]
    assert "harvest-consumer gather" in checks[0].fix
    assert "harvest-consumer fetch" in checks[1].fix
    assert conn.llen(queue.get_gather_routing_key()) == before


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("stage", ["gather", "fetch"])
def test_running_consumers_take_the_probe_and_survive_idle_time(ckan_config, stage):
    consumer = subprocess.Popen(
        [CKAN, "-c", ckan_config["__file__"], "lampangpoverty", "harvest-consumer", stage],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    index = ["gather", "fetch"].index(stage)
    try:
        # The consumer needs a few seconds to load CKAN before it listens.
        deadline = time.monotonic() + 60
        while True:
            check = doctor.check_harvest_consumers(timeout=2)[index]
            if check.ok or time.monotonic() > deadline:
                break
        assert check.ok, check.line()
        # Idle for longer than redis-py's default 5 s socket timeout, which ends
        # ckanext-harvest's own consumers: ours is still there and still consuming.
        time.sleep(7)
        assert consumer.poll() is None
        check = doctor.check_harvest_consumers(timeout=5)[index]
        assert check.ok, check.line()
    finally:
        consumer.terminate()
        consumer.wait(10)


def test_a_harvest_job_left_running_points_at_the_scheduler(ckan_config, monkeypatch,
                                                            organization):
    import datetime

    from ckan import model
    from ckan.tests import factories
    from ckanext.harvest.model import HarvestJob

    assert doctor.check_harvest_jobs().ok
    source = factories.Dataset(type="harvest", owner_org=organization["id"],
                               url="http://127.0.0.1:1/x", source_type=
                               "lampangpoverty_table", config='{"key": "k", "fields": '
                               '{"title": "t"}, "type": "agency-resource", "defaults": '
                               '{"programme_kind": "housing_repair", "eligibility": "e", '
                               '"area_codes": ["52"], "programme_status": "open"}}')
    job = HarvestJob(source_id=source["id"], status="Running",
                     created=utcnow() - datetime.timedelta(hours=3))
    model.Session.add(job)
    model.Session.commit()
    monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.harvest.stuck_after", 1800)

    check = doctor.check_harvest_jobs()

    assert not check.ok and job.id in check.detail and "harvest-scheduler" in check.fix


def test_doctor_command_exits_non_zero_and_prints_one_line_per_check(cli):
    result = cli.invoke(ckan_cli, ["lampangpoverty", "doctor", "--probe-timeout", "1"])
    assert result.exit_code == 1
    out = result.output
    for name in ("database", "migrations", "harvest jobs", "solr", "solr spatial fields",
                 "solr Thai analysis",
                 "redis", "background worker", "harvest gather consumer", "harvest fetch consumer"):
        assert f" {name}: " in out, name
    assert "FAIL harvest gather consumer" in out
    assert "checks failed" in out


def test_config_options_are_declared_with_types():
    assert isinstance(tk.config["ckanext.lampangpoverty.doctor.probe_timeout"], int)
    assert isinstance(tk.config["ckanext.lampangpoverty.harvest.scheduler_interval"], int)


def test_the_stack_config_and_storage_pass_the_file_check():
    check = doctor.check_file_modes()
    assert check.ok, check.line()


def test_a_config_file_with_secrets_readable_by_others_fails_with_the_fix(tmp_path):
    base = tmp_path / "base.ini"
    base.write_text("[app:main]\nuse = egg:ckan\nckan.site_title = Lampang\n")
    ini = tmp_path / "ckan.ini"
    ini.write_text("[app:main]\nuse = config:base.ini\nSECRET_KEY = s3cret\n"
                   "sqlalchemy.url = postgresql://ckan:pw@127.0.0.1/ckan\n")
    base.chmod(0o644)          # no secret in it: may stay readable
    ini.chmod(0o644)
    check = doctor.check_file_modes(str(ini))
    assert not check.ok
    assert f"chmod 600 {ini}" in check.fix and str(base) not in check.fix
    ini.chmod(0o600)
    assert doctor.check_file_modes(str(ini)).ok


def test_open_storage_folders_fail_with_the_fix(tmp_path, ckan_config, monkeypatch):
    storage, private = tmp_path / "storage", tmp_path / "storage" / "raw"
    private.mkdir(parents=True)
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(storage))
    monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.microdata.storage_path",
                        str(private))
    storage.chmod(0o777)
    private.chmod(0o755)
    ini = tmp_path / "ckan.ini"
    ini.write_text("[app:main]\nSECRET_KEY = s\n")
    ini.chmod(0o600)
    check = doctor.check_file_modes(str(ini))
    assert not check.ok
    assert f"chmod go-w {storage}" in check.fix and f"chmod 700 {private}" in check.fix
    storage.chmod(0o755)
    private.chmod(0o700)
    assert doctor.check_file_modes(str(ini)).ok
