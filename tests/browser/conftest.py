"""Browser fixtures, shared by every browser test: the portal served by a real `ckan run` on a
free port against the test services, loaded with the demo content; Debian's Chromium driven
by Playwright (never Playwright's own browser download); a page per test that fails the test
on any console error and saves a screenshot of each step under test-artifacts/browser/.

    def test_something(page, portal, shot):
        page.goto(portal.url("/area/5208"))
        shot("thoen-profile")
"""
from __future__ import annotations

import configparser
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
START_TIMEOUT = 180


@dataclass
class Portal:
    base: str

    def url(self, path: str = "/", lang: str = "th") -> str:
        prefix = "" if lang == "th" else f"/{lang}"
        return f"{self.base}{prefix}{path}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/api/3/action/status_show", timeout=3) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def portal_port() -> int:
    return _free_port()


@pytest.fixture(scope="session")
def demo_site(request, portal_port):
    """The test database with the demo content (vocabularies, organisations, records,
    indicators, this fiscal year's programmes), indexed. Runs once per session, at the
    served portal's address: the index keeps each uploaded file's full URL, and the
    previews fetch it from the page's own origin (the CSP allows no other)."""
    import ckan.plugins.toolkit as tk
    from ckan import model, plugins

    from ckanext.lampangpoverty import demo

    from ..conftest import fresh_site

    fresh_site()

    class _Bar:
        def __init__(self, items, label):
            self.items = items

        def __enter__(self):
            return self.items

        def __exit__(self, *exc):
            return False

    site_url = tk.config["ckan.site_url"]
    tk.config["ckan.site_url"] = f"http://127.0.0.1:{portal_port}"
    try:
        demo.seed(progress=_Bar)
    finally:
        tk.config["ckan.site_url"] = site_url
    model.Session.remove()
    plugins.unload_all()


@pytest.fixture(scope="session")
def portal(demo_site, portal_port, tmp_path_factory):
    """`ckan run` on a free port, its site_url that port, against the test services."""
    ini = Path(os.environ.get("CKAN_INI") or _test_ini())
    port = portal_port
    served = tmp_path_factory.mktemp("portal") / "served.ini"
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(ini)
    parser.set("app:main", "use", f"config:{ini}")
    for key in list(parser["app:main"]):
        if key != "use":
            parser.remove_option("app:main", key)
    parser.set("app:main", "ckan.site_url", f"http://127.0.0.1:{port}")
    with served.open("w") as f:
        parser.write(f)
    log = (tmp_path_factory.mktemp("portal") / "ckan.log").open("wb")
    ckan = str(Path(sys.executable).parent / "ckan")
    process = subprocess.Popen([ckan, "-c", str(served), "run", "--host", "127.0.0.1",
                                "--port", str(port), "--disable-reloader", "--threaded"],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while not _up(base):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the portal did not start; see {log.name}")
        time.sleep(0.5)
    yield Portal(base)
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _test_ini() -> str:
    return str(ROOT / "var" / "test" / "ckan.ini")


# Package scope: Playwright's sync API runs an event loop until it stops, and the browser
# tests of other folders (security, quality) start their own, which fails inside a running one.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_.-]+", "-", text).strip("-")[:120]


@pytest.fixture(params=["desktop", "phone"])
def viewport(request):
    return request.param


class Problems:
    """What went wrong in the browser during a test: console errors, uncaught exceptions,
    failed requests and HTTP errors. A test may allow requests to a named outside host it
    passes through (with its reason), nothing else."""

    def __init__(self, portal_base: str):
        self.portal = urlsplit(portal_base).netloc
        self.found: list[str] = []
        self.allowed_hosts: dict[str, str] = {}

    def allow_host(self, host: str, reason: str) -> None:
        self.allowed_hosts[host] = reason

    def _outside_allowed(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return host != urlsplit("//" + self.portal).hostname and host in self.allowed_hosts

    def console(self, message) -> None:
        # failed loads are reported with their URL by request_failed / response below
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.found.append(f"console: {message.text}")

    def request_failed(self, req) -> None:
        if not self._outside_allowed(req.url):
            self.found.append(f"request failed: {req.url} ({req.failure})")

    def response(self, res) -> None:
        if res.status >= 400 and not self._outside_allowed(res.url):
            self.found.append(f"HTTP {res.status}: {res.url}")


@pytest.fixture
def problems(portal):
    return Problems(portal.base)


@pytest.fixture
def page(browser, viewport, problems):
    """A fresh page at the viewport's size; a console error, an uncaught exception, a failed
    request or an HTTP error fails the test after it ran."""
    context = browser.new_context(viewport=DESKTOP if viewport == "desktop" else PHONE,
                                  is_mobile=viewport == "phone", has_touch=viewport == "phone",
                                  locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(20000)
    page.on("console", problems.console)
    page.on("pageerror", lambda e: problems.found.append(f"uncaught: {e}"))
    page.on("requestfailed", problems.request_failed)
    page.on("response", problems.response)
    yield page
    context.close()
    assert problems.found == [], problems.found


@pytest.fixture
def shot(page, viewport, request):
    """shot("step") saves a full-page screenshot as
    test-artifacts/browser/<test>/<n>-<step>-<viewport>.png"""
    folder = ARTIFACTS / _slug(request.node.originalname or request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    count = {"n": 0}

    def take(step: str) -> Path:
        count["n"] += 1
        path = folder / f"{count['n']:02d}-{_slug(step)}-{viewport}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
