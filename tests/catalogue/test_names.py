"""URL names of records saved without one (a Thai title: the form leaves the name to the portal,
an API call may leave it out): readable in Latin script, never lossy like "2569", never
colliding; a name given is kept."""
from __future__ import annotations

import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.catalogue import names

from .test_catalogue import api_create


def create(app, token, organization, dataset_type="poverty-dataset", **fields):
    """package_create through the API, without a URL name unless one is given."""
    return api_create(app, token, dataset_type, organization, **{"name": None, **fields})


@pytest.fixture
def token(clean_db):
    return factories.APIToken(user=factories.Sysadmin()["name"])["token"]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestNamesFromThaiTitles:
    def test_a_thai_title_is_named_by_type_areas_and_years_and_never_collides(
            self, app, token, organization):
        title = "สำรวจความยากจน อำเภองาว ปี 2569"
        made = []
        for _ in range(3):
            res = create(app, token, organization, title=title, area_codes=["5205", "5210"])
            assert res.status_code == 200, res.body
            made.append(res.json["result"]["name"])
        assert made == ["poverty-dataset-ngao-mae-tha-2569", "poverty-dataset-ngao-mae-tha-2569-2",
                        "poverty-dataset-ngao-mae-tha-2569-3"]
        assert call_action("package_show", id=made[1])["title"] == title

    @pytest.mark.parametrize("dataset_type", ["agency-resource", "policy-proposal"])
    def test_every_type_names_its_thai_records(self, app, token, organization, dataset_type):
        res = create(app, token, organization, dataset_type, title="โครงการซ่อมบ้านผู้ยากไร้",
                     area_codes=["520101"])
        assert res.status_code == 200, res.body
        assert res.json["result"]["name"] == f"{dataset_type}-wiang-nuea"

    def test_a_latin_title_keeps_its_words_and_a_given_name_is_kept(self, app, token,
                                                                    organization):
        res = create(app, token, organization, title="BMN indicators: Thoen (2025)!",
                     area_codes=["5208"])
        assert res.json["result"]["name"] == "bmn-indicators-thoen-2025"
        res = create(app, token, organization, name="my-own-name", title="ข้อมูล 2569",
                     area_codes=["5208"])
        assert res.json["result"]["name"] == "my-own-name"
        # a deleted record still holds its name (CKAN keeps it): the next one gets a number
        deleted = app.post("/api/3/action/package_delete", headers={"Authorization": token},
                           json={"id": "bmn-indicators-thoen-2025"})
        assert deleted.status_code == 200, deleted.body
        res = create(app, token, organization, title="BMN indicators Thoen 2025",
                     area_codes=["5208"])
        assert res.json["result"]["name"] == "bmn-indicators-thoen-2025-2"

    def test_no_title_and_no_name_is_refused_naming_the_url(self, app, token, organization):
        res = create(app, token, organization, title="", area_codes=["5208"])
        assert res.status_code == 409
        assert "name" in res.json["error"]
        assert call_action("package_search", q="*:*")["count"] == 0


@pytest.mark.parametrize(("title", "dataset_type", "codes", "expected"), [
    ("ข้อมูลครัวเรือน", "policy-proposal", [], "policy-proposal"),            # no areas
    ("ข้อมูล", "poverty-dataset", ["9999", "5205"], "poverty-dataset-ngao"),   # unknown code
    ("\U0001f3e0 \u2014 \u2018บ้าน\u2019 <b>", "poverty-dataset", ["5205"],
     "poverty-dataset-ngao-b"),
    ("\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 ข้อมูล", "poverty-dataset", [],
     "poverty-dataset-fullwidth"),
    ("Café São Paulo", "agency-resource", [], "cafe-sao-paulo"),
    ("a" * 300 + " b", "poverty-dataset", [], "a" * names.MAX_LENGTH),
])
def test_names_are_latin_short_and_valid(title, dataset_type, codes, expected):
    name = names.base_name(title, dataset_type, codes)
    assert name == expected
    assert 2 <= len(name) <= names.MAX_LENGTH
