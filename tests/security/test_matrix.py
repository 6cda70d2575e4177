"""The authorisation matrix: every action and page of ours, and the harvest and DCAT ones
that touch data, with who may use it, for anonymous, registered, member, editor, admin,
another organisation's admin and sysadmin, on a public and a private dataset and each access
level of a release. The lists are taken from what is registered (``ckan.logic._actions`` and
the app's url_map) when the test runs: a new action or page without a row fails it.

Read actions and pages are called for real; write actions are checked with their auth
function (``tk.check_access``), so one role's call cannot change what the next one sees;
pages that change something are only requested by those who must be refused."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import ckan.logic
import ckan.plugins.toolkit as tk
from ckan.tests.helpers import call_action

from .conftest import ROLES, add_release, make_dataset

ALL = frozenset(ROLES)
LOGGED = ALL - {"anonymous"}
INSIDE = frozenset({"member", "editor", "admin", "sysadmin"})
EDIT = frozenset({"editor", "admin", "sysadmin"})
ADMIN = frozenset({"admin", "sysadmin"})
SYS = frozenset({"sysadmin"})
NOBODY: frozenset[str] = frozenset()
OURS = ("ckanext.lampangpoverty", "ckanext.harvest", "ckanext.dcat", "ckanext.datastore",
        "ckanext.xloader")
BLUEPRINTS = ("lampangpoverty_access", "lampangpoverty_gate", "lampangpoverty_activity",
              "lampangpoverty_area", "lampangpoverty_quality", "lampangpoverty_api", "datastore",
              "xloader", "harvester", "harvest", "harvest_resource", "dcat")


@dataclass
class Row:
    """``data(scene, case)`` -> the call's data; ``allowed`` per case (public/private)."""
    data: Callable[[dict, str], dict]
    allowed: dict[str, frozenset[str]]
    write: bool = False            # check access only (actions) / refusals only (pages)
    auth: str | None = None        # the check a write action runs, when not its own name
    method: str = "GET"
    form: dict[str, str] = field(default_factory=dict)  # a valid form: the check decides
    cases: tuple[str, ...] = field(default=("-",))

    def __post_init__(self) -> None:
        self.cases = tuple(self.allowed)


def on(pub: frozenset[str], priv: frozenset[str]) -> dict[str, frozenset[str]]:
    return {"public": pub, "private": priv}


def one(roles: frozenset[str]) -> dict[str, frozenset[str]]:
    return {"-": roles}


def ds(s: dict, case: str) -> dict:
    return s["public" if case in ("-", "public") else "private"]


def table(s: dict, case: str) -> dict:
    return {"resource_id": s[case]["resource"]}


# a dataset open to all, a public one whose access level is licensed, a private one
TABLES = ("open", "licensed", "private")


def tables(open_: frozenset[str], licensed: frozenset[str],
           private: frozenset[str]) -> dict[str, frozenset[str]]:
    return dict(zip(TABLES, (open_, licensed, private), strict=True))


def src(s: dict, _case: str) -> dict:
    return {"id": s["source"]["id"]}


ACTIONS: dict[str, Row] = {
    # the disclosure gate and access to releases
    "lampangpoverty_microdata_upload": Row(lambda s, c: {"id": ds(s, c)["id"]},
                                           on(EDIT, EDIT), write=True),
    "lampangpoverty_microdata_roles_update": Row(
        lambda s, c: {"microdata_id": ds(s, c)["release"], "roles": {"age": "other"}},
        on(EDIT, EDIT), write=True),
    "lampangpoverty_microdata_show": Row(lambda s, c: {"microdata_id": ds(s, c)["release"]},
                                         on(ALL, INSIDE)),
    "lampangpoverty_disclosure_summary": Row(lambda s, c: {"id": ds(s, c)["id"]},
                                             on(ALL, INSIDE)),
    "lampangpoverty_terms_accept": Row(lambda s, c: {"id": ds(s, c)["id"]},
                                       on(LOGGED, INSIDE), write=True),
    "lampangpoverty_access_request_create": Row(
        lambda s, c: {"id": ds(s, c)["id"], "purpose": "p", "institution": "i"},
        on(LOGGED, INSIDE), write=True),
    "lampangpoverty_access_request_list": Row(lambda s, c: {"id": ds(s, c)["id"]},
                                              on(LOGGED, INSIDE)),
    "lampangpoverty_access_request_decide": Row(
        lambda s, c: {"request_id": ds(s, c)["request"], "decision": "refuse", "reason": "r"},
        on(ADMIN, ADMIN), write=True),
    "lampangpoverty_download_log_list": Row(lambda s, c: {"id": ds(s, c)["id"]},
                                            on(ADMIN, ADMIN)),
    # anyone logged in; each answer holds only the caller's own (or decidable) rows
    "lampangpoverty_access_request_queue": Row(lambda s, c: {}, one(LOGGED)),
    "lampangpoverty_user_download_list": Row(lambda s, c: {}, one(LOGGED)),
    "lampangpoverty_harvest_job_summary": Row(lambda s, c: {"id": s["job"]}, one(ADMIN)),
    # precise targeting: public figures; an indicator table's check for its dataset's editors
    "lampangpoverty_area_profile": Row(lambda s, c: {"id": "5201"}, one(ALL)),
    "lampangpoverty_programme_match": Row(lambda s, c: {"area_code": "520101"}, one(ALL)),
    "lampangpoverty_area_gaps": Row(lambda s, c: {}, one(ALL)),
    "lampangpoverty_area_indicators_load": Row(lambda s, c: {"resource_id": ds(s, c)["resource"]},
                                               on(EDIT, EDIT), write=True),
    # (its check only: these resources are no indicator tables, so the call itself is a 404)
    "lampangpoverty_area_indicators_show": Row(lambda s, c: {"resource_id": ds(s, c)["resource"]},
                                               on(EDIT, EDIT), write=True),
    # quality (issue 15): private records' lists are filtered inside the organisation action
    "lampangpoverty_quality_show": Row(lambda s, c: {"id": ds(s, c)["id"]},
                                       on(ALL, INSIDE)),
    "lampangpoverty_quality_organization_show": Row(lambda s, c: {"id": s["org"]}, one(ALL)),
    "lampangpoverty_quality_league": Row(lambda s, c: {}, one(ALL)),
    "lampangpoverty_quality_check": Row(lambda s, c: {"id": ds(s, c)["id"]}, on(EDIT, EDIT),
                                        write=True),
    # the public API (issue 17): each answer holds only what the caller may see
    "lampangpoverty_changes": Row(lambda s, c: {"since": "2020-01-01T00:00:00Z"}, one(ALL)),
    "lampangpoverty_area_list": Row(lambda s, c: {}, one(ALL)),
    # core actions we chain
    "package_create": Row(lambda s, c: {"type": "poverty-dataset", "owner_org": s["org"]},
                          one(EDIT), write=True),
    "package_update": Row(lambda s, c: {"id": ds(s, c)["id"]}, on(EDIT, EDIT), write=True),
    "package_search": Row(lambda s, c: {"q": "*:*"}, one(ALL)),
    "package_show": Row(lambda s, c: {"id": ds(s, c)["id"]}, on(ALL, INSIDE)),
    "tag_list": Row(lambda s, c: {}, one(ALL)),
    "tag_show": Row(lambda s, c: {"id": "open-tag"}, one(ALL)),
    "tag_search": Row(lambda s, c: {"query": "tag"}, one(ALL)),
    "tag_autocomplete": Row(lambda s, c: {"query": "tag"}, one(ALL)),
    "format_autocomplete": Row(lambda s, c: {"q": "cs"}, one(ALL)),
    # the DataStore and xloader (the scene gives the open, licensed and private datasets'
    # resources a table). A table of a dataset that is not open is read by its organisation
    # only and written by no one but a sysadmin (xloader's own submissions are refused by
    # IXloader.can_upload, tested in tests/targeting).
    "datastore_search": Row(table, tables(ALL, INSIDE, INSIDE)),
    "datastore_info": Row(table, tables(ALL, INSIDE, INSIDE)),
    "datastore_search_sql": Row(lambda s, c: {"sql": f'SELECT * FROM "{s[c]["resource"]}"'},
                                tables(ALL, INSIDE, INSIDE)),
    "datastore_create": Row(table, tables(EDIT, SYS, SYS), write=True),
    "datastore_upsert": Row(table, tables(EDIT, SYS, SYS), write=True),
    "datastore_delete": Row(table, tables(EDIT, EDIT, EDIT), write=True),
    "datastore_records_delete": Row(table, tables(EDIT, EDIT, EDIT), write=True),
    "datastore_function_create": Row(lambda s, c: {}, one(SYS), write=True),
    "datastore_function_delete": Row(lambda s, c: {}, one(SYS), write=True),
    "datastore_run_triggers": Row(lambda s, c: {}, one(SYS), write=True),
    "xloader_submit": Row(table, tables(EDIT, EDIT, EDIT), write=True),
    "xloader_status": Row(table, tables(EDIT, EDIT, EDIT), write=True),
    "xloader_hook": Row(table, tables(EDIT, EDIT, EDIT), write=True, auth="xloader_submit"),
    # harvesting
    "harvest_source_create": Row(lambda s, c: {"owner_org": s["org"], "type": "harvest"},
                                 one(ADMIN), write=True, auth="package_create"),
    "harvest_source_update": Row(src, one(ADMIN), write=True),
    "harvest_source_patch": Row(src, one(ADMIN), write=True, auth="package_patch"),
    "harvest_source_delete": Row(src, one(ADMIN), write=True),
    "harvest_source_clear": Row(src, one(ADMIN), write=True),
    "harvest_source_index_clear": Row(src, one(ADMIN), write=True,
                                      auth="harvest_source_clear"),
    "harvest_source_job_history_clear": Row(src, one(ADMIN), write=True,
                                            auth="harvest_source_clear"),
    "harvest_sources_job_history_clear": Row(lambda s, c: {}, one(SYS), write=True,
                                             auth="harvest_sources_clear"),
    "harvest_source_reindex": Row(src, one(ADMIN), write=True,
                                  auth="harvest_source_update"),
    "harvest_sources_reindex": Row(lambda s, c: {}, one(SYS), write=True),
    "harvest_source_show": Row(src, one(ADMIN)),
    "harvest_source_show_status": Row(src, one(ADMIN)),
    "harvest_source_list": Row(lambda s, c: {"organization_id": s["org"]}, one(ADMIN)),
    "harvest_job_create": Row(lambda s, c: {"source_id": s["source"]["id"]}, one(ADMIN),
                              write=True),
    "harvest_send_job_to_gather_queue": Row(lambda s, c: {"source_id": s["source"]["id"]},
                                            one(ADMIN), write=True, auth="harvest_job_create"),
    "harvest_job_create_all": Row(lambda s, c: {}, one(SYS), write=True),
    "harvest_jobs_run": Row(lambda s, c: {}, one(SYS), write=True),
    "harvest_job_abort": Row(lambda s, c: {"id": s["job"]}, one(SYS), write=True),
    "harvest_abort_failed_jobs": Row(lambda s, c: {}, one(SYS), write=True,
                                     auth="harvest_jobs_run"),
    "harvest_job_show": Row(lambda s, c: {"id": s["job"]}, one(ADMIN)),
    "harvest_job_report": Row(lambda s, c: {"id": s["job"]}, one(ADMIN)),
    "harvest_job_list": Row(lambda s, c: {"source_id": s["source"]["id"]}, one(ADMIN)),
    "harvest_object_show": Row(lambda s, c: {"id": s["object"]}, one(ADMIN)),
    "harvest_object_list": Row(lambda s, c: {"source_id": s["source"]["id"]}, one(ADMIN)),
    "harvest_object_create": Row(lambda s, c: {"job_id": s["job"]}, one(SYS), write=True),
    "harvest_objects_import": Row(src, one(SYS), write=True),
    "harvest_log_list": Row(lambda s, c: {}, one(SYS)),
    "harvest_get_notifications_recipients": Row(src, one(SYS), write=True),
    "harvesters_info_show": Row(lambda s, c: {}, one(ALL)),
    # ckanext-harvest's helpers that its plugin registers as actions
    **{name: Row(lambda s, c: {}, one(NOBODY)) for name in (
        "InactiveSource", "get_mail_extra_vars", "prepare_error_mail", "prepare_summary_mail",
        "send_error_email", "send_mail", "send_summary_email")},
    # DCAT
    "dcat_dataset_show": Row(lambda s, c: {"id": ds(s, c)["id"]}, on(ALL, INSIDE)),
    "dcat_catalog_show": Row(lambda s, c: {}, one(ALL)),
    "dcat_catalog_search": Row(lambda s, c: {}, one(ALL)),
    "dcat_datasets_list": Row(lambda s, c: {}, one(ALL)),
}


def _dump_url() -> str:
    """The JSON Lines dump's URL, once the dump is written (public records only)."""
    from ckanext.lampangpoverty.api import dump

    dump.write()
    return "/api/lampangpoverty/dump/records.jsonl.gz"


def page(url: Callable[[dict, str], str], allowed: dict[str, frozenset[str]], **kw) -> Row:
    return Row(lambda s, c: {"url": url(s, c)}, allowed, **kw)


PAGES: dict[str, Row] = {
    "lampangpoverty_access.download_release": Row(
        lambda s, c: {"url": f"/lampangpoverty/release/{s[c]['release']}/download"},
        {"open": ALL, "registered": INSIDE, "licensed": INSIDE, "private": INSIDE}),
    "lampangpoverty_access.download_log": page(
        lambda s, c: f"/lampangpoverty/dataset/{ds(s, c)['id']}/downloads.csv",
        on(ADMIN, ADMIN)),
    "lampangpoverty_access.accept_terms": page(
        lambda s, c: f"/lampangpoverty/dataset/{ds(s, c)['id']}/terms", on(LOGGED, INSIDE),
        method="POST", write=True),
    "lampangpoverty_access.request_access": page(
        lambda s, c: f"/lampangpoverty/dataset/{ds(s, c)['id']}/access-request",
        on(LOGGED, INSIDE), method="POST", write=True,
        form={"purpose": "p", "institution": "i"}),
    "lampangpoverty_access.decide_request": page(
        lambda s, c: f"/lampangpoverty/access-request/{ds(s, c)['request']}/decide",
        on(ADMIN, ADMIN), method="POST", write=True,
        form={"decision": "refuse", "reason": "r"}),
    "lampangpoverty_access.mine": page(lambda s, c: "/lampangpoverty/access/mine", one(LOGGED)),
    "lampangpoverty_access.queue": page(lambda s, c: "/lampangpoverty/access/queue",
                                        one(LOGGED)),
    "lampangpoverty_gate.microdata_new": page(
        lambda s, c: f"/lampangpoverty/dataset/{ds(s, c)['id']}/microdata/new",
        on(EDIT, EDIT)),
    "lampangpoverty_gate.microdata_read": page(
        lambda s, c: f"/lampangpoverty/microdata/{ds(s, c)['release']}", on(EDIT, EDIT)),
    "lampangpoverty_area.index": page(lambda s, c: "/area/", one(ALL)),
    "lampangpoverty_area.read": page(lambda s, c: "/area/5201", one(ALL)),
    "lampangpoverty_area.gaps": page(lambda s, c: "/area/gaps", one(ALL)),
    "lampangpoverty_quality.organization": page(
        lambda s, c: f"/organization/{s['org']}/quality", one(ALL)),
    "lampangpoverty_quality.league": page(lambda s, c: "/quality", one(ALL)),
    "lampangpoverty_api.records_dump": page(lambda s, c: _dump_url(), one(ALL)),
    "lampangpoverty_api.openapi_document": page(lambda s, c: "/api/lampangpoverty/openapi.json",
                                                one(ALL)),
    "lampangpoverty_api.guide": page(lambda s, c: "/api-guide", one(ALL)),
    "lampangpoverty_activity.package_changes_multiple": page(
        lambda s, c: "/dataset/changes_multiple?new_id=x&old_id=y", one(NOBODY)),
    "datastore.dump": page(lambda s, c: f"/datastore/dump/{s[c]['resource']}",
                           tables(ALL, INSIDE, INSIDE)),
    "datastore.api_info": page(lambda s, c: f"/datastore/api_info/{s[c]['resource']}",
                               tables(ALL, INSIDE, INSIDE)),
    "datastore.dictionary": page(
        lambda s, c: f"/dataset/{s[c]['id']}/dictionary/{s[c]['resource']}",
        tables(EDIT, SYS, SYS)),
    "xloader.resource_data": page(
        lambda s, c: f"/dataset/{s[c]['id']}/resource_data/{s[c]['resource']}",
        tables(EDIT, EDIT, EDIT)),
    "xloader.delete_datastore_table": page(
        lambda s, c: f"/dataset/{s[c]['id']}/delete-datastore/{s[c]['resource']}",
        tables(EDIT, EDIT, EDIT), method="POST", write=True),
    "harvester.delete": page(lambda s, c: f"/harvest/delete/{s['source']['name']}",
                             one(ADMIN), write=True),
    "harvester.refresh": page(lambda s, c: f"/harvest/refresh/{s['source']['name']}",
                              one(ADMIN), write=True),
    "harvester.admin": page(lambda s, c: f"/harvest/admin/{s['source']['name']}", one(ADMIN)),
    "harvester.about": page(lambda s, c: f"/harvest/about/{s['source']['name']}", one(ADMIN)),
    "harvester.clear": page(lambda s, c: f"/harvest/clear/{s['source']['name']}",
                            one(ADMIN), write=True),
    "harvester.job_list": page(lambda s, c: f"/harvest/{s['source']['name']}/job",
                               one(ADMIN)),
    "harvester.job_show_last": page(lambda s, c: f"/harvest/{s['source']['name']}/job/last",
                                    one(ADMIN)),
    "harvester.job_show": page(
        lambda s, c: f"/harvest/{s['source']['name']}/job/{s['job']}", one(ADMIN)),
    "harvester.job_abort": page(
        lambda s, c: f"/harvest/{s['source']['name']}/job/{s['job']}/abort", one(SYS),
        write=True),
    "harvester.object_show": page(lambda s, c: f"/harvest/object/{s['object']}", one(ADMIN)),
    "harvest.search": page(lambda s, c: "/harvest/", one(ALL)),
    # The form, for whoever may create datasets somewhere; saving needs the chosen
    # organisation's admin (harvest_source_create above).
    "harvest.new": page(lambda s, c: "/harvest/new", one(EDIT | {"other_admin"})),
    "harvest.read": page(lambda s, c: f"/harvest/{s['source']['name']}", one(ADMIN)),
    "harvest.resources": page(lambda s, c: f"/harvest/resources/{s['source']['name']}",
                              one(ADMIN)),
    "harvest.edit": page(lambda s, c: f"/harvest/edit/{s['source']['name']}", one(ADMIN)),
    "harvest.delete": page(lambda s, c: f"/harvest/delete/{s['source']['name']}",
                           one(ADMIN), write=True),
    "harvest.follow": page(lambda s, c: f"/harvest/follow/{s['source']['name']}",
                           one(ADMIN), method="POST", write=True),
    "harvest.unfollow": page(lambda s, c: f"/harvest/unfollow/{s['source']['name']}",
                             one(ADMIN), method="POST", write=True),
    "harvest.followers": page(lambda s, c: f"/harvest/followers/{s['source']['name']}",
                              one(SYS)),
    "harvest.groups": page(lambda s, c: f"/harvest/groups/{s['source']['name']}", one(ADMIN)),
    **{f"harvest_resource.{view}": page(
        lambda s, c, v=view: f"/harvest/{s['source']['name']}/resource/x/{v}",
        one(NOBODY), write=True)
       for view in ("new", "read", "edit", "delete", "download", "views", "view",
                    "edit_view")},
    "dcat.read_catalog": page(lambda s, c: "/catalog.ttl", one(ALL)),
    "dcat.read_dataset": page(lambda s, c: f"/dataset/{ds(s, c)['id']}.ttl",
                              on(ALL, INSIDE)),
    "dcat.read_dataset_series": page(lambda s, c: f"/dataset_series/{ds(s, c)['id']}.ttl",
                                     on(ALL, INSIDE)),
}


def _module(fn: Any) -> str:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return getattr(fn, "__module__", "") or ""


def registered_actions() -> set[str]:
    tk.get_action("package_show")  # fills the registry
    return {name for name, fn in ckan.logic._actions.items()
            if _module(fn).startswith(OURS) or name.startswith(("lampangpoverty_", "harvest",
                                                                  "dcat_"))}


def registered_pages(app) -> set[str]:
    return {rule.endpoint for rule in app.flask_app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in BLUEPRINTS}


def test_every_registered_action_and_page_has_a_row(app):
    assert registered_actions() - set(ACTIONS) == set(), "actions without a matrix row"
    assert registered_pages(app) - set(PAGES) == set(), "pages without a matrix row"


@pytest.fixture
def scene(people, make_source_for):
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    s: dict[str, Any] = {"org": people.org["id"]}
    for case, private, level in (("public", False, "licensed"), ("private", True, "licensed"),
                                 ("open", False, "public"),
                                 ("registered", False, "registered"),
                                 ("licensed", False, "licensed")):
        pkg = make_dataset(people, f"matrix-{case}", private=private, access_level=level,
                           tags=[{"name": "open-tag"}] if case == "public" else [],
                           resources=[{"url": "http://example.org/a.csv", "format": "CSV"}])
        # access is requested for licensed releases only (issue 17)
        request = call_action("lampangpoverty_access_request_create",
                              people.context("member"), id=pkg["id"], purpose="p",
                              institution="i") if level == "licensed" else {"id": None}
        s[case] = {"id": pkg["id"], "release": add_release(pkg).id, "request": request["id"],
                   "resource": pkg["resources"][0]["id"]}
    s["source"] = make_source_for(people)
    job = tk.get_action("harvest_job_create")({"ignore_auth": True},
                                              {"source_id": s["source"]["id"], "run": False})
    obj = HarvestObject(guid="g", job=HarvestJob.get(job["id"]), content="{}",
                        source=HarvestSource.get(s["source"]["id"]))
    from ckan import model
    model.Session.add(obj)
    model.Session.commit()
    s["job"], s["object"] = job["id"], obj.id
    system = {"ignore_auth": True, "user": call_action("get_site_user")["name"]}
    for case in TABLES:
        call_action("datastore_create", dict(system), resource_id=s[case]["resource"],
                    force=True, fields=[{"id": "value", "type": "int"}],
                    records=[{"value": 120}])
    yield s
    for case in TABLES:
        call_action("datastore_delete", dict(system), resource_id=s[case]["resource"],
                    force=True)


@pytest.fixture
def make_source_for():
    def make(people) -> dict:
        return tk.get_action("harvest_source_create")(
            {"user": people.name("admin")},
            {"name": "matrix-source", "title": "Source", "url": "http://127.0.0.1:9/api",
             "source_type": "lampangpoverty_ckan", "owner_org": people.org["id"],
             "frequency": "MANUAL", "config": '{"defaults": {"unit_of_observation": '
                                                '"amphoe", "area_codes": ["52"]}}'})
    return make


def action_outcome(people, name: str, row: Row, who: str, data: dict) -> bool:
    context = {"user": people.name(who), "ignore_auth": False}
    try:
        if row.write:
            tk.check_access(row.auth or name, context, data)
        else:
            tk.get_action(name)(context, data)
        return True
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    except tk.ValidationError:
        return True  # past the check, refused for its data


def page_outcome(app, people, row: Row, who: str, url: str) -> bool:
    if row.method == "POST":
        res = app.post(url, headers=people.headers(who), data=row.form,
                       follow_redirects=False)
    else:
        res = app.get(url, headers=people.headers(who), follow_redirects=False)
    assert res.status_code < 500, (url, who, res.status_code)
    if res.status_code in (301, 302, 303) and "/user/login" in res.headers.get("Location", ""):
        return False  # sent to log in first: refused
    return res.status_code < 400


@pytest.mark.usefixtures("clean_index")
def test_the_matrix(app, people, scene):
    wrong = []
    for name, row in ACTIONS.items():
        for case, allowed in row.allowed.items():
            data = row.data(scene, case)
            for who in ROLES:
                with app.flask_app.test_request_context():  # DCAT builds page URLs
                    outcome = action_outcome(people, name, row, who, dict(data))
                if outcome != (who in allowed):
                    wrong.append(f"{name} [{case}] {who}: expected "
                                 f"{'allowed' if who in allowed else 'refused'}")
    for name, row in PAGES.items():
        for case, allowed in row.allowed.items():
            url = row.data(scene, case)["url"]
            for who in ROLES:
                if row.write and who in allowed:
                    continue  # a change: only the refusals are tried
                if page_outcome(app, people, row, who, url) != (who in allowed):
                    wrong.append(f"{name} [{case}] {who}: expected "
                                 f"{'allowed' if who in allowed else 'refused'}")
    assert wrong == [], json.dumps(wrong, indent=1, ensure_ascii=False)
