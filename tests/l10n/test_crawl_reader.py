"""The crawl test's reader finds what it must (so a clean crawl means something)."""
from __future__ import annotations

from .crawl import interface_text, wrong_language

PAGE = """<html><head><title>ชุดข้อมูล - Poverty Portal</title><script>var Apply = 1;</script>
</head><body><nav aria-label="Breadcrumb"><a>หน้าแรก</a></nav>
<input type="submit" value="Save"><input placeholder="ค้นหา">
<p>ข้อมูลของ ครัวเรือนบ้านใหม่ (Ban Mai households) อัปเดต</p>
<p>ดาวน์โหลด CSV จาก https://example.org/a.csv หรือ data/a.csv</p>
<img alt="Open Data"><code>package_search</code>
<select id="field-lang-select"><option>English</option><option>ไทย</option></select>
</body></html>"""


def test_english_outside_user_content_is_found_on_a_thai_page() -> None:
    pieces = interface_text(PAGE, ["ครัวเรือนบ้านใหม่ (Ban Mai households)"])
    found = wrong_language(pieces, "th")
    assert sorted(found) == ["Breadcrumb", "Open Data", "Save", "ชุดข้อมูล - Poverty Portal"]


def test_thai_is_found_on_an_english_page() -> None:
    pieces = interface_text("<p>Search</p><p>ค้นหา datasets</p><b>Ngao</b>", [])
    assert wrong_language(pieces, "en") == ["ค้นหา datasets"]
