"""The area pages, the front page and the About page as served: Thai by default, English at
/en/, no CKAN placeholder left, nothing loaded from outside the portal, old codes redirected
and unknown ones a 404; the bundled libraries are the npm builds they claim to be."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from ckan.tests.helpers import call_action

from .test_profiles import load_table, programme, rows

ASSETS = (Path(__file__).resolve().parents[2] / "ckanext-lampangpoverty" / "ckanext"
          / "lampangpoverty" / "assets")


def test_vendored_libraries_match_their_readme_hashes_and_carry_their_licences():
    readme = (ASSETS / "vendor" / "README.md").read_text()
    listed = dict((name, digest) for digest, name in re.findall(r"([0-9a-f]{64})  (\S+)", readme))
    assert set(listed) == {"chartjs/chart.umd.min.js", "chartjs/LICENSE.md",
                           "leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/LICENSE"}
    for name, digest in listed.items():
        assert hashlib.sha256((ASSETS / "vendor" / name).read_bytes()).hexdigest() == digest


def _outside_urls(html: str, base: str) -> list[str]:
    """What a page loads (scripts, images, styles, frames) from anywhere but the portal."""
    loaded = re.findall(r'\bsrc="([^"]+)"', html) + re.findall(r'<link[^>]*href="([^"]+)"', html)
    return [u for u in loaded if u.startswith(("http:", "https:", "//")) and
            not u.startswith(base)]


@pytest.fixture
def area_data(make_record, clean_index, clean_datastore):
    from ckan.tests import factories

    admin = factories.Sysadmin()
    res = load_table(make_record, rows())
    call_action("lampangpoverty_area_indicators_load", {"user": admin["name"]},
                resource_id=res["id"])
    programme(make_record, "repair-thoen", ["5208"], title="ซ่อมบ้านเถิน")


@pytest.mark.usefixtures("clean_db", "area_data")
class TestPages:
    def test_a_profile_in_thai_then_english(self, app):
        thai = app.get("/area/5208").body
        assert "<h1 class=\"page-heading\">เถิน</h1>" in thai
        assert "ความต้องการเทียบกับโครงการ" in thai and "ซ่อมบ้านเถิน" in thai
        assert 'data-module="lampangpoverty-area-map"' in thai
        assert 'data-module="lampangpoverty-chart"' in thai
        english = app.get("/en/area/5208").body
        assert "<h1 class=\"page-heading\">Thoen</h1>" in english
        assert "Needs against programmes" in english

    def test_pages_load_nothing_from_outside_the_portal(self, app):
        from ckan.plugins import toolkit as tk

        base = tk.config["ckan.site_url"]
        for path in ("/", "/area/52", "/area/5208", "/area/520801", "/area/gaps", "/about"):
            html = app.get(path).body
            assert _outside_urls(html, base) == [], path
            assert "tile.openstreetmap.org" not in html, path

    def test_old_codes_redirect_and_unknown_ones_are_404(self, app):
        res = app.get("/area/520699", follow_redirects=False)
        assert res.status_code == 302 and res.headers["Location"].endswith("/area/521301")
        assert app.get("/area/5301", status=404)
        assert app.get("/area/abc", status=404)

    def test_the_front_page_replaces_the_placeholder(self, app):
        html = app.get("/").body
        assert "ยินดีต้อนรับสู่ CKAN" not in html and "Welcome to CKAN" not in html
        assert "แพลตฟอร์มข้อมูลเปิดเพื่อแก้ไขปัญหาความยากจนจังหวัดลำปาง" in html
        assert "ซ่อมบ้านเถิน" in html  # open now
        assert 'id="home-map"' in html
        assert "Lampang Poverty Open Data Platform" in app.get("/en/").body

    def test_the_about_page_has_our_policy_not_ckans_copy(self, app):
        html = app.get("/about").body
        assert "นโยบายการเปิดเผยข้อมูล" in html and "เงื่อนไขการใช้ข้อมูล" in html
        assert "CKAN is the world" not in html
        assert "Disclosure policy" in app.get("/en/about").body

    def test_the_gaps_page_lists_areas_and_refuses_a_bad_dimension(self, app):
        html = app.get("/area/gaps?level=tambon&dimension=living_conditions").body
        assert "/area/520801" in html
        assert app.get("/area/gaps?dimension=happiness", status=400)
