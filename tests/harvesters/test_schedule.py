"""Running harvests unattended: the hourly frequency, jobs that stopped moving finished as
failed with the reason, and the job summary through the action API."""
from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.lampangpoverty.lib.clock import utcnow

pytestmark = pytest.mark.usefixtures("clean_db")

TABLE = {"key": "k", "fields": {"title": "t"}, "type": "agency-resource",
         "defaults": {"programme_kind": "housing_repair", "eligibility": "e",
                      "area_codes": ["52"], "programme_status": "open"}}


@pytest.fixture
def source(partner, make_source):
    """A source nobody harvests here: the tests drive its jobs by hand."""
    return make_source("lampangpoverty_table", partner.url("/t.csv"), TABLE)


def test_sources_may_run_hourly_and_the_scheduler_creates_due_jobs(partner, make_source):
    from ckanext.harvest.model import HarvestJob, HarvestSource

    from ckanext.lampangpoverty.harvesters import schedule

    source = make_source("lampangpoverty_table", partner.url("/t.csv"), TABLE,
                         frequency="HOURLY")
    before = utcnow()

    schedule.finish_stuck_jobs()
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {})

    assert model.Session.query(HarvestJob).filter_by(source_id=source["id"]).count() == 1
    next_run = HarvestSource.get(source["id"]).next_run
    assert datetime.timedelta(minutes=59) < next_run - before < datetime.timedelta(minutes=61)


def test_a_job_that_stopped_moving_is_finished_as_failed_with_the_reason(source):
    from ckanext.harvest.model import HarvestJob, HarvestObject

    from ckanext.lampangpoverty.harvesters import schedule

    job = HarvestJob(source_id=source["id"], status="Running")
    model.Session.add(job)
    model.Session.commit()
    an_hour_ago = utcnow() - datetime.timedelta(hours=1)
    for guid, state in (("done", "COMPLETE"), ("held", "IMPORT"), ("queued", "WAITING")):
        model.Session.add(HarvestObject(guid=guid, job=job, source=job.source, state=state,
                                        gathered=an_hour_ago, import_started=an_hour_ago))
    job.created = job.gather_started = job.gather_finished = an_hour_ago
    model.Session.commit()

    assert schedule.finish_stuck_jobs(stuck_after=600) == [job.id]

    summary = tk.get_action("lampangpoverty_harvest_job_summary")(
        {"ignore_auth": True}, {"id": job.id})
    assert summary["status"] == "Finished" and summary["outcome"] == "failed"
    assert "no progress for 3600" in summary["gather_errors"][0].replace("3599", "3600")
    assert summary["counts"]["errored"] == 2
    assert {e["guid"] for e in summary["errors"]} == {"held", "queued"}


def test_a_moving_job_is_left_running(source):
    from ckanext.harvest.model import HarvestJob

    from ckanext.lampangpoverty.harvesters import schedule

    job = HarvestJob(source_id=source["id"], status="Running")
    model.Session.add(job)
    model.Session.commit()

    assert schedule.finish_stuck_jobs(stuck_after=600) == []
    assert HarvestJob.get(job.id).status == "Running"


def test_the_job_summary_is_served_by_the_action_api(app, source, org_admin):
    from ckan.tests import factories
    from ckanext.harvest.model import HarvestJob

    job = HarvestJob(source_id=source["id"], status="New")
    model.Session.add(job)
    model.Session.commit()

    url = "/api/3/action/lampangpoverty_harvest_job_summary"
    app.get(url, query_string={"id": job.id}, status=403)       # job details are the org's
    token = factories.APIToken(user=org_admin["user"]["name"])["token"]
    result = app.get(url, query_string={"id": job.id},
                     headers={"Authorization": token}).json["result"]
    assert result["outcome"] == "waiting"
    assert result["counts"] == {"added": 0, "updated": 0, "unchanged": 0, "withdrawn": 0,
                                "errored": 0}


def test_the_source_form_is_in_thai_with_our_harvesters_and_hourly(app, org_admin):
    from ckan.tests import factories

    token = factories.APIToken(user=org_admin["user"]["name"])["token"]
    page = app.get("/harvest/new", headers={"Authorization": token}).body

    assert "พอร์ทัล CKAN (GD-Catalog)" in page and "ตารางของหน่วยงานภาคี" in page
    assert "ความถี่ในการปรับปรุง" in page and 'value="HOURLY"' in page and "ทุกชั่วโมง" in page
    assert 'value="ckan"' not in page          # ckanext-harvest's own harvester is not offered


def test_an_unexpected_ckanext_harvest_release_stops_the_platform_loudly(monkeypatch):
    """HOURLY and the consumers change ckanext-harvest 1.6.3's internals: another release must
    be checked first, so it is refused at start-up instead of misbehaving quietly."""
    import importlib.metadata

    from ckanext.lampangpoverty.harvesters import schedule

    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "1.7.0" if name == "ckanext-harvest" else real(name))
    with pytest.raises(RuntimeError, match=r"1\.7\.0"):
        schedule.add_hourly()
    monkeypatch.setattr(importlib.metadata, "version", real)
    schedule.add_hourly()
