"""Link checks against real servers on 127.0.0.1: working, missing, HEAD-refusing and
redirecting links, internal addresses (never contacted), servers that trickle, and the
per-host rate that holds across workers running at once."""
from __future__ import annotations

import threading
import time

import pytest

from ckan import model
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.harvesters.http import Policy
from ckanext.lampangpoverty.model import ResourceQuality
from ckanext.lampangpoverty.quality import links, probe

from .conftest import run_jobs


def record_with(make_record, name: str, *urls: str) -> dict:
    return make_record(name=name, resources=[
        {"url": url, "format": "PDF", "name": f"r{i}"} for i, url in enumerate(urls)])


def row(resource: dict) -> ResourceQuality:
    model.Session.expire_all()
    return ResourceQuality.get(resource["id"])


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
class TestLinkStatus:
    def test_a_working_link_is_ok_and_remembered_as_last_good(self, partner, make_record):
        partner.routes["/report.pdf"] = (200, {}, b"%PDF-1.4", None)
        record = record_with(make_record, "ok", partner.url + "/report.pdf")
        run_jobs()
        checked = row(record["resources"][0])
        assert (checked.link, checked.link_code) == ("ok", 200)
        assert checked.link_good and checked.link_checked
        assert [h[1] for h in partner.hits] == ["HEAD"]     # no download

    def test_a_missing_file_is_broken_and_listed_for_its_organisation(self, partner,
                                                                     make_record,
                                                                     organization):
        record = record_with(make_record, "gone", partner.url + "/gone.pdf")
        run_jobs()
        checked = row(record["resources"][0])
        assert (checked.link, checked.link_code) == ("broken", 404)
        listed = call_action("lampangpoverty_quality_organization_show",
                             id=organization["name"])
        assert [b["resource_id"] for b in listed["broken_links"]] == [checked.resource_id]
        assert "404" in listed["broken_links"][0]["link"]["message"]
        assert call_action("package_search", fq="vocab_quality_flags:broken_link")["count"] == 1
        assert call_action("package_show", id=record["id"])["quality"]["parts"]["links"][
            "failing"] == 1

    def test_a_server_refusing_head_is_asked_for_one_byte(self, partner, make_record):
        partner.routes["HEAD /d.csv"] = (405, {}, b"", None)
        partner.routes["GET /d.csv"] = (206, {"Content-Range": "bytes 0-0/9"}, b"a", None)
        record = record_with(make_record, "no-head", partner.url + "/d.csv")
        run_jobs()
        assert row(record["resources"][0]).link == "ok"
        assert [h[1] for h in partner.hits] == ["HEAD", "GET"]

    def test_a_redirect_to_an_internal_address_is_refused_before_any_request(self, partner,
                                                                            make_record):
        partner.routes["/moved"] = (302, {"Location": "http://10.20.30.40/secret"}, b"", None)
        record = record_with(make_record, "redirect", partner.url + "/moved",
                             "http://[::1]/x", "ftp://example.org/y")
        run_jobs()
        statuses = [row(r).link for r in record["resources"]]
        assert statuses == ["refused", "refused", "refused"]
        assert len(partner.hits) == 1          # only the first hop, on the allowed host
        shown = call_action("lampangpoverty_quality_show", id=record["id"])
        assert "10.20.30.40" in shown["resources"][0]["link"]["message"]

    def test_a_trickling_server_times_out_and_the_host_is_left_alone(self, partner,
                                                                     make_record, monkeypatch,
                                                                     ckan_config):
        monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.quality.link_timeout", 1.0)
        monkeypatch.setattr(links, "BACKOFF", 0.05)
        for i in range(6):
            partner.routes[f"/slow{i}"] = (200, {}, b"", ("head", 0.5))
        record = record_with(make_record, "slow", *[partner.url + f"/slow{i}" for i in range(6)])
        started = time.monotonic()
        run_jobs()
        took = time.monotonic() - started
        statuses = [row(r).link for r in record["resources"]]
        assert statuses[:3] == ["timeout"] * 3
        assert statuses[3:] == ["unchecked"] * 3     # backed off: checked next round
        assert took < 8, took
        assert row(record["resources"][3]).link_checked is None


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
def test_the_per_host_rate_holds_across_workers(partner, make_record, monkeypatch,
                                                ckan_config):
    monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.quality.link_rate", 3.0)
    for i in range(12):
        partner.routes[f"/f{i}"] = (200, {}, b"x", None)
    record = record_with(make_record, "many", *[partner.url + f"/f{i}" for i in range(12)])
    ids = [r["id"] for r in record["resources"]]
    workers = [threading.Thread(target=links.check_job, args=("127.0.0.1", part))
               for part in (ids[0::2], ids[1::2])]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    times = sorted(t for t, _method, _path in partner.hits)
    assert len(times) == 12
    worst = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert worst <= 3, worst


def test_probe_gives_up_on_a_server_that_never_answers():
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)                         # accepts, never answers
    port = listener.getsockname()[1]
    started = time.monotonic()
    result = probe.check(f"http://127.0.0.1:{port}/", Policy(allowed=["127.0.0.1"]), 1.0)
    assert result.status == "timeout"
    assert time.monotonic() - started < 3
    listener.close()
