"""Safe HTTP for harvesting partner sources: timeouts, a whole-response deadline, bounded
retries with backoff, a size limit, and no request to loopback, private, link-local or cloud
metadata addresses (checked for the first URL and every redirect) unless the allowlist
``ckanext.lampangpoverty.harvest.allowed_hosts`` names the host or its network."""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A source could not be fetched safely; ``reason`` says why, for the job's report."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


@dataclass
class Policy:
    allowed: list[str] = field(default_factory=list)   # host names, IPs or CIDR networks
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 120.0          # whole response, however slowly it trickles in
    retries: int = 3
    backoff: float = 1.0             # seconds, doubled after each retry
    max_bytes: int = 50 * 1024 ** 2

    @classmethod
    def from_config(cls) -> Policy:
        import ckan.plugins.toolkit as tk

        prefix = "ckanext.lampangpoverty.harvest."
        return cls(allowed=tk.config[prefix + "allowed_hosts"],
                   connect_timeout=tk.config[prefix + "connect_timeout"],
                   read_timeout=tk.config[prefix + "read_timeout"],
                   deadline=tk.config[prefix + "deadline"],
                   retries=tk.config[prefix + "retries"],
                   max_bytes=tk.config[prefix + "max_bytes"])

    def _allowed(self, host: str, address: ipaddress._BaseAddress) -> bool:
        for entry in self.allowed:
            if entry.lower() == host.lower():
                return True
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False

    def check(self, url: str,
              option: str = "ckanext.lampangpoverty.harvest.allowed_hosts") -> None:
        """Refuse a URL whose scheme is not http(s) or whose host resolves to an address
        inside the server's networks, before any connection is made. ``option`` is the
        allowlist the refusal names (the DataStore loader has its own)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "only http and https URLs can be fetched")
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
        except socket.gaierror as e:
            raise FetchError(url, f"the host does not resolve ({e.strerror})") from e
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            internal = (address.is_private or address.is_loopback or address.is_link_local
                        or address.is_reserved or address.is_multicast or address.is_unspecified)
            if internal and not self._allowed(parts.hostname, address):
                raise FetchError(url, f"{parts.hostname} resolves to {address}, an internal "
                                      f"address; add it to {option} to fetch it")


def fetch(url: str, policy: Policy, session: requests.Session | None = None) -> bytes:
    """GET ``url`` under ``policy``; redirects are followed by hand, each target checked."""
    session = session or requests.Session()
    attempt, pause = 0, policy.backoff
    while True:
        try:
            return _fetch_once(url, policy, session)
        except _Retry as e:
            attempt += 1
            if attempt > policy.retries:
                raise FetchError(url, f"{e} (after {policy.retries} retries)") from e
            time.sleep(pause)
            pause *= 2


class _Retry(Exception):
    pass


def _fetch_once(url: str, policy: Policy, session: requests.Session) -> bytes:
    target = url
    for _ in range(MAX_REDIRECTS + 1):
        policy.check(target)
        try:
            response = session.get(target, stream=True, allow_redirects=False,
                                   timeout=(policy.connect_timeout, policy.read_timeout))
        except requests.Timeout:
            raise _Retry("timed out") from None
        except requests.ConnectionError as e:
            raise _Retry(f"connection failed ({type(e).__name__})") from e
        if response.is_redirect:
            target = urljoin(target, response.headers["Location"])
            response.close()
            continue
        if response.status_code in RETRY_STATUSES:
            response.close()
            raise _Retry(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            response.close()
            raise FetchError(url, f"HTTP {response.status_code}")
        return _read(url, response, policy)
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def _read(url: str, response: requests.Response, policy: Policy) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        response.close()
        raise FetchError(url, f"the response is larger than {policy.max_bytes} bytes")
    deadline = time.monotonic() + policy.deadline
    chunks, size = [], 0
    try:
        # read1 returns what one receive brings, so a source trickling a byte a second
        # meets the deadline instead of holding the job for hours.
        while chunk := response.raw.read1(64 * 1024, decode_content=True):
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchError(url, f"the response is larger than {policy.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise FetchError(url, f"the response took longer than {policy.deadline:.0f} s")
            chunks.append(chunk)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as e:
        raise FetchError(url, f"the response broke off ({type(e).__name__})") from e
    finally:
        response.close()
    return b"".join(chunks)
