"""``ckan lampangpoverty reindex``: killed and run again it leaves every record indexed once
and current; search keeps answering while it runs; its closing check counts what differs."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.lib.search.common import make_connection
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.reindex import check, progress

RECORDS = 30


def _command(request, *args: str) -> list[str]:
    ckan = Path(sys.executable).with_name("ckan")
    return [str(ckan), "-c", request.config.getoption("ckan_ini"), "lampangpoverty", "reindex",
            *args]


def _solr_docs() -> list[dict]:
    conn = make_connection()
    conn.commit(waitSearcher=True)
    fq = f'+site_id:"{tk.config["ckan.site_id"]}"'
    return conn.search("*:*", fq=fq, rows=1000, fl="id,title").docs


def _session_members(session: int) -> list[int]:
    """Processes left in the session the command started (its workers, if they outlived it)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _done_count() -> int:
    return connect_to_redis().scard(f"lampangpoverty:reindex:{tk.config['ckan.site_id']}:done")


@pytest.fixture
def stale_records(clean_index, make_record):
    """RECORDS indexed records whose titles then change in the database behind the index's
    back, so only a reindex makes the index current."""
    ids = [make_record(name=f"reindex-{n:02d}", title=f"ชุดข้อมูล {n}")["id"]
           for n in range(RECORDS)]
    model.Session.execute(sa.text(
        "UPDATE package SET title = title || ' (ปรับปรุง)', "
        "metadata_modified = metadata_modified + interval '1 second'"))
    model.Session.commit()
    yield ids
    progress.finish()


def test_killed_reindex_run_again_leaves_every_record_indexed_once(request, stale_records):
    first = subprocess.Popen(_command(request, "--fresh", "--processes", "1", "--batch-size",
                                      "1"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    while _done_count() < 5 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(first.pid, signal.SIGKILL)  # the command only: its workers must die with it
    first.wait()
    assert first.returncode == -signal.SIGKILL, first.stdout.read() if first.stdout else ""
    deadline = time.monotonic() + 30
    while _session_members(first.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _session_members(first.pid) == []  # no worker goes on indexing on its own
    assert progress.unfinished()
    sent_before = len(progress.done() - {""})
    assert 0 < sent_before < RECORDS

    # Run again while searching as a visitor does: every answer has every record.
    second = subprocess.Popen(_command(request), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    answers = []
    while second.poll() is None:
        answers.append(call_action("package_search", q="*:*", rows=0)["count"])
    output = second.stdout.read() if second.stdout else ""
    assert second.returncode == 0, output
    assert answers and set(answers) == {RECORDS}, answers
    assert "resumed an interrupted run" in output
    assert f"of {RECORDS - sent_before} records" in output  # those sent before were skipped
    assert f"Packages not indexed = 0 out of {RECORDS}" in output
    assert "Solr documents without a record = 0" in output
    assert not progress.unfinished()

    docs = _solr_docs()
    assert sorted(d["id"] for d in docs) == sorted(stale_records)  # none missing, none twice
    assert all(d["title"].endswith(" (ปรับปรุง)") for d in docs), [d["title"] for d in docs]


@pytest.mark.usefixtures("clean_index")
def test_check_counts_records_missing_from_solr_and_documents_without_a_record(make_record):
    kept, dropped = make_record(name="kept")["id"], make_record(name="dropped")["id"]
    conn = make_connection()
    conn.delete(q=f'id:"{dropped}"', commit=True)
    fq = f'+site_id:"{tk.config["ckan.site_id"]}"'
    # a copy of a real document, so it has every field the schema requires
    real = make_connection(decode_dates=False).search("*:*", fq=fq, rows=1).docs[0]
    real.pop("_version_", None)
    ghost = dict(real, id="ghost-record", name="ghost-record", index_id="ghost-index-id")
    conn.add(docs=[ghost], commit=True)

    found = check.check()
    assert found.active == 2
    assert found.missing == [dropped]
    assert found.extra == ["ghost-record"]
    assert kept not in found.missing
    assert not found.ok


@pytest.mark.usefixtures("clean_index")
def test_a_reindex_takes_out_documents_whose_record_is_gone(request, make_record):
    """A record purged behind the index's back (or a database restored from an older dump)
    leaves its document in Solr; a reindex leaves the index as the database is, but never
    a document indexed after it began (a record being created)."""
    kept = make_record(name="kept")["id"]
    fq = f'+site_id:"{tk.config["ckan.site_id"]}"'
    real = make_connection(decode_dates=False).search("*:*", fq=fq, rows=1).docs[0]
    real.pop("_version_", None)
    ghosts = [dict(real, id=f"ghost-{n}", name=f"ghost-{n}", index_id=f"ghost-index-{n}",
                   indexed_ts="2020-01-01T00:00:00Z") for n in range(3)]
    make_connection().add(docs=ghosts, commit=True)
    assert check.orphans("2019-01-01T00:00:00Z") == set()     # indexed after that moment
    assert check.orphans("NOW") == {"ghost-0", "ghost-1", "ghost-2"}

    done = subprocess.run(_command(request, "--fresh", "--processes", "1"), text=True,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "removed 3 Solr documents whose record is no longer in the database" in done.stdout
    assert "Solr documents without a record = 0" in done.stdout
    assert [d["id"] for d in _solr_docs()] == [kept]
    progress.finish()
