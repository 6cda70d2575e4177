"""Safe HTTP for harvesting partner sources: timeouts, a whole-response deadline, bounded
retries with backoff, a size limit, and no request to any address that is not globally
reachable (loopback, private, shared/CGNAT, link-local, cloud metadata, benchmarking,
multicast, reserved, and the IPv6 forms that embed such an address) unless the allowlist
``ckanext.lampangpoverty.harvest.allowed_hosts`` names the host or its network.

A host is resolved once per request; the connection goes to the address that was checked
(Host header and TLS server name stay those of the URL), so a name that resolves to a
public address for the check and to an internal one for the connection (DNS rebinding)
cannot reach inside. Every redirect is checked the same way."""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# IANA special-purpose ranges that are not globally reachable, listed explicitly so that the
# answer does not depend on the Python version's idea of is_global (3.11 counts multicast
# and 192.0.0.9 as global).
_NOT_GLOBAL = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
    "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """A source could not be fetched safely; ``reason`` says why, for the job's report."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


def embedded_ipv4(address: Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: IPv4-mapped, 6to4, Teredo (server and
    client), NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found = []
    if address.ipv4_mapped:
        found.append(address.ipv4_mapped)
    if address.sixtofour:
        found.append(address.sixtofour)
    if address.teredo:
        found.extend(address.teredo)
    if address in _NAT64 or (int(address) >> 32 == 0 and int(address) > 0xFFFF):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def internal_reason(address: Address) -> str | None:
    """Why ``address`` is not a globally reachable one (None when it is)."""
    for inner in embedded_ipv4(address):
        if internal_reason(inner):
            return f"an IPv6 form of {inner}, an internal address"
    if isinstance(address, ipaddress.IPv6Address) and (address.ipv4_mapped
                                                        or address in _NAT64):
        return None  # the traffic goes to the embedded IPv4 address, judged above
    if any(address in network for network in _NOT_GLOBAL):
        return "an internal address"
    if (not address.is_global or address.is_multicast or address.is_reserved
            or address.is_unspecified or address.is_loopback or address.is_link_local):
        return "an internal address"
    return None


@dataclass
class Policy:
    allowed: list[str] = field(default_factory=list)   # host names, IPs or CIDR networks
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    deadline: float = 120.0          # whole response, however slowly it trickles in
    retries: int = 3
    backoff: float = 1.0             # seconds, doubled after each retry
    max_bytes: int = 50 * 1024 ** 2
    verify: bool | str = True        # TLS verification (a CA bundle path in tests)

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

    def _allowed(self, host: str, address: Address) -> bool:
        candidates = [address, *embedded_ipv4(address)]
        for entry in self.allowed:
            if entry.lower().rstrip(".") == host.lower().rstrip("."):
                return True
            try:
                network = ipaddress.ip_network(entry, strict=False)
            except ValueError:
                continue
            if any(a.version == network.version and a in network for a in candidates):
                return True
        return False

    def check(self, url: str,
              option: str = "ckanext.lampangpoverty.harvest.allowed_hosts") -> str:
        """Resolve the URL's host once and refuse it when any of its addresses is internal
        (and not allowed), or its scheme is not http(s). Returns the address to connect to:
        the one that was checked. ``option`` is the allowlist the refusal names (the
        DataStore loader has its own)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "only http and https URLs can be fetched")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, ValueError, UnicodeError) as e:
            raise FetchError(url, f"the host does not resolve ({e})") from e
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        if not addresses:
            raise FetchError(url, "the host does not resolve")
        for address in addresses:
            reason = internal_reason(address)
            if reason and not self._allowed(parts.hostname, address):
                raise FetchError(url, f"{parts.hostname} resolves to {address}, {reason}; add "
                                      f"it to {option} to fetch it")
        return str(addresses[0])


class _PinnedAdapter(HTTPAdapter):
    """Connects to one checked address whatever the URL's host resolves to now, keeping the
    host name for TLS (server name and certificate check)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(self, request: requests.PreparedRequest,
                                             verify: bool | str, cert: Any = None) -> Any:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert)
        hostname = host_params["host"]
        pinned: dict[str, Any] = {**host_params, "host": self.address}
        extra: dict[str, Any] = dict(pool_kwargs)
        if pinned["scheme"] == "https":
            extra.update(server_hostname=hostname, assert_hostname=hostname if verify else False)
        return pinned, extra


def _session(address: str, policy: Policy) -> requests.Session:
    session = requests.Session()
    session.trust_env = False   # no proxy or .netrc from the environment: we connect ourselves
    session.verify = policy.verify
    adapter = _PinnedAdapter(address)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _host_header(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{parts.port}" if parts.port else host


def fetch(url: str, policy: Policy) -> bytes:
    """GET ``url`` under ``policy``; redirects are followed by hand, each target checked."""
    attempt, pause = 0, policy.backoff
    while True:
        try:
            return _fetch_once(url, policy)
        except _Retry as e:
            attempt += 1
            if attempt > policy.retries:
                raise FetchError(url, f"{e} (after {policy.retries} retries)") from e
            time.sleep(pause)
            pause *= 2


class _Retry(Exception):
    pass


def _fetch_once(url: str, policy: Policy) -> bytes:
    target = url
    for _ in range(MAX_REDIRECTS + 1):
        address = policy.check(target)
        session = _session(address, policy)
        try:
            response = session.get(target, stream=True, allow_redirects=False,
                                   headers={"Host": _host_header(target)},
                                   timeout=(policy.connect_timeout, policy.read_timeout))
        except requests.Timeout:
            raise _Retry("timed out") from None
        except requests.exceptions.SSLError as e:
            raise FetchError(url, f"TLS failed ({e})") from e
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
