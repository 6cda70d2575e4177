"""Safe HTTP for harvesting, against a real HTTP server on 127.0.0.1: internal addresses are
refused before any connection (first URL and redirects), and slow, failing, oversized or
broken responses end with a reason instead of hanging or being half-read."""
from __future__ import annotations

import http.server
import threading
import time
from typing import ClassVar
from urllib.parse import parse_qs, quote, urlsplit

import pytest

import ckan.plugins.toolkit as tk

from ckanext.lampangpoverty.harvesters.http import FetchError, Policy, fetch


class Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if self.path == "/ok":
            self._send(200, b'{"result": ["ok"]}')
        elif self.path == "/flaky":
            if Handler.hits[self.path] < 3:
                self._send(503, b"busy")
            else:
                self._send(200, b"third time")
        elif self.path == "/broken":
            self._send(500, b"error")
        elif self.path == "/missing":
            self._send(404, b"no")
        elif self.path == "/big":
            self._send(200, b"x" * 5000)
        elif self.path == "/big-undeclared":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        elif self.path.startswith("/redirect?"):
            self.send_response(302)
            self.send_header("Location", parse_qs(urlsplit(self.path).query)["to"][0])
            self.end_headers()
        else:
            self._send(404, b"")

    def _send(self, status: int, body: bytes):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(autouse=True)
def _plugins():
    """No CKAN plugin needed; the policy is built directly."""


def policy(**kw) -> Policy:
    return Policy(**{"allowed": ["127.0.0.1"], "retries": 2, "backoff": 0.05, **kw})


def test_an_allowed_source_is_fetched(server):
    assert fetch(f"{server}/ok", policy()) == b'{"result": ["ok"]}'


def test_loopback_is_refused_unless_allowed(server):
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/ok", policy(allowed=[]))
    assert "127.0.0.1, an internal address" in e.value.reason
    assert "allowed_hosts" in e.value.reason


@pytest.mark.parametrize("url", ["http://10.1.2.3/api", "http://192.168.1.1/", "http://172.16.0.5/",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/",
                                 "http://0.0.0.0/"])
def test_internal_and_metadata_addresses_are_refused_before_connecting(url):
    started = time.monotonic()
    with pytest.raises(FetchError) as e:
        fetch(url, policy(allowed=[], retries=0))
    assert "internal address" in e.value.reason
    assert time.monotonic() - started < 1  # refused by the check, no connection attempted


def test_a_network_in_the_allowlist_admits_its_addresses(server):
    assert fetch(f"{server}/ok", policy(allowed=["127.0.0.0/8"])).startswith(b"{")


def test_a_redirect_to_an_internal_address_is_not_followed(server):
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/redirect?to={quote('http://10.9.8.7/secret')}", policy(retries=0))
    assert "10.9.8.7" in e.value.reason


def test_a_redirect_to_an_allowed_target_is_followed(server):
    assert fetch(f"{server}/redirect?to={quote('/ok')}", policy()) == b'{"result": ["ok"]}'


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x"])
def test_other_schemes_are_refused(url):
    with pytest.raises(FetchError) as e:
        fetch(url, policy())
    assert "only http and https" in e.value.reason


def test_server_errors_are_retried_with_backoff_then_reported(server):
    assert fetch(f"{server}/flaky", policy(retries=3)) == b"third time"
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/broken", policy(retries=2))
    assert e.value.reason == "HTTP 500 (after 2 retries)"
    assert Handler.hits["/broken"] == 3


def test_client_errors_are_not_retried(server):
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/missing", policy(retries=3))
    assert e.value.reason == "HTTP 404"
    assert Handler.hits["/missing"] == 1


@pytest.mark.parametrize("path", ["/big", "/big-undeclared"])
def test_responses_over_the_size_limit_are_refused(server, path):
    with pytest.raises(FetchError) as e:
        fetch(f"{server}{path}", policy(max_bytes=1000))
    assert "larger than 1000 bytes" in e.value.reason


def test_a_trickling_response_meets_the_deadline(server):
    started = time.monotonic()
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/slow", policy(deadline=1, read_timeout=5))
    assert "longer than 1 s" in e.value.reason
    assert time.monotonic() - started < 3


def test_the_policy_comes_from_declared_options(ckan_config):
    from_config = Policy.from_config()
    assert from_config.allowed == tk.config["ckanext.lampangpoverty.harvest.allowed_hosts"]
    assert isinstance(from_config.deadline, float) and from_config.retries == 3
