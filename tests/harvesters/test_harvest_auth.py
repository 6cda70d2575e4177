"""Finding 2 (and harvest_log_list's 500 of finding 12): what a source sent is read only by
its organisation's admins and sysadmins, through every harvest read action and page and by
every lookup ckanext-harvest offers (``attr=guid``, ``attr=harvest_source_id``,
``dataset_id``, ...); a lookup that resolves nothing is refused, never allowed."""
from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

SECRET = "นายสมชาย ใจดี 3520100012345"


@pytest.fixture
def harvested(org_admin, make_source, partner):
    """A source of organisation A with a job and a harvest object holding household data,
    a record it produced, and people of every role."""
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    source = make_source("lampangpoverty_ckan", partner.url("/api"),
                         {"defaults": {"unit_of_observation": "amphoe", "area_codes": ["52"]}},
                         name="a-source")
    job = tk.get_action("harvest_job_create")({"ignore_auth": True},
                                              {"source_id": source["id"], "run": False})
    record = factories.Dataset(owner_org=org_admin["org"]["id"], type="poverty-dataset",
                               name="a-record", **_required())
    obj = HarvestObject(guid="bmn-row-1", job=HarvestJob.get(job["id"]),
                        source=HarvestSource.get(source["id"]),
                        content=json.dumps({"name": SECRET}, ensure_ascii=False),
                        package_id=record["id"], current=True)
    model.Session.add(obj)
    model.Session.commit()
    editor, registered, other = factories.User(), factories.User(), factories.User()
    call_action("organization_member_create", id=org_admin["org"]["id"],
                username=editor["name"], role="editor")
    factories.Organization(users=[{"name": other["name"], "capacity": "admin"}],
                           sector="private")
    people = {"admin": org_admin["user"], "editor": editor, "registered": registered,
              "other_admin": other, "sysadmin": factories.Sysadmin()}
    tokens = {who: factories.APIToken(user=u["name"])["token"] for who, u in people.items()}
    return {"source": source, "job": job, "obj_id": obj.id, "record": record,
            "tokens": tokens, "org": org_admin["org"]}


def _required() -> dict:
    from tests.conftest import REQUIRED

    return REQUIRED["poverty-dataset"]


def reads(h) -> dict[str, tuple[str, dict]]:
    source, job, obj = h["source"], h["job"], h["obj_id"]
    return {
        "object by id": ("harvest_object_show", {"id": obj}),
        "object by guid": ("harvest_object_show", {"id": "bmn-row-1", "attr": "guid"}),
        "object by source": ("harvest_object_show",
                             {"id": source["id"], "attr": "harvest_source_id"}),
        "object by job": ("harvest_object_show", {"id": job["id"], "attr": "harvest_job_id"}),
        "object by package": ("harvest_object_show",
                              {"id": h["record"]["id"], "attr": "package_id"}),
        "object by dataset": ("harvest_object_show", {"dataset_id": h["record"]["name"]}),
        "objects of source": ("harvest_object_list", {"source_id": source["id"]}),
        "all objects": ("harvest_object_list", {}),
        "source": ("harvest_source_show", {"id": source["id"]}),
        "source by url": ("harvest_source_show", {"url": source["url"]}),
        "source as dataset": ("package_show", {"id": source["name"]}),
        "source status": ("harvest_source_show_status", {"id": source["id"]}),
        "sources": ("harvest_source_list", {}),
        "sources of A": ("harvest_source_list", {"organization_id": h["org"]["id"]}),
        "job": ("harvest_job_show", {"id": job["id"]}),
        "job by source": ("harvest_job_show", {"id": source["id"], "attr": "source_id"}),
        "job report": ("harvest_job_report", {"id": job["id"]}),
        "job summary": ("lampangpoverty_harvest_job_summary", {"id": job["id"]}),
        "jobs of source": ("harvest_job_list", {"source_id": source["id"]}),
        "all jobs": ("harvest_job_list", {}),
        "log": ("harvest_log_list", {}),
    }


def call(app, h, who: str, action: str, data: dict):
    headers = {"Authorization": h["tokens"][who]} if who != "anonymous" else {}
    res = app.post(f"/api/3/action/{action}", json=data, headers=headers)
    return res.status_code, res.body


OUTSIDERS = ("anonymous", "registered", "editor", "other_admin")


@pytest.mark.usefixtures("clean_index")
class TestHarvestReads:
    @pytest.mark.parametrize("who", OUTSIDERS)
    def test_outsiders_read_nothing_by_any_lookup(self, app, harvested, who):
        for what, (action, data) in reads(harvested).items():
            status, body = call(app, harvested, who, action, data)
            assert status == 403, (what, status, body[:300])
            assert SECRET not in body and harvested["source"]["url"] not in body, what

    @pytest.mark.parametrize("who", ("admin", "sysadmin"))
    def test_the_source_admins_read_it(self, app, harvested, who):
        sysadmin_only = {"all objects", "all jobs", "log", "sources"}
        for what, (action, data) in reads(harvested).items():
            status, body = call(app, harvested, who, action, data)
            expected = 403 if who == "admin" and what in sysadmin_only else 200
            assert status == expected, (what, status, body[:300])
        status, body = call(app, harvested, who, "harvest_object_show",
                            {"id": "bmn-row-1", "attr": "guid"})
        assert SECRET in json.loads(body)["result"]["content"]

    @pytest.mark.parametrize("lookup", [{"id": "no-such-object"},
                                        {"id": "bmn-row-1", "attr": "no_such_column"},
                                        {"id": "bmn-row-1", "attr": "content"},
                                        {"dataset_id": "no-such-dataset"}, {}])
    def test_a_lookup_that_finds_nothing_is_refused(self, app, harvested, lookup):
        status, body = call(app, harvested, "registered", "harvest_object_show", lookup)
        assert status == 403, body[:300]

    def test_pages_and_search(self, app, harvested):
        source, obj = harvested["source"], harvested["obj_id"]
        pages = [f"/harvest/object/{obj}", f"/dataset/harvest_object/{harvested['record']['id']}",
                 f"/harvest/{source['name']}", f"/harvest/about/{source['name']}",
                 f"/harvest/{source['name']}/job", f"/harvest/{source['name']}/job/last",
                 f"/harvest/{source['name']}/job/{harvested['job']['id']}"]
        for who in OUTSIDERS:
            headers = {"Authorization": harvested["tokens"][who]} if who != "anonymous" else {}
            for url in pages:
                res = app.get(url, headers=headers)
                assert res.status_code in (403, 404), (who, url, res.status_code)
                assert SECRET not in res.body
            listing = app.get("/harvest/", headers=headers)
            assert listing.status_code == 200 and source["name"] not in listing.body
            found = app.get("/api/3/action/package_search?fq=dataset_type:harvest",
                            headers=headers)
            assert json.loads(found.body)["result"]["count"] == 0, who
        admin = {"Authorization": harvested["tokens"]["admin"]}
        assert app.get(f"/harvest/object/{obj}", headers=admin).status_code == 200
        assert source["name"] in app.get("/harvest/", headers=admin).body

    def test_the_log_answers_sysadmins_instead_of_failing(self, app, harvested):
        status, body = call(app, harvested, "sysadmin", "harvest_log_list", {"limit": 5})
        assert status == 200 and json.loads(body)["success"] is True


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("name", ["send_mail", "send_error_email", "get_mail_extra_vars",
                                  "prepare_summary_mail", "InactiveSource"])
def test_harvest_helpers_are_not_api_actions(app, name):
    token = factories.APIToken(user=factories.Sysadmin()["name"])["token"]
    res = app.post(f"/api/3/action/{name}", json={}, headers={"Authorization": token})
    assert res.status_code == 403


@pytest.mark.usefixtures("clean_db")
def test_aborting_failed_jobs_is_for_sysadmins(app):
    token = factories.APIToken(user=factories.User()["name"])["token"]
    res = app.post("/api/3/action/harvest_abort_failed_jobs", json={"life_span": 1},
                   headers={"Authorization": token})
    assert res.status_code == 403
