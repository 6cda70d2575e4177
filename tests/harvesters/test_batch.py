"""The fetch consumer's batch import (harvesters/batch.py): one transaction for many records,
one savepoint per record, so that a record that fails takes only itself down."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan import model

from .conftest import harvested, search
from .test_reliability import CONFIG

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def gathered(source_id: str) -> list[str]:
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob

    job_dict = tk.get_action("harvest_job_create")(
        {"ignore_auth": True}, {"source_id": source_id, "run": False})
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    ids = queue.gather_stage(queue.get_harvester(job.source.type), job)
    assert isinstance(ids, list)
    return ids


def by_guid(ids: list[str]) -> dict:
    from ckanext.harvest.model import HarvestObject

    model.Session.commit()      # a fresh look at what the batch committed
    return {o.guid: o for o in model.Session.query(HarvestObject)
            .filter(HarvestObject.id.in_(ids))}


def test_a_bad_record_in_a_batch_takes_down_only_itself(partner, make_source, monkeypatch):
    from ckanext.lampangpoverty.harvesters import batch, schedule
    from ckanext.lampangpoverty.harvesters.table import TableHarvester

    # R0001 reaches CKAN's validation with a programme status that is none of the allowed
    # ones (a required field: the record is refused, and CKAN rolls the session back);
    # R0002's import raises in a hook after its record was saved.
    rows = [f"R{i:04d},ข้อมูลที่ {i},52{i + 1:02d}" for i in range(5)]
    header = "code,title,amphoe\n"
    url = partner.serve("/programmes.csv", (header + "\n".join(rows) + "\n").encode(),
                        content_type="text/csv")
    source = make_source("lampangpoverty_table", url, CONFIG)
    prepare, after_import = TableHarvester.prepare, TableHarvester.after_import

    def bad_prepare(self, data, config, existing):
        data = prepare(self, data, config, existing)
        if data["title"] == "ข้อมูลที่ 1":
            data["programme_status"] = "no-such-status"
        return data

    def raising_after_import(self, package_id, config, harvest_object):
        if harvest_object.guid == "R0002":
            raise RuntimeError("a plugin hook broke")
        return after_import(self, package_id, config, harvest_object)
    monkeypatch.setattr(TableHarvester, "prepare", bad_prepare)
    monkeypatch.setattr(TableHarvester, "after_import", raising_after_import)

    ids = gathered(source["id"])
    assert len(ids) == 5
    assert batch.import_batch(ids) == []

    objects = by_guid(ids)
    assert {g: (o.state, o.report_status) for g, o in objects.items()} == {
        "R0000": ("COMPLETE", "added"), "R0001": ("ERROR", "errored"),
        "R0002": ("ERROR", "errored"), "R0003": ("COMPLETE", "added"),
        "R0004": ("COMPLETE", "added")}
    assert "programme_status" in objects["R0001"].errors[0].message
    assert "RuntimeError" in objects["R0002"].errors[0].message
    assert "a plugin hook broke" in objects["R0002"].errors[0].message
    assert all(o.retry_times == 1 for o in objects.values())
    # Stored: the three good ones, nothing of the two bad ones, not even half a record.
    titles = sorted(r.title for r in harvested(source["id"], include_withdrawn=True))
    assert titles == ["ข้อมูลที่ 0", "ข้อมูลที่ 3", "ข้อมูลที่ 4"]
    assert objects["R0002"].package_id is None or model.Package.get(
        objects["R0002"].package_id) is None
    assert not objects["R0001"].current and not objects["R0002"].current
    # Indexed: exactly the stored ones.
    found = search(q="ข้อมูลที่")["results"]
    assert sorted(p["title"] for p in found) == titles

    # A message taken twice (resubmitted while the batch ran) is not imported twice.
    assert batch.import_batch(ids) == []
    assert {g: o.retry_times for g, o in by_guid(ids).items()} == dict.fromkeys(objects, 1)

    # The next run imports the two that failed, once they are fixed.
    monkeypatch.setattr(TableHarvester, "prepare", prepare)
    monkeypatch.setattr(TableHarvester, "after_import", after_import)
    schedule.run_pass(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
    ids = gathered(source["id"])
    assert sorted(o.guid for o in by_guid(ids).values()) == ["R0001", "R0002"]
    batch.import_batch(ids)
    assert {o.state for o in by_guid(ids).values()} == {"COMPLETE"}
    assert len(harvested(source["id"])) == 5
    assert search(q="ข้อมูลที่", rows=0)["count"] == 5


def test_a_batch_goes_to_solr_in_one_request_and_a_record_solr_refuses_is_left_out(
        partner, make_source, monkeypatch):
    import pysolr

    from ckanext.lampangpoverty.catalogue import search as catalogue_search
    from ckanext.lampangpoverty.harvesters import batch, schedule

    rows = [f"S{i:04d},ดัชนีชุดที่ {i},52{i + 1:02d}" for i in range(6)]
    url = partner.serve("/solr.csv", ("code,title,amphoe\n" + "\n".join(rows) + "\n").encode(),
                        content_type="text/csv")
    source = make_source("lampangpoverty_table", url, CONFIG)
    requests: list[int] = []
    add = pysolr.Solr.add

    def counted_add(self, docs, *args, **kwargs):
        requests.append(len(docs))
        return add(self, docs, *args, **kwargs)
    monkeypatch.setattr(pysolr.Solr, "add", counted_add)

    # A clean batch: six records, one request to Solr, all searchable.
    ids = gathered(source["id"])
    assert batch.import_batch(ids) == []
    assert requests == [6]
    assert search(q="ดัชนีชุดที่", rows=0)["count"] == 6

    # Changed at the source; Solr refuses the document of one of them (a date it cannot
    # read), as it would a document broken by any plugin. The batch request fails, the
    # batch is imported again one record at a time: the five others are stored and
    # searchable with their new titles, the refused one keeps its last good version in
    # both the database and the index, and its object says why.
    rows = [f"S{i:04d},ดัชนีชุดใหม่ {i},52{i + 1:02d}" for i in range(6)]
    partner.serve("/solr.csv", ("code,title,amphoe\n" + "\n".join(rows) + "\n").encode(),
                  content_type="text/csv")
    index_fields = catalogue_search.index_fields

    def refused(pkg_dict):
        pkg_dict = index_fields(pkg_dict)
        if pkg_dict.get("title") == "ดัชนีชุดใหม่ 3":
            pkg_dict["metadata_modified"] = "not a date"
        return pkg_dict
    monkeypatch.setattr(catalogue_search, "index_fields", refused)
    schedule.run_pass(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
    requests.clear()
    ids = gathered(source["id"])
    assert batch.import_batch(ids) == []
    assert requests[0] == 6 and len(requests) > 1      # the batch, then one by one
    objects = by_guid(ids)
    assert objects["S0003"].state == "ERROR"
    assert "search index did not accept" in objects["S0003"].errors[0].message
    assert {o.state for g, o in objects.items() if g != "S0003"} == {"COMPLETE"}
    titles = sorted(r.title for r in harvested(source["id"]))
    assert titles == sorted([f"ดัชนีชุดใหม่ {i}" for i in (0, 1, 2, 4, 5)] + ["ดัชนีชุดที่ 3"])
    found = search(q="ดัชนีชุด*")["results"]
    assert sorted(p["title"] for p in found) == titles
    assert search(q='title:"ดัชนีชุดใหม่ 3"', rows=0)["count"] == 0
