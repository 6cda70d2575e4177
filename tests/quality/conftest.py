"""What the quality tests share: uploads through the HTTP API, a partner file server on
127.0.0.1 whose answers each test sets, and running the quality queue's jobs."""
from __future__ import annotations

import http.server
import io
import threading
import time

import pytest

from ckan.lib import jobs
from ckan.tests import factories

from ckanext.lampangpoverty.quality.jobs import QUEUE


def run_jobs() -> None:
    """Run every queued quality job to the end (a worker in burst mode)."""
    jobs.Worker([QUEUE]).work(burst=True)


def queued() -> list[str]:
    return [job.meta.get("title", "") for job in jobs.get_queue(QUEUE).jobs]


def post_resource(app, user, dataset, content: bytes | None, name: str, **fields):
    token = factories.APIToken(user=user["name"])["token"]
    data = {"package_id": dataset["id"], "name": name, **fields}
    if content is not None:
        data["upload"] = (io.BytesIO(content), name)
    return app.post("/en/api/3/action/resource_create", headers={"Authorization": token},
                    data=data)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # path -> (status, headers, body, trickle): trickle None, or ("head" | "body", seconds
    # per byte) for a server sending its status line, or its body, one byte at a time
    routes: dict
    hits: list            # (monotonic time, method, path)


class Handler(http.server.BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args):
        pass

    def _answer(self, body_too: bool) -> None:
        self.server.hits.append((time.monotonic(), self.command, self.path))
        routes = self.server.routes
        status, headers, body, trickle = routes.get(
            f"{self.command} {self.path}", routes.get(self.path, (404, {}, b"not here", None)))
        if trickle and trickle[0] == "head":
            # One byte of the status line at a time: even the headers never arrive in time.
            for byte in f"HTTP/1.1 {status} OK\r\n\r\n".encode():
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(trickle[1])
            return
        self.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(key, value)
        self.end_headers()
        if body_too and trickle:
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(trickle[1])
        elif body_too:
            self.wfile.write(body)

    def do_GET(self):
        self._answer(True)

    def do_HEAD(self):
        self._answer(False)


@pytest.fixture
def partner():
    """A partner web server on 127.0.0.1 (allowed by the test configuration)."""
    server = Server(("127.0.0.1", 0), Handler)
    server.routes, server.hits = {}, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()


@pytest.fixture
def editor(clean_db, organization):
    from ckan.tests.helpers import call_action

    user = factories.User(email="editor@agency.example")
    call_action("organization_member_create", id=organization["id"], username=user["name"],
                role="editor")
    return user
