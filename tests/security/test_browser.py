"""Finding 11 in a real browser (Debian's chromium through Playwright): with the security
headers on, CKAN's pages still run their JavaScript (the module system, the dataset and
search maps, the resource form's upload buttons) and the browser reports no Content
Security Policy violation. Screenshots go to var/test/screenshots/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import PASSWORD, make_dataset, with_password

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium on this machine")
@pytest.mark.usefixtures("clean_index")
def test_pages_run_their_scripts_under_the_policy(live, people):
    pkg = make_dataset(people, "browser-map", private=False, area_codes=["5208", "5201"])
    with_password(people, "admin")
    SHOTS.mkdir(parents=True, exist_ok=True)
    violations: list[str] = []
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text or "Refused to" in m.text else None)
        page.on("pageerror", lambda e: violations.append(f"page error: {e}"))

        page.goto(f"{live.url}/dataset/{pkg['name']}")
        page.wait_for_selector(".leaflet-container", timeout=20000)
        page.screenshot(path=str(SHOTS / "dataset-map.png"), full_page=True)

        page.goto(f"{live.url}/poverty-dataset/")
        page.wait_for_selector(".leaflet-container", timeout=20000)
        page.screenshot(path=str(SHOTS / "search-map.png"))

        page.goto(f"{live.url}/user/login")
        page.fill("#field-login", "the-admin")
        page.fill("#field-password", PASSWORD)
        page.press("#field-password", "Enter")
        page.wait_for_url("**/dashboard/**", timeout=20000)
        page.goto(f"{live.url}/dataset/{pkg['name']}/resource/new")
        page.click("#resource-link-button")  # an inline handler CKAN's form relies on
        assert page.is_visible("#field-resource-url")
        page.screenshot(path=str(SHOTS / "resource-form.png"))
        # CKAN's modules ran: the language dropdown and the user menu are set up by them.
        assert page.evaluate("typeof window.ckan === 'object' && !!window.ckan.module")
        browser.close()
    assert violations == [], violations
