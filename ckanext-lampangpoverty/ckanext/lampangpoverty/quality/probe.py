"""Is a link alive? One HEAD request (a ranged GET of one byte when the server refuses HEAD),
under the harvesters' safety rules: every URL and redirect is checked by
``harvesters.http.Policy.check`` (internal addresses refused unless allowed), the connection
goes to the address that was checked (Host header and TLS server name stay the URL's), no
proxy from the environment, and the whole exchange, headers included, has one deadline: a
watchdog closes the socket when it passes, so a server sending one byte a second cannot
hold the check. ``harvesters/http.py`` reads bodies only; this is its HEAD."""
from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..harvesters.http import MAX_REDIRECTS, FetchError, Policy
from .statuses import Link

USER_AGENT = "LampangPovertyLinkCheck/1.0 (+CKAN)"
HEAD_REFUSED = {400, 403, 404, 405, 406, 501}     # servers that answer GET but not HEAD
BUSY = {429, 502, 503, 504}


@dataclass
class Result:
    status: str                   # Link.OK, BROKEN, TIMEOUT, REFUSED
    code: int | None = None       # the final HTTP status
    detail: str = ""              # a message code (labels.LINK_DETAILS)
    params: dict | None = None
    busy: bool = False            # the host was overloaded or did not answer: back off

    def as_detail(self) -> dict:
        return {"code": self.detail, "params": self.params or {}}


class _Watchdog:
    """Shuts the socket down when the deadline passes (a blocked read then returns)."""

    def __init__(self, sock: socket.socket, seconds: float):
        self.fired = False
        self.sock = sock
        self.timer = threading.Timer(max(seconds, 0.001), self._fire)
        self.timer.daemon = True
        self.timer.start()

    def _fire(self) -> None:
        self.fired = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self.timer.cancel()


def _request(url: str, address: str, method: str, policy: Policy,
             deadline: float) -> tuple[int, str | None]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    sock = socket.create_connection((address, port),
                                    timeout=min(policy.connect_timeout, remaining))
    watchdog = _Watchdog(sock, deadline - time.monotonic())
    try:
        sock.settimeout(min(policy.read_timeout, max(deadline - time.monotonic(), 0.001)))
        if parts.scheme == "https":
            context = ssl.create_default_context(
                cafile=policy.verify if isinstance(policy.verify, str) else None)
            if policy.verify is False:
                context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            sock = context.wrap_socket(sock, server_hostname=host)
            watchdog.sock = sock
        conn = http.client.HTTPConnection(host, port)
        conn.sock = sock
        path = parts.path or "/"
        conn.putrequest(method, path + (f"?{parts.query}" if parts.query else ""),
                        skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", (f"[{host}]" if ":" in host else host)
                       + (f":{parts.port}" if parts.port else ""))
        conn.putheader("User-Agent", USER_AGENT)
        if method == "GET":
            conn.putheader("Range", "bytes=0-0")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.getheader("Location")
    except (OSError, http.client.HTTPException) as e:
        if watchdog.fired or isinstance(e, TimeoutError):
            raise TimeoutError from e
        raise
    finally:
        watchdog.cancel()
        sock.close()


def _classify_refusal(e: FetchError) -> Result:
    """What Policy.check refused, from its reason (FetchError carries no code)."""
    host = urlsplit(e.url).hostname
    if "does not resolve" in e.reason:
        return Result(Link.BROKEN, detail="dns", params={"host": host})
    if "http and https" in e.reason:
        return Result(Link.REFUSED, detail="scheme")
    return Result(Link.REFUSED, detail="internal", params={"host": host})


def check(url: str, policy: Policy, seconds: float) -> Result:
    """The state of one link, within ``seconds`` whatever the server does."""
    deadline = time.monotonic() + seconds
    target, method = url, "HEAD"
    for _ in range(MAX_REDIRECTS + 1):
        try:
            address = policy.check(target)
        except FetchError as e:
            return _classify_refusal(e)
        try:
            code, location = _request(target, address, method, policy, deadline)
        except TimeoutError:
            return Result(Link.TIMEOUT, detail="timeout", params={"seconds": round(seconds)},
                          busy=True)
        except ssl.SSLError as e:
            return Result(Link.BROKEN, detail="tls", params={"error": type(e).__name__})
        except (OSError, http.client.HTTPException) as e:
            return Result(Link.BROKEN, detail="connection", params={"error": type(e).__name__},
                          busy=isinstance(e, ConnectionRefusedError))
        if code in (301, 302, 303, 307, 308) and location:
            target = urljoin(target, location)
            continue
        if method == "HEAD" and code in HEAD_REFUSED:
            method = "GET"
            continue
        if 200 <= code < 400:
            return Result(Link.OK, code=code)
        return Result(Link.BROKEN, code=code, detail="http", params={"code": code},
                      busy=code in BUSY)
    return Result(Link.BROKEN, detail="redirects", params={"limit": MAX_REDIRECTS})
