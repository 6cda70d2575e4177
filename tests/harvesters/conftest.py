"""Partner sources for the harvest tests: a real HTTP server on 127.0.0.1 whose answers each
test sets, harvest sources created through the action API, and a job runner that drives
ckanext-harvest's own stages in-process (the consumer tests run the real consumers)."""
from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import ckan.plugins.toolkit as tk


@dataclass
class Answer:
    body: bytes | Callable[[dict], bytes] = b""
    status: int = 200
    content_type: str = "application/json"
    trickle: float = 0.0           # seconds between bytes: a source that answers slowly


@dataclass
class Partner:
    """What the partner server answers, path by path; ``requests`` lists what it was asked."""
    base: str = ""
    routes: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: Any, **kw) -> str:
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.routes[path] = Answer(body=body, **kw)
        return self.url(path)


class Handler(http.server.BaseHTTPRequestHandler):
    partner: Partner

    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.partner.requests.append((parts.path, query))
        answer = self.partner.routes.get(parts.path)
        if answer is None:
            self._send(404, b"not found", "text/plain")
            return
        body = answer.body(query) if callable(answer.body) else answer.body
        if not answer.trickle:
            self._send(answer.status, body, answer.content_type)
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(answer.trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def _partner_server():
    partner = Partner()
    handler = type("PartnerHandler", (Handler,), {"partner": partner})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    partner.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield partner
    httpd.shutdown()


@pytest.fixture
def partner(_partner_server):
    _partner_server.routes.clear()
    _partner_server.requests.clear()
    return _partner_server


@pytest.fixture
def org_admin(clean_db):
    """An organisation and its admin: the people who create harvest sources."""
    from ckan.tests import factories

    user = factories.User()
    org = factories.Organization(sector="government",
                                 users=[{"name": user["name"], "capacity": "admin"}])
    return {"user": user, "org": org}


@pytest.fixture
def make_source(org_admin):
    def make(harvester: str, url: str, config: dict | None = None, **fields) -> dict:
        context = {"user": org_admin["user"]["name"], "ignore_auth": False}
        data = {"name": fields.pop("name", f"src-{harvester.split('_')[-1]}"),
                "title": fields.pop("title", "Partner source"), "url": url,
                "source_type": harvester, "owner_org": org_admin["org"]["id"],
                "frequency": fields.pop("frequency", "MANUAL"),
                "config": json.dumps(config or {}, ensure_ascii=False), **fields}
        return tk.get_action("harvest_source_create")(context, data)
    return make


def run_job(source_id: str, before_pass: Callable[[], None] | None = None) -> dict:
    """One harvest of the source: ckanext-harvest's gather, fetch and import stages called as
    its consumers call them, then the scheduler's pass that marks the job finished. Returns
    our job summary."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject

    from ckanext.lampangpoverty.harvesters import schedule

    job_dict = tk.get_action("harvest_job_create")(
        {"ignore_auth": True}, {"source_id": source_id, "run": False})
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester(job.source.type)
    ids = queue.gather_stage(harvester, job)
    for object_id in ids if isinstance(ids, list) else []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    if before_pass:
        before_pass()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    schedule.run_pass(site_user)
    return tk.get_action("lampangpoverty_harvest_job_summary")(
        {"ignore_auth": True}, {"id": job.id})


def harvested(source_id: str, include_withdrawn: bool = False) -> list:
    """The records harvested from a source, from the database (not the search index)."""
    from ckan import model
    from ckanext.harvest.model import HarvestObject

    ids = {pid for pid, in model.Session.query(HarvestObject.package_id)
           .filter(HarvestObject.harvest_source_id == source_id)
           .filter(HarvestObject.package_id.isnot(None))}
    query = model.Session.query(model.Package).filter(model.Package.id.in_(ids))
    if not include_withdrawn:
        query = query.filter(model.Package.state == "active")
    return query.all()


def search(**params) -> dict:
    """package_search after a Solr commit: harvest imports are made searchable by Solr's
    soft commit within a second (config/solr/solrconfig.xml); the tests do not wait."""
    from ckan.lib.search import commit

    commit()
    return tk.get_action("package_search")(
        {"ignore_auth": True}, {"include_private": True, "rows": 1000, **params})
