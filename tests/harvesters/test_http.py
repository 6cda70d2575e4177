"""Safe HTTP for harvesting, against a real HTTP server on 127.0.0.1: internal addresses are
refused before any connection (first URL and redirects), and slow, failing, oversized or
broken responses end with a reason instead of hanging or being half-read."""
from __future__ import annotations

import http.server
import ipaddress
import socket
import ssl
import subprocess
import threading
import time
from typing import ClassVar
from urllib.parse import parse_qs, quote, urlsplit

import pytest

import ckan.plugins.toolkit as tk

from ckanext.lampangpoverty.harvesters import http as safe_http
from ckanext.lampangpoverty.harvesters.http import FetchError, Policy, fetch


class Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}
    hosts: ClassVar[list[str]] = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        Handler.hosts.append(self.headers.get("Host", ""))
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


# --------------------------------------------------------------------------- addresses

REFUSED = [
    "100.64.0.1", "100.100.100.200",           # shared address space (CGNAT), Alibaba metadata
    "100.127.255.254", "192.0.0.192", "192.0.0.9", "192.0.0.170",  # IETF protocol assignments
    "198.18.0.1", "198.19.255.255",            # benchmarking
    "224.0.0.1", "239.255.255.250", "ff02::1",  # multicast
    "240.0.0.1", "255.255.255.255", "192.88.99.1", "192.0.2.1", "203.0.113.9",
    "0.0.0.0", "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",   # IPv4-mapped
    "2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:101::1",          # 6to4 of internal
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1",       # NAT64 of internal
    "2001:0:4136:e378:8000:63bf:80ff:fffe",    # Teredo whose client is 127.0.0.1
    "::127.0.0.1", "::10.0.0.1",               # IPv4-compatible (deprecated)
]
ACCEPTED = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::808:808",
            "2002:808:808::1", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_every_address_that_is_not_global_is_refused(address):
    assert safe_http.internal_reason(ipaddress.ip_address(address)), address
    url = f"http://[{address}]/" if ":" in address else f"http://{address}/"
    started = time.monotonic()
    with pytest.raises(FetchError) as e:
        fetch(url, policy(allowed=[], retries=0))
    assert "internal address" in e.value.reason and "allowed_hosts" in e.value.reason
    assert time.monotonic() - started < 1  # refused by the check, no connection attempted


@pytest.mark.parametrize("address", ACCEPTED)
def test_global_addresses_pass_the_check_without_a_connection(address):
    url = f"http://[{address}]/" if ":" in address else f"http://{address}/"
    assert ipaddress.ip_address(Policy(allowed=[]).check(url)) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "127.1", "0177.0.0.1",
                                  "localhost", "LocalHost", "[::ffff:7f00:1]"])
def test_other_spellings_of_loopback_are_refused(host):
    with pytest.raises(FetchError) as e:
        fetch(f"http://{host}/", policy(allowed=[], retries=0))
    assert "internal address" in e.value.reason


def test_an_ipv4_mapped_form_of_an_allowed_address_is_allowed(server):
    checked = Policy(allowed=["127.0.0.1"]).check("http://[::ffff:127.0.0.1]/")
    assert ipaddress.ip_address(checked).ipv4_mapped == ipaddress.ip_address("127.0.0.1")


# --------------------------------------------------------------------------- DNS rebinding

class Resolver:
    """A DNS we control: ``name`` resolves to each of ``answers`` in turn (the last one
    repeating); other names and IP literals resolve as usual."""

    def __init__(self, monkeypatch, name: str, *answers: str):
        self.name, self.answers, self.calls = name, list(answers), 0
        self.real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self)

    def __call__(self, host, port, *args, **kwargs):
        if host != self.name:
            return self.real(host, port, *args, **kwargs)
        address = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return self.real(address, port, *args, **kwargs)


def test_dns_rebinding_cannot_reach_an_internal_address(server, monkeypatch):
    """The name answers a public address for the check and loopback afterwards: the
    connection goes to the public address that was checked (unreachable here), never to
    the loopback server."""
    port = urlsplit(server).port
    resolver = Resolver(monkeypatch, "rebind.example", "93.184.215.14", "127.0.0.1")
    Handler.hits.clear()
    with pytest.raises(FetchError):
        fetch(f"http://rebind.example:{port}/ok",
              policy(allowed=[], retries=0, connect_timeout=0.5))
    assert Handler.hits == {}
    assert resolver.calls == 1


def test_the_connection_goes_to_the_checked_address_with_the_host_name(server, monkeypatch):
    port = urlsplit(server).port
    resolver = Resolver(monkeypatch, "partner.example", "127.0.0.1", "10.255.255.1")
    Handler.hosts.clear()
    body = fetch(f"http://partner.example:{port}/ok",
                 policy(allowed=["partner.example"], retries=0, connect_timeout=1))
    assert body == b'{"result": ["ok"]}'
    assert Handler.hosts == [f"partner.example:{port}"]
    assert resolver.calls == 1


def test_each_redirect_is_resolved_once_and_checked(server, monkeypatch):
    port = urlsplit(server).port
    Resolver(monkeypatch, "next.example", "10.0.0.8")
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/redirect?to={quote(f'http://next.example:{port}/ok')}",
              policy(retries=0))
    assert "next.example resolves to 10.0.0.8" in e.value.reason


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """HTTPS on 127.0.0.1 with a certificate for partner.example; records the server name
    (SNI) each connection asked for."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=partner.example", "-addext",
                    "subjectAltName=DNS:partner.example", "-keyout", str(key), "-out",
                    str(cert)], check=True, capture_output=True)
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], str(cert), names
    httpd.shutdown()


def test_tls_to_the_pinned_address_keeps_the_server_name_and_checks_the_certificate(
        tls_server, monkeypatch):
    port, ca, names = tls_server
    Resolver(monkeypatch, "partner.example", "127.0.0.1", "10.255.255.1")
    names.clear()
    body = fetch(f"https://partner.example:{port}/ok",
                 policy(allowed=["partner.example"], retries=0, verify=ca))
    assert body == b'{"result": ["ok"]}'
    assert names == ["partner.example"]
    # The same server reached under a name its certificate does not carry is refused.
    Resolver(monkeypatch, "other.example", "127.0.0.1")
    with pytest.raises(FetchError) as e:
        fetch(f"https://other.example:{port}/ok",
              policy(allowed=["other.example"], retries=0, verify=ca))
    assert "TLS" in e.value.reason
