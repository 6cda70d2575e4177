"""A gate job whose worker was killed (a node lost) is run again, and however far its first run
got, the dataset ends with exactly one release of the submission."""
from __future__ import annotations

import time

import pytest
from rq.registry import StartedJobRegistry

from ckan import model
from ckan.lib import jobs
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.disclosure import synthetic
from ckanext.lampangpoverty.gate import submission as gate
from ckanext.lampangpoverty.model import Microdata

from .test_submission import admin, csv_bytes, dataset, people, run_jobs, upload

__all__ = ["admin", "dataset", "people"]   # fixtures used by name

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues",
                                     "with_test_worker")


def submitted(admin, dataset, people) -> str:
    result = upload(admin, dataset, csv_bytes(people), roles=synthetic.roles(),
                    recodes=synthetic.RECODES, household_column="household_id")
    return result["id"]


def release_resources(dataset) -> list[dict]:
    pkg = call_action("package_show", id=dataset["id"])
    return [r for r in pkg["resources"] if "/lampangpoverty/release/" in r["url"]]


def test_a_job_abandoned_by_a_killed_worker_is_retried_to_one_release(admin, dataset, people):
    microdata_id = submitted(admin, dataset, people)
    worker = jobs.Worker(["default"])
    worker.work(burst=True, max_jobs=1)         # reads the table, queues the check
    # A worker takes the check and dies: its execution stays in the started registry.
    job, queue = worker.dequeue_job_and_maintain_ttl(timeout=1)
    assert job.func_name.endswith("run_gate")
    assert job.retries_left == gate.JOB_RETRIES
    worker.prepare_execution(job)
    registry = StartedJobRegistry(queue=queue)
    assert job.id in registry.get_job_ids()
    # Its heartbeat lapses; the next maintenance of any worker finds it abandoned.
    registry.cleanup(timestamp=time.time() + 3600)
    assert job.id in queue.get_job_ids()        # queued again, not failed
    run_jobs()
    shown = call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                        microdata_id=microdata_id)
    assert shown["status"] == "passed", shown["message"]
    assert [r["id"] for r in release_resources(dataset)] == [shown["release_resource_id"]]


def test_a_run_killed_after_publishing_is_retried_without_a_second_release(admin, dataset,
                                                                           people):
    microdata_id = submitted(admin, dataset, people)
    run_jobs()
    first = release_resources(dataset)
    assert len(first) == 1
    # As if the first run was killed after creating the resource, before recording it.
    record = Microdata.get(microdata_id)
    record.status, record.release_resource_id = "running", None
    model.Session.commit()
    gate.run_gate(microdata_id)
    assert [r["id"] for r in release_resources(dataset)] == [first[0]["id"]]
    assert Microdata.get(microdata_id).release_resource_id == first[0]["id"]
    assert not list(gate.release_path(record).parent.glob("*.part"))
    # Retried once more after it got to the end: nothing changes.
    before = call_action("package_show", id=dataset["id"])
    gate.run_gate(microdata_id)
    assert call_action("package_show", id=dataset["id"]) == before
    assert Microdata.get(microdata_id).status == "passed"
