"""A programme's page answers first: open now or not, who, where (whole districts named as
such), how to apply, contact, budget in baht; details below."""
from __future__ import annotations

import datetime
import re

import pytest

from ckanext.lampangpoverty.targeting import programme_page
from ckanext.lampangpoverty.targeting.figures import tambons_of
from ckanext.lampangpoverty.targeting.profile import today


@pytest.mark.parametrize(("value", "shown"), [
    ("2000000", "฿2,000,000"), (1600000, "฿1,600,000"), ("2,500.50", "฿2,500.50"),
    ("0", "฿0"), ("not a number", ""), ("NaN", ""), ("", "")])
def test_baht(value, shown):
    assert programme_page.baht(value) == shown


def test_open_now_needs_an_open_status_and_today_within_its_dates():
    day = datetime.date(2026, 12, 1)
    before, after = day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)
    assert programme_page.is_open("open", before, after, day)
    assert programme_page.is_open("ongoing", None, None, day)
    assert programme_page.is_open("open", day, day, day)
    assert not programme_page.is_open("open", after, None, day)    # not yet
    assert not programme_page.is_open("open", None, before, day)   # closed yesterday
    assert not programme_page.is_open("planned", None, None, day)


@pytest.mark.usefixtures("with_request_context")
def test_where_names_whole_districts_and_lists_the_rest():
    thoen = sorted(tambons_of("5208"))
    lines = programme_page.where([*thoen, "520101", "nonsense"])  # (Thai: the default)
    assert lines == ["อำเภอเมืองลำปาง: ตำบล เวียงเหนือ", "ทั้งอำเภอเถิน"]
    partial = programme_page.where(thoen[:2])
    assert len(partial) == 1 and partial[0].startswith("อำเภอเถิน: ตำบล ")
    assert partial[0].count(",") == 1
    assert programme_page.where(["52", "5208"]) == ["ทั้งจังหวัด (ลำปาง)"]
    assert programme_page.where(["5208"]) == programme_page.where(thoen) == ["ทั้งอำเภอเถิน"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_the_page_shows_the_card_first(app, make_record):
    thoen = sorted(tambons_of("5208"))
    make_record("agency-resource", name="repair-thoen", title="ซ่อมบ้าน เถิน",
                area_codes=thoen, programme_status="open", budget_baht="2000000",
                eligibility="ครัวเรือนยากจนเป้าหมาย", how_to_apply="ยื่นที่ อบต.",
                maintainer="กลุ่มงานสวัสดิการ", contact_phone="054-000-103",
                open_date=(today() - datetime.timedelta(days=3)).isoformat(),
                close_date=(today() + datetime.timedelta(days=30)).isoformat())
    page = app.get("/agency-resource/repair-thoen").body
    card = page.index("lp-programme-summary")
    assert page.index("ซ่อมบ้าน เถิน") < card < page.index("additional-info")
    assert "lp-programme-page" in page and "_pages.css" in page
    top = re.sub(r"\s+", " ", page[card:page.index("</section>", card)])
    for expected in ("เปิดรับอยู่ขณะนี้", "ครัวเรือนยากจนเป้าหมาย", "ยื่นที่ อบต.",
                     "054-000-103", "฿2,000,000", "ทั้งอำเภอเถิน"):
        assert expected in top, expected
    assert "2000000" not in page.replace("budget_baht", "")
    english = app.get("/en/agency-resource/repair-thoen").body
    assert "Open now" in english and "The whole district of Thoen" in english
