"""The activity stream of a batch import (harvesters/activities.py): the rows the batch adds
together are the rows ckanext-activity writes one record at a time, with the same content,
and a record the batch rolls back leaves no activity behind."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan import model

from .conftest import harvested, run_job
from .test_batch import by_guid, gathered
from .test_reliability import CONFIG

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def table(label: str, n: int = 4) -> bytes:
    rows = [f"A{i:04d},{label} {i},52{i + 1:02d}" for i in range(n)]
    return ("code,title,amphoe\n" + "\n".join(rows) + "\n").encode()


def activities(package_id: str) -> list:
    from ckanext.activity.model import Activity

    return (model.Session.query(Activity).filter(Activity.object_id == package_id)
            .order_by(Activity.timestamp).all())


def shown(package_id: str) -> dict:
    """The record as ckanext-activity's own package_show sees it (not from the index)."""
    return tk.get_action("package_show")({"for_view": False, "ignore_auth": True,
                                          "use_cache": False}, {"id": package_id})


def labels(pkg) -> list[str]:
    from ckan.lib.plugins import get_permission_labels

    return get_permission_labels().get_dataset_labels(pkg)


def check_rows(source_id: str, expected_types: list[str]) -> list:
    """Each record's activities: their types in order, the last one holding the record as it
    is stored now; returns the last rows."""
    site_user = model.User.get(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
    last = []
    for pkg in harvested(source_id):
        rows = activities(pkg.id)
        assert [r.activity_type for r in rows] == expected_types, pkg.title
        row = rows[-1]
        assert row.user_id == site_user.id
        assert row.data["actor"] == site_user.name
        assert row.data["package"] == shown(pkg.id)
        assert row.permission_labels == labels(pkg)
        last.append(row)
    return last


def test_batch_activity_rows_are_those_written_one_by_one(partner, make_source, monkeypatch):
    from ckanext.lampangpoverty.harvesters import batch, schedule
    from ckanext.lampangpoverty.harvesters.importing import record_id
    from ckanext.lampangpoverty.harvesters.table import TableHarvester

    # The same table harvested by ckanext-harvest's own one-record-at-a-time stages (the
    # activity written by ckanext-activity) and by a batch.
    one_url = partner.serve("/one.csv", table("กิจกรรมเดี่ยว"), content_type="text/csv")
    one = make_source("lampangpoverty_table", one_url, CONFIG, name="src-one")
    run_job(one["id"])
    singles = check_rows(one["id"], ["new package"])
    assert len(singles) == 4

    url = partner.serve("/batch.csv", table("กิจกรรมชุด"), content_type="text/csv")
    source = make_source("lampangpoverty_table", url, CONFIG, name="src-batch")
    after_import = TableHarvester.after_import

    def raising_after_import(self, package_id, config, harvest_object):
        if harvest_object.guid == "A0002":
            raise RuntimeError("a plugin hook broke")
        return after_import(self, package_id, config, harvest_object)
    monkeypatch.setattr(TableHarvester, "after_import", raising_after_import)
    ids = gathered(source["id"])
    assert batch.import_batch(ids) == []
    rows = check_rows(source["id"], ["new package"])
    assert len(rows) == 3
    # The record rolled back after it was saved left no activity.
    assert by_guid(ids)["A0002"].state == "ERROR"
    assert activities(record_id(source["id"], "A0002")) == []

    # Same shape as one by one: the same keys, types, labels, every field but the
    # record's own identity and titles.
    def shape(row) -> tuple:
        package = row.data["package"]
        return (row.activity_type, tuple(sorted(row.data)), tuple(sorted(package)),
                tuple(sorted(r["format"] for r in package["resources"])),
                tuple(row.permission_labels))
    assert {shape(r) for r in rows} == {shape(r) for r in singles}

    # Changed at the source, then unchanged: each record's activities, in type and order,
    # are those the one-by-one import gives the same changes.
    monkeypatch.setattr(TableHarvester, "after_import", after_import)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    def types(source_id: str) -> list[list[str]]:
        return sorted([r.activity_type for r in activities(pkg.id)]
                      for pkg in harvested(source_id) if not pkg.title.endswith(" 2"))
    for label in ("ใหม่", "ใหม่"):
        partner.serve("/one.csv", table(f"กิจกรรมเดี่ยว{label}"), content_type="text/csv")
        run_job(one["id"])
        partner.serve("/batch.csv", table(f"กิจกรรมชุด{label}"), content_type="text/csv")
        schedule.run_pass(site_user)
        batch.import_batch(gathered(source["id"]))
        assert types(source["id"]) == types(one["id"])
    assert {pkg.title for pkg in harvested(source["id"])} == {
        f"กิจกรรมชุดใหม่ {i}" for i in range(4)}
