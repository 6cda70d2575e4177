"""The quality pages in a real browser (Debian's chromium through Playwright), as readers see
them: badges in search results and on the record page, the validation report on the
resource page, an organisation's late records and broken links, the league table, in Thai
and in English. Every badge's text must be readable on its colour (contrast of at least
4.5:1 as the browser renders it, WCAG AA), the badges must be in the page's language, and
the browser must report no script error or Content Security Policy violation.
Screenshots go to var/test/screenshots/quality-*.png."""
from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
import requests

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.lampangpoverty.lib.clock import utcnow
from ckanext.lampangpoverty.quality import passes

from ..security.conftest import live  # noqa: F401  (a real CKAN server for this module)
from .conftest import run_jobs

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test" / "screenshots"

# The contrast of each badge's computed text colour on its computed background (WCAG 2).
CONTRASTS = """() => Array.from(document.querySelectorAll(
    '.badge[style*="background-color"]')).map(el => {
  const s = getComputedStyle(el);
  const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
  return {text: el.innerText.trim(), ratio: (a + 0.05) / (b + 0.05),
          visible: el.offsetWidth > 0 && el.offsetHeight > 0};
})"""


def upload_through(live, user, dataset, content: bytes, name: str) -> dict:  # noqa: F811
    """Upload a file through the served portal: the record keeps the file's full URL as the
    server that took it names it, and the page's preview fetches that URL from its own
    origin (the CSP allows no other)."""
    token = factories.APIToken(user=user["name"])["token"]
    answer = requests.post(f"{live.url}/en/api/3/action/resource_create",
                           headers={"Authorization": token},
                           data={"package_id": dataset["id"], "name": name, "format": "CSV"},
                           files={"upload": (name, content)}, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()["result"]


@pytest.fixture
def scene(live, partner, make_record, editor, monkeypatch):  # noqa: F811
    """Three records of one organisation: one fresh, one overdue with a broken link, one
    with a file that fails validation; the daily pass run two days on. Work done in this
    process (jobs, passes) indexes the records with file URLs at the served portal's address."""
    monkeypatch.setitem(tk.config, "ckan.site_url", live.url)
    make_record(name="fresh-yearly", title="ข้อมูลรายปีล่าสุด", update_frequency_unit="ปี")
    make_record(name="late-daily", title="ข้อมูลรายวันที่ค้าง", update_frequency_unit="วัน",
                resources=[{"url": partner.url + "/gone.csv", "format": "CSV",
                            "name": "ลิงก์เสีย"}])
    errors = make_record(name="bad-table", title="ตารางที่มีข้อผิดพลาด",
                         update_frequency_unit="ปี")
    resource = upload_through(live, editor, errors,
                              "ตำบล,จำนวน\n520801,1,9\n520802,x\n".encode(), "t.csv")
    run_jobs()
    passes.freshness_pass(utcnow() + datetime.timedelta(days=2, hours=1))
    return {"resource": resource}


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium on this machine")
@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
def test_quality_pages_are_readable_translated_and_run_clean(live, scene,  # noqa: F811
                                                             organization):
    SHOTS.mkdir(parents=True, exist_ok=True)
    org = organization["name"]
    pages = {  # name -> (path, words the reader must see)
        "search-th": ("/dataset/", ["ทันสมัย", "เลยกำหนด", "ลิงก์เสีย",
                                   "ไม่ผ่านการตรวจสอบข้อมูล"]),
        "search-en": ("/en/dataset/", ["Up to date", "Overdue", "Broken link",
                                      "Fails validation"]),
        "record-th": ("/poverty-dataset/late-daily", ["คุณภาพข้อมูล", "เลยกำหนด"]),
        "record-en": ("/en/poverty-dataset/late-daily", ["Data quality", "Overdue"]),
        "resource-en": (f"/en/poverty-dataset/bad-table/resource/{scene['resource']['id']}",
                        ["Data errors", "Extra cell"]),
        "resource-th": (f"/poverty-dataset/bad-table/resource/{scene['resource']['id']}",
                        ["ข้อมูลผิดพลาด"]),
        "organization-th": (f"/organization/{org}/quality", ["ข้อมูลรายวันที่ค้าง", "ลิงก์เสีย"]),
        "organization-en": (f"/en/organization/{org}/quality", ["Overdue", "Broken link"]),
        "league-th": ("/quality", [organization["title"]]),
        "league-en": ("/en/quality", [organization["title"]]),
    }
    problems: list[str] = []
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: problems.append(m.text)
                if "Content Security Policy" in m.text or "Refused to" in m.text else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        for name, (path, words) in pages.items():
            answer = page.goto(live.url + path)
            assert answer is not None and answer.status == 200, (path, answer and answer.status)
            page.screenshot(path=str(SHOTS / f"quality-{name}.png"), full_page=True)
            body = page.inner_text("body")
            for word in words:
                if word not in body:
                    problems.append(f"{path}: no {word!r}")
            badges = page.evaluate(CONTRASTS)
            if not name.startswith("league"):
                assert any(b["visible"] for b in badges), f"{path}: no badge shown"
            for badge in badges:
                if badge["visible"] and badge["ratio"] < 4.5:
                    problems.append(f"{path}: badge {badge['text']!r} contrast "
                                    f"{badge['ratio']:.2f}:1")
                # English words on a Thai page: an untranslated badge (scores are digits).
                if name.endswith("-th") and badge["text"][:1].isascii() \
                        and not badge["text"][:1].isdigit():
                    problems.append(f"{path}: badge {badge['text']!r} not in Thai")
        browser.close()
    assert problems == [], problems
