"""Harvests under failure, with the real consumers (``ckan lampangpoverty harvest-consumer``
processes on the test Redis and database) and the real Solr: two fetch consumers at once, a
consumer killed with SIGKILL in the middle of a job, and Solr stopped during a harvest."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ..conftest import ROOT, load_stack
from .conftest import harvested, run_job, search

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis")

CONFIG = {
    "type": "agency-resource", "key": "code",
    "fields": {"title": "title", "area_codes": "amphoe"},
    "defaults": {"programme_kind": "housing_repair", "eligibility": "ครัวเรือนยากจนเป้าหมาย",
                 "programme_status": "open"},
}


def programmes(n: int, label: str = "โครงการ") -> bytes:
    rows = "".join(f"R{i:04d},{label}ที่ {i},52{i % 13 + 1:02d}\n" for i in range(n))
    return ("code,title,amphoe\n" + rows).encode("utf-8")


class Consumers:
    """Harvest consumer processes of the test environment, stopped at the end of the test."""

    def __init__(self):
        self.stack = load_stack()
        self.env = self.stack.Env("test")
        self.procs: list[subprocess.Popen] = []

    def start(self, stage: str) -> subprocess.Popen:
        log = open(self.env.logs / f"test-harvest-{stage}.log", "ab")
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(self.env.ini), "lampangpoverty",
             "harvest-consumer", stage], stdout=log, stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if not k.startswith("CKAN_")},
            start_new_session=True)
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def consumers():
    c = Consumers()
    yield c
    c.stop_all()


def start_job(source_id: str) -> str:
    """Create a job as the UI does: it goes onto the gather queue for the consumers."""
    return tk.get_action("harvest_job_create")({"ignore_auth": True},
                                               {"source_id": source_id})["id"]


def objects(job_id: str) -> dict[str, int]:
    from ckanext.harvest.model import HarvestObject

    model.Session.commit()      # see what the consumers committed
    return dict(model.Session.query(HarvestObject.state, sa.func.count())
                .filter(HarvestObject.harvest_job_id == job_id)
                .group_by(HarvestObject.state).all())


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}: now {predicate()}")


def finish(job_id: str, timeout: float = 240) -> dict:
    """Run scheduler passes until the job is finished; return its summary."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    from ckanext.lampangpoverty.harvesters import schedule

    def done():
        schedule.run_pass(site_user)
        summary = tk.get_action("lampangpoverty_harvest_job_summary")(
            {"ignore_auth": True}, {"id": job_id})
        return summary if summary["status"] == "Finished" else None
    return wait_for(done, timeout, f"job {job_id} to finish")


def assert_one_record_per_row(source_id: str, rows: int) -> None:
    from ckanext.harvest.model import HarvestObject

    model.Session.commit()
    records = harvested(source_id, include_withdrawn=True)
    assert len(records) == rows
    assert len({r.title for r in records}) == rows
    guids = model.Session.query(HarvestObject.guid).filter(
        HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True)).all()
    assert len(guids) == len(set(guids)) == rows        # one current object per identifier


def test_two_fetch_consumers_leave_no_duplicates(partner, make_source, consumers):
    url = partner.serve("/programmes.csv", programmes(150), content_type="text/csv")
    source = make_source("lampangpoverty_table", url, CONFIG)
    consumers.start("gather")
    consumers.start("fetch")
    consumers.start("fetch")

    summary = finish(start_job(source["id"]))
    assert summary["counts"]["added"] == 150, summary
    summary = finish(start_job(source["id"]))
    assert summary["counts"]["unchanged"] == 150, summary

    assert_one_record_per_row(source["id"], 150)
    assert search(fq=f"owner_org:{source['owner_org']}", rows=0)["count"] == 150


def test_what_the_consumers_record_for_people_is_in_the_site_language(partner, make_source,
                                                                     consumers):
    url = partner.serve("/programmes.csv", b"gone", status=500, content_type="text/plain")
    source = make_source("lampangpoverty_table", url, CONFIG)
    consumers.start("gather")

    summary = finish(start_job(source["id"]))

    assert summary["outcome"] == "failed"
    assert summary["gather_errors"][0].startswith("ดึงตารางไม่ได้: ")     # Thai, the default
    assert "HTTP 500" in summary["gather_errors"][0]


def test_a_consumer_killed_mid_job_loses_and_duplicates_nothing(partner, make_source,
                                                                 consumers):
    from ckanext.lampangpoverty.harvesters import schedule

    url = partner.serve("/programmes.csv", programmes(120), content_type="text/csv")
    source = make_source("lampangpoverty_table", url, CONFIG)
    consumers.start("gather")
    fetch = consumers.start("fetch")
    job_id = start_job(source["id"])
    wait_for(lambda: objects(job_id).get("COMPLETE", 0) >= 20, 120, "20 imports")

    consumers.kill(fetch)
    done_when_killed = objects(job_id).get("COMPLETE", 0)
    assert done_when_killed < 120
    consumers.start("fetch")
    # The new consumer takes the rest of the queue; what the dead one held stays open...
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    def drained():
        schedule.run_pass(site_user)     # the scheduler resubmits what was lost in Redis
        return objects(job_id).get("WAITING", 0) == 0
    wait_for(drained, 120, "the queue to drain")
    time.sleep(2)
    # ...until the scheduler finishes the job that no longer moves, as failed, with reason.
    assert schedule.finish_stuck_jobs(stuck_after=1) in ([job_id], [])
    summary = finish(job_id)
    assert summary["status"] == "Finished"

    summary = finish(start_job(source["id"]))
    assert summary["outcome"] == "succeeded", summary
    assert summary["counts"]["errored"] == 0
    assert_one_record_per_row(source["id"], 120)


def test_solr_stopped_mid_harvest_records_are_retried_and_the_index_is_whole(
        partner, make_source, monkeypatch):
    stack = load_stack()
    # The Solr this session uses, whatever ports the shell was given (bin/stack reads
    # SOLR_PORT; without it, it would restart Solr on the default port).
    monkeypatch.setenv("SOLR_PORT", str(urlparse(tk.config["solr_url"]).port))
    env = stack.Env("test")
    url = partner.serve("/programmes.csv", programmes(5), content_type="text/csv")
    source = make_source("lampangpoverty_table", url, CONFIG)
    run_job(source["id"])
    partner.serve("/programmes.csv", programmes(8, label="บริการ"), content_type="text/csv")

    stack.stop_pid(env, "solr")
    try:
        summary = run_job(source["id"], before_pass=lambda: stack.start_solr(env))
    finally:
        stack.start_solr(env)

    assert summary["counts"]["errored"] == 8, summary
    assert "search index" in summary["errors"][0]["message"]
    # Nothing was half-written: the database still holds the five old records.
    assert sorted(r.title for r in harvested(source["id"])) == [
        f"โครงการที่ {i}" for i in range(5)]

    summary = run_job(source["id"])
    assert summary["counts"]["updated"] == 5 and summary["counts"]["added"] == 3, summary
    assert search(q="บริการที่", rows=0)["count"] == 8

    ckan = [str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(env.ini), "search-index"]
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    check = subprocess.run([*ckan, "check"], capture_output=True, text=True, env=run_env)
    assert "Packages not indexed = 0 out of" in check.stdout, check.stdout + check.stderr
    orphans = subprocess.run([*ckan, "list-orphans"], capture_output=True, text=True,
                             env=run_env)
    assert "Found 0 orphaned package(s)." in orphans.stdout, orphans.stdout + orphans.stderr


def test_a_source_suddenly_listing_far_fewer_records_withdraws_nothing(partner, make_source,
                                                                       ckan_config,
                                                                       monkeypatch):
    url = partner.serve("/programmes.csv", programmes(12), content_type="text/csv")
    source = make_source("lampangpoverty_table", url, CONFIG)
    run_job(source["id"])
    # Cut short at a line boundary: a valid, smaller table.
    partner.serve("/programmes.csv", programmes(3), content_type="text/csv")

    summary = run_job(source["id"])

    assert summary["outcome"] == "failed"
    assert "9" in summary["gather_errors"][0] and "12" in summary["gather_errors"][0]
    assert "max_withdraw_share" in summary["gather_errors"][0]
    assert len(harvested(source["id"])) == 12

    monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.harvest.max_withdraw_share", 1.0)
    summary = run_job(source["id"])
    assert summary["counts"]["withdrawn"] == 9 and summary["counts"]["unchanged"] == 3
