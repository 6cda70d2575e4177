"""What the catalogue keeps between requests (vocabulary terms and labels, derived extents)
never outlives an edit, and no page shows a record to someone who may not see it."""
from __future__ import annotations

import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.catalogue import spatial


def _facet_labels(app, url: str) -> set[str]:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(app.get(url).body, "html.parser")
    return {item.get_text(" ", strip=True) for item in page.select(".nav-facet li")}


def test_an_edited_label_shows_on_the_next_search_page(app, make_record):
    make_record(target_groups=["farmers"])
    assert any("เกษตรกร" in label for label in _facet_labels(app, "/dataset/"))

    call_action("term_translation_update", term="farmers", term_translation="ชาวไร่ชาวนา",
                lang_code="th")
    labels = _facet_labels(app, "/dataset/")
    assert any("ชาวไร่ชาวนา" in label for label in labels), labels
    assert not any("เกษตรกร" in label for label in labels), labels
    assert any("Farmers" in label for label in _facet_labels(app, "/en/dataset/"))


def test_an_edited_label_shows_in_the_next_api_answer(app, make_record):
    """The API's ``<field>_label`` (kept per worker) follows a label edit at once, in
    package_show and package_search alike."""
    record = make_record(name="labelled", target_groups=["farmers"])

    def labels() -> list[dict[str, str]]:
        shown = app.get(f"/api/3/action/package_show?id={record['name']}").json["result"]
        found = app.get("/api/3/action/package_search?q=name:labelled").json["result"]
        assert found["results"][0]["target_groups_label"] == shown["target_groups_label"]
        return shown["target_groups_label"]

    assert labels() == [{"th": "เกษตรกร", "en": "Farmers"}]
    call_action("term_translation_update", term="farmers", term_translation="ชาวไร่ชาวนา",
                lang_code="th")
    assert labels() == [{"th": "ชาวไร่ชาวนา", "en": "Farmers"}]


def test_a_term_added_or_deleted_counts_at_once(make_record):
    make_record(target_groups=["farmers"])  # the terms are read (and kept) here
    vocab = call_action("vocabulary_show", id="target_groups")
    call_action("tag_create", name="river_fishers", vocabulary_id=vocab["id"])
    make_record(name="fishers", target_groups=["river_fishers"])

    call_action("tag_delete", id="river_fishers", vocabulary_id=vocab["id"])
    with pytest.raises(tk.ValidationError) as refused:
        make_record(name="fishers-again", target_groups=["river_fishers"])
    assert "target_groups" in refused.value.error_dict


def test_the_extent_of_the_same_areas_is_the_same_whatever_their_order_or_spelling():
    tambon_first = spatial.extent(["520101", "5208"])
    assert tambon_first is not None
    assert spatial.extent([" 5208 ", "520101", "520101"]) == tambon_first
    assert spatial.extent(["9999", "not a code"]) is None
    assert spatial.extent(["52"]) != tambon_first


def test_a_private_proposal_citing_a_dataset_is_never_listed_on_its_page(
        app, make_record, organization):
    """The dataset page lists the public proposals citing it, for every reader alike (the
    page may be served from caches shared between readers)."""
    dataset = make_record(name="cited-dataset")
    make_record("policy-proposal", name="open-proposal", title="ข้อเสนอเปิดเผย",
                evidence_datasets=["cited-dataset"])
    make_record("policy-proposal", name="closed-proposal", title="ข้อเสนอภายใน",
                evidence_datasets=["cited-dataset"], private=True)
    member = factories.User()
    call_action("organization_member_create", id=organization["id"],
                username=member["name"], role="editor")

    url = f"/dataset/{dataset['name']}"
    token = factories.APIToken(user=member["name"])["token"]
    for headers in ({"Authorization": token}, {}):
        body = app.get(url, headers=headers).body
        assert "ข้อเสนอเปิดเผย" in body
        assert "ข้อเสนอภายใน" not in body


def test_the_json_ld_block_is_what_ckanext_dcat_gives(make_record):
    from ckanext.dcat import helpers as dcat_helpers

    from ckanext.lampangpoverty.catalogue import structured

    def same(text: str) -> str:  # blank nodes are named anew on each serialization
        return re.sub(r"_:N[0-9a-f]+", "_:N", text)

    dataset = call_action("package_show", id=make_record(name="json-ld-record")["id"])
    ours = tk.h.structured_data(dataset)
    assert same(ours) == same(dcat_helpers.structured_data(dataset))
    assert same(structured.structured_data(dataset)) == same(ours)
    assert '"schema:Dataset"' in ours


@pytest.mark.usefixtures("clean_index")
def test_a_proposal_lists_only_the_evidence_its_reader_may_see(app, make_record,
                                                                organization):
    """The evidence titles come from one search with the reader's permission labels: a
    private record's title reaches its organisation's members, never anyone else."""
    make_record(name="open-evidence", title="หลักฐานเปิดเผย")
    make_record(name="closed-evidence", title="หลักฐานภายใน", private=True)
    make_record("policy-proposal", name="cites-both", title="ข้อเสนออ้างสองชุด",
                evidence_datasets=["open-evidence", "closed-evidence"])
    member = factories.User()
    call_action("organization_member_create", id=organization["id"],
                username=member["name"], role="member")
    token = factories.APIToken(user=member["name"])["token"]

    seen_by_all = app.get("/policy-proposal/cites-both").body
    assert "หลักฐานเปิดเผย" in seen_by_all and "/poverty-dataset/open-evidence" in seen_by_all
    assert "หลักฐานภายใน" not in seen_by_all and "closed-evidence" not in seen_by_all.split(
        'class="lampangpoverty-evidence"', 1)[-1].split("</ul>", 1)[0]
    seen_by_member = app.get("/policy-proposal/cites-both",
                             headers={"Authorization": token}).body
    assert "หลักฐานเปิดเผย" in seen_by_member and "หลักฐานภายใน" in seen_by_member

    call_action("package_patch", {"user": factories.Sysadmin()["name"]}, id="open-evidence",
                title="หลักฐานแก้ชื่อแล้ว")
    after_edit = app.get("/policy-proposal/cites-both").body
    assert "หลักฐานแก้ชื่อแล้ว" in after_edit and "หลักฐานเปิดเผย" not in after_edit


def test_search_queries_share_one_solr_connection_per_worker_thread(app, make_record):
    """CKAN opens a new connection to Solr per query; ours keep one session per thread,
    and the answers stay right."""
    from ckan.lib.search import query

    from ckanext.lampangpoverty.catalogue import solr_session

    make_record(name="kept-session-record", title="ระเบียนทดสอบการเชื่อมต่อ")
    assert query.make_connection().session is solr_session.session()
    for _ in range(3):
        found = call_action("package_search", q="name:kept-session-record")
        assert [r["name"] for r in found["results"]] == ["kept-session-record"]
    assert query.make_connection().session is solr_session.session()


def test_pages_name_the_same_built_assets_every_time(app):
    """Asset URLs are worked out once per worker (no debug): the same tags on every page,
    and each of them served."""
    def assets(body: str) -> list[str]:
        return re.findall(r'(?:src|href)="(/webassets/[^"]+)"', body)

    first = assets(app.get("/dataset/").body)
    assert first
    assert assets(app.get("/dataset/").body) == first
    for url in first:
        assert app.get(url).status_code == 200
