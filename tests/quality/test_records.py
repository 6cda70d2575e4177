"""Freshness and score of real records: what the hooks store when a record is created or
changed, what package_show, package_search (facet, filter, sort) and the API show, and the
daily pass when time goes by."""
from __future__ import annotations

import datetime

import pytest

from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.lib.clock import utcnow
from ckanext.lampangpoverty.model import PackageQuality
from ckanext.lampangpoverty.quality import passes

from .conftest import queued


def search(**params):
    return call_action("package_search", include_private=True, **params)


def facet(name: str, **params) -> dict[str, int]:
    result = search(**{"facet.field": [name], "rows": 0, **params})
    return {i["name"]: i["count"] for i in result["search_facets"][name]["items"]}


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
class TestARecordKnowsItsFreshness:
    def test_a_new_yearly_record_is_fresh_scored_and_searchable_by_freshness(self,
                                                                           make_record):
        record = make_record(name="yearly", update_frequency_unit="ปี",
                             resources=[{"url": "https://data.example.go.th/a.csv",
                                         "format": "CSV", "name": "ตาราง"}])
        shown = call_action("package_show", id=record["id"])["quality"]
        assert shown["freshness"]["status"] == "fresh"
        assert shown["freshness"]["changed_by"] == "resource"
        assert 0 < shown["score"] <= 100
        assert set(shown["parts"]) == {"metadata", "freshness"}   # nothing checked yet
        assert facet("freshness") == {"fresh": 1}
        assert search(fq="freshness:fresh")["count"] == 1
        assert search(fq="freshness:overdue")["count"] == 0
        # a validation and a link check wait for the worker (queued after the commit)
        assert any("validate resource" in t for t in queued())
        assert any("check 1 links on data.example.go.th" in t for t in queued())

    def test_show_output_goes_back_into_update_unchanged(self, make_record, sysadmin_context):
        record = make_record(name="round-trip", update_frequency_unit="ปี")
        shown = call_action("package_show", id=record["id"])
        assert "quality" in shown
        shown["title"] = "ชื่อใหม่"
        updated = call_action("package_update", sysadmin_context, **shown)
        assert updated["title"] == "ชื่อใหม่"
        assert "quality" not in model.Package.get(record["id"]).extras

    def test_without_a_frequency_it_is_unknown_and_says_why(self, make_record):
        record = make_record(name="no-frequency")
        result = call_action("lampangpoverty_quality_show", id=record["name"])
        assert result["freshness"]["status"] == "unknown"
        assert result["freshness"]["reason"] == "no_frequency"
        assert result["freshness"]["explanation"]
        assert "update_frequency_unit" in result["metadata_missing"]

    def test_never_and_as_needed_frequencies_are_accepted_and_never_due(self, make_record):
        never = make_record(name="never",
                            update_frequency_unit="ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล")
        needed = make_record("agency-resource", name="as-needed",
                             update_frequency_unit="ตามความจำเป็น")
        later = utcnow() + datetime.timedelta(days=3650)
        passes.freshness_pass(later)
        assert PackageQuality.get(never["id"]).freshness == "never"
        assert PackageQuality.get(needed["id"]).freshness == "as_needed"

    def test_a_frequency_the_portal_does_not_know_gives_a_clear_status(self, make_record):
        record = make_record(name="odd-frequency", update_frequency_unit="ปี")
        # A value stored before the schema knew it (or written around it): not refused
        # anywhere, so it must not break the pass either.
        pkg = model.Package.get(record["id"])
        pkg.extras = {**pkg.extras, "update_frequency_unit": "ปีละสองหน",
                      "update_frequency_interval": "x"}
        pkg.metadata_modified = utcnow()
        model.Session.commit()
        passes.freshness_pass()
        result = call_action("lampangpoverty_quality_show", id=record["id"])
        assert result["freshness"]["status"] == "unknown"
        assert result["freshness"]["reason"] == "unknown_frequency"
        assert "ปีละสองหน" in result["freshness"]["explanation"]
        assert search(fq="freshness:unknown")["count"] == 1

    def test_time_moves_the_record_through_due_overdue_and_delinquent(self, make_record):
        record = make_record(name="monthly", update_frequency_unit="เดือน")
        start = utcnow()
        for days, status in ((20, "fresh"), (32, "due"), (50, "overdue"), (70, "delinquent")):
            result = passes.freshness_pass(start + datetime.timedelta(days=days))
            assert PackageQuality.get(record["id"]).freshness == status
            assert search(fq=f"freshness:{status}")["count"] == 1, (days, result)
        # the same day again changes nothing and reindexes nothing
        again = passes.freshness_pass(start + datetime.timedelta(days=70))
        assert (again["changed"], again["reindexed"]) == (0, 0)

    def test_a_new_file_makes_an_overdue_record_fresh(self, make_record, sysadmin_context):
        record = make_record(name="stale", update_frequency_unit="วัน")
        passes.freshness_pass(utcnow() + datetime.timedelta(days=5))
        assert PackageQuality.get(record["id"]).freshness == "delinquent"
        call_action("resource_create", sysadmin_context, package_id=record["id"], format="CSV",
                    url="https://data.example.go.th/new.csv", name="ใหม่")
        assert PackageQuality.get(record["id"]).freshness == "fresh"
        assert search(fq="freshness:fresh")["count"] == 1

    def test_a_declared_update_date_counts(self, make_record, sysadmin_context):
        record = make_record(name="declared", update_frequency_unit="ปี")
        call_action("package_patch", sysadmin_context, id=record["id"], data_updated="2020-01-01")
        result = call_action("lampangpoverty_quality_show", id=record["id"])
        # published today, but its data say 2020: the publisher's date counts, not ours
        assert result["freshness"]["changed_by"] == "declared"
        assert result["freshness"]["status"] == "delinquent"
        future = (utcnow() + datetime.timedelta(days=30)).date().isoformat()
        call_action("package_patch", sysadmin_context, id=record["id"], data_updated=future)
        result = call_action("lampangpoverty_quality_show", id=record["id"])
        assert result["freshness"]["ignored"] == ["declared"]

    def test_score_sorts_and_facets(self, make_record):
        good = make_record(name="complete", update_frequency_unit="ปี", license_id="cc-by",
                           maintainer="ผู้ประสานงาน", maintainer_email="a@b.example",
                           methodology="สำรวจ", tag_string="ความยากจน",
                           resources=[{"url": "https://x.example/a.pdf", "name": "รายงาน",
                                       "format": "PDF"}])
        poor = make_record(name="bare")
        results = search(sort="quality_score desc")["results"]
        assert [r["name"] for r in results] == ["complete", "bare"]
        assert results[0]["quality"]["score"] > results[1]["quality"]["score"]
        assert sum(facet("quality_band").values()) == 2
        assert PackageQuality.get(good["id"]).score > PackageQuality.get(poor["id"]).score


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_records_the_hooks_never_saw_are_taken_in_by_the_pass(make_record):
    record = make_record(name="old-record", update_frequency_unit="ปี")
    model.Session.query(PackageQuality).delete()
    model.Session.commit()
    result = passes.freshness_pass()
    assert result["taken_in"] == 1
    assert PackageQuality.get(record["id"]).freshness == "fresh"


def test_organisation_opt_out_field_exists(clean_db):
    org = factories.Organization(sector="government", quality_digest="no")
    assert call_action("organization_show", id=org["id"])["quality_digest"] == "no"
