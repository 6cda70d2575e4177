"""Smaller leaks of finding 12: tags and resource formats of private datasets (tag list,
show, search, autocomplete, format autocomplete, search facets), search errors that echoed
the internal filter query, and /dataset/changes_multiple answering 500."""
from __future__ import annotations

import json

import pytest

from ckan.tests import factories

from .conftest import make_dataset


@pytest.fixture
def tagged(people):
    make_dataset(people, "secret-one", private=True, tags=[{"name": "ลับเฉพาะ-secret"}],
                 resources=[{"url": "http://example.org/a.sav", "format": "SPSSX"}])
    make_dataset(people, "open-one", private=False, tags=[{"name": "เปิด-open"}],
                 resources=[{"url": "http://example.org/a.csv", "format": "CSV"}])


def get(app, people, who: str, url: str):
    """(status, body); an API answer with its Thai as text, not JSON escapes."""
    res = app.get(url, headers=people.headers(who))
    if url.startswith("/api/"):
        return res.status_code, json.dumps(json.loads(res.body), ensure_ascii=False)
    return res.status_code, res.body


@pytest.mark.usefixtures("clean_index")
class TestPrivateTags:
    @pytest.mark.parametrize("who", ["anonymous", "registered", "other_admin"])
    def test_outsiders_never_see_a_private_datasets_tags(self, app, people, tagged, who):
        urls = ["/api/3/action/tag_list", "/api/3/action/tag_list?all_fields=true",
                "/api/3/action/tag_list?query=secret", "/api/3/action/tag_search?query=secret",
                "/api/3/action/tag_autocomplete?query=secret",
                "/api/3/action/format_autocomplete?q=spss",
                "/api/3/action/package_search?facet.field=[\"tags\",\"res_format\"]",
                "/api/3/action/package_autocomplete?q=secret", "/dataset/"]
        for url in urls:
            status, body = get(app, people, who, url)
            assert status == 200, url
            assert "ลับเฉพาะ" not in body and "spssx" not in body.lower(), url
        assert "เปิด-open" in get(app, people, who, "/api/3/action/tag_list")[1]
        # A private dataset's tag answers exactly as a tag that does not exist.
        hidden = get(app, people, who, "/api/3/action/tag_show?id=ลับเฉพาะ-secret")
        missing = get(app, people, who, "/api/3/action/tag_show?id=no-such-tag")
        assert hidden[0] == missing[0] == 404
        assert json.loads(hidden[1])["error"] == json.loads(missing[1])["error"]

    @pytest.mark.parametrize("who", ["member", "admin", "sysadmin"])
    def test_the_owners_see_them(self, app, people, tagged, who):
        assert "ลับเฉพาะ-secret" in get(app, people, who, "/api/3/action/tag_list")[1]
        assert get(app, people, who, "/api/3/action/tag_show?id=ลับเฉพาะ-secret")[0] == 200
        assert "spssx" in get(app, people, who, "/api/3/action/format_autocomplete?q=sps")[1]


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("params", [{"q": "title:("}, {"fq": "name:[x"},
                                    {"fq": "{!lucene}name:x"}, {"q": "_val_:1"}])
def test_a_bad_search_names_the_parameter_and_not_the_internal_query(app, params):
    user = factories.User()
    res = app.get("/api/3/action/package_search", query_string=params,
                  headers={"Authorization": factories.APIToken(user=user["name"])["token"]})
    assert res.status_code in (400, 409), res.body
    error = json.loads(res.body)["error"]
    assert "site_id" not in res.body and "permission_labels" not in res.body
    assert "lampangpoverty_test" not in res.body and user["id"] not in res.body
    assert set(error) - {"__type", "message"} <= set(params), error


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("query", ["", "?new_id=x&old_id=y", "?new_id=&old_id=",
                                   "?old_id=x"])
def test_changes_multiple_answers_404_not_500(app, query):
    assert app.get(f"/dataset/changes_multiple{query}").status_code == 404
