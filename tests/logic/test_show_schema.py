"""``package_show`` of our types validates with a show schema stripped of what only adds errors
(a query per record, a translated message per missing value); what it returns must be exactly
what the full schema returns."""
from __future__ import annotations

from ckan.lib.navl.validators import not_empty
from ckan.lib.plugins import lookup_package_plugin
from ckan.logic.schema import default_show_package_schema
from ckan.logic.validators import package_name_validator
from ckan.tests.helpers import call_action


def _validators(schema: dict) -> set:
    found = set()
    for value in schema.values():
        found |= _validators(value) if isinstance(value, dict) else set(value)
    return found


def test_package_show_is_what_the_full_schema_gives(make_record):
    common = {"title": "  ครัวเรือนยากจน <2568>", "notes": "ข้อมูล **จปฐ.**",
              "tags": [{"name": "ความยากจน"}],
              "extras": [{"key": "guid", "value": "row-1"}, {"key": "ว่าง", "value": ""}],
              "resources": [{"url": "https://data.example.go.th/a.csv", "format": "CSV",
                             "name": "ก"}, {"url": "https://data.example.go.th/b.xlsx"}]}
    records = [make_record(name="show-dataset", area_codes=["520801", "5203"],
                           livelihood_capitals=["human", "financial"], **common),
               make_record("agency-resource", name="show-programme", budget=0,
                           fiscal_year="2568", **common)]
    for record in records:
        schema = lookup_package_plugin(record["type"]).show_package_schema()
        assert package_name_validator not in _validators(schema)
        assert not_empty not in _validators(schema)  # its copy without the translated message

        ours = call_action("package_show", {"use_cache": False}, id=record["id"])
        full = call_action("package_show", {"use_cache": False,
                                            "schema": default_show_package_schema()},
                           id=record["id"])
        assert ours == full
        assert {"key": "guid", "value": "row-1"} in ours["extras"]
