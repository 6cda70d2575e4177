"""The quality pages as readers get them, in Thai and English: badges in search results and
on the record page, the validation report on the resource page, an organisation's overdue
and broken-link lists, the league table; and the weekly e-mail."""
from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup

from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.lib.clock import utcnow
from ckanext.lampangpoverty.model import QualityTask
from ckanext.lampangpoverty.quality import digest, passes
from ckanext.lampangpoverty.quality.jobs import QUEUE

from ..gate.test_notify import mailbox  # noqa: F401  (the SMTP server fixture)
from .conftest import post_resource, run_jobs


def text(res) -> str:
    return BeautifulSoup(res.body, "html.parser").get_text(" ", strip=True)


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
class TestPages:
    def test_results_and_record_page_show_freshness_and_score_in_both_languages(
            self, app, make_record):
        make_record(name="yearly", title="ข้อมูลรายปี", update_frequency_unit="ปี")
        th, en = text(app.get("/dataset/")), text(app.get("/en/dataset/"))
        assert "ทันสมัย" in th and "Up to date" in en
        assert "/100" in th
        page = text(app.get("/en/poverty-dataset/yearly"))
        assert "Data quality" in page and "Metadata completeness" in page
        assert "Next update expected" in page
        assert "ความครบถ้วนของคำอธิบายข้อมูล" in text(app.get("/poverty-dataset/yearly"))

    def test_the_resource_page_shows_the_report_by_row_and_column(self, app, editor,
                                                                  make_record):
        record = make_record(name="errors")
        res = post_resource(app, editor, record, "ตำบล,จำนวน\n520801,1,9\n".encode(),
                            "t.csv", format="CSV").json["result"]
        run_jobs()
        page = text(app.get(f"/en/poverty-dataset/errors/resource/{res['id']}"))
        assert "Data errors" in page and "Extra cell" in page
        page = text(app.get(f"/poverty-dataset/errors/resource/{res['id']}"))
        assert "ข้อมูลผิดพลาด" in page

    def test_an_organisation_page_lists_overdue_records_and_the_league_ranks(
            self, app, make_record, organization):
        make_record(name="old", title="ชุดเก่า", update_frequency_unit="วัน")
        passes.freshness_pass(utcnow() + datetime.timedelta(days=2, hours=1))
        page = text(app.get(f"/en/organization/{organization['name']}/quality"))
        assert "ชุดเก่า" in page and "Overdue" in page
        league = text(app.get("/en/quality"))
        assert organization["title"] in league
        assert app.get("/organization/no-such-org/quality", status=404)

    def test_private_records_are_listed_to_members_only(self, app, make_record, organization):
        make_record(name="secret", title="ลับเฉพาะ", private=True, update_frequency_unit="วัน")
        passes.freshness_pass(utcnow() + datetime.timedelta(days=5))
        anonymous = call_action("lampangpoverty_quality_organization_show",
                                {"user": ""}, id=organization["id"])
        assert anonymous["late"] == []
        stranger = factories.User()
        assert call_action("lampangpoverty_quality_organization_show",
                           {"user": stranger["name"]}, id=organization["id"])["late"] == []
        assert call_action("lampangpoverty_quality_league", {"user": ""}) == []


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
class TestWeeklyEmail:
    def test_editors_get_their_late_records_in_thai_and_english(self, app, mailbox, editor,  # noqa: F811
                                                                  make_record, organization):
        make_record(name="late", title="ข้อมูลค้างปรับปรุง", update_frequency_unit="วัน")
        passes.freshness_pass(utcnow() + datetime.timedelta(days=2))
        assert digest.queue_all(app.flask_app) == 1
        run_jobs()
        (recipients, message), = mailbox
        assert recipients == ["editor@agency.example"]
        body = message.get_content()
        assert "ข้อมูลค้างปรับปรุง" in body
        assert "records due or overdue" in message["Subject"]
        assert "เลยกำหนด" in body and "Overdue" in body

    def test_an_organisation_that_opted_out_gets_nothing(self, app, mailbox, editor,  # noqa: F811
                                                         make_record, organization,
                                                         sysadmin_context):
        call_action("organization_patch", sysadmin_context, id=organization["id"],
                    quality_digest="no")
        make_record(name="late", update_frequency_unit="วัน")
        passes.freshness_pass(utcnow() + datetime.timedelta(days=2))
        assert digest.queue_all(app.flask_app) == 0
        run_jobs()
        assert mailbox == []

    def test_without_a_mail_server_it_is_logged_and_nothing_fails(self, app, editor,
                                                                   make_record,
                                                                   monkeypatch, ckan_config):
        monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:9")   # nobody listens
        make_record(name="late", update_frequency_unit="วัน")
        passes.freshness_pass(utcnow() + datetime.timedelta(days=2))
        with app.flask_app.test_request_context():
            done = passes.tick(utcnow() + datetime.timedelta(days=2))
        assert done["digests"] == 1
        logged = []
        monkeypatch.setattr(digest.log, "warning", lambda *args: logged.append(args[0] % args[1:]))
        run_jobs()
        queue = jobs.get_queue(QUEUE)
        assert queue.failed_job_registry.count == 0
        assert queue.finished_job_registry.count >= 1
        assert any("not sent" in line for line in logged), logged
        assert QualityTask.get("digest").finished is not None
