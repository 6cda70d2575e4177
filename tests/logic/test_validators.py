"""Tag validation: Thai tags (with their vowel and tone marks) are accepted, markup is not."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests.helpers import call_action


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestThaiTags:
    def test_thai_tags_are_accepted_in_a_tag_list(self, make_record):
        ds = make_record(tags=[{"name": "เมืองลำปาง"}, {"name": "ผู้สูงอายุ"}])
        assert sorted(t["name"] for t in ds["tags"]) == sorted(["เมืองลำปาง", "ผู้สูงอายุ"])

    def test_thai_tags_are_accepted_in_a_tag_string(self, make_record):
        ds = make_record(tag_string="ความยากจน, แม่ทะ")
        assert sorted(t["name"] for t in ds["tags"]) == sorted(["ความยากจน", "แม่ทะ"])
        assert call_action("package_search", fq='tags:"ความยากจน"')["count"] == 1

    # GD-Catalog tags keep / & + ( ) [ ] ' : (issue 14); other punctuation is refused.
    @pytest.mark.parametrize("bad", ["<script>alert(1)</script>", "a|b", "ภาษี;DROP", 'a"b'])
    def test_markup_and_punctuation_are_refused_with_the_field_named(self, make_record, bad):
        with pytest.raises(tk.ValidationError) as e:
            make_record(tags=[{"name": bad}])
        assert "tags" in e.value.error_dict
        assert bad in str(e.value.error_dict["tags"])
