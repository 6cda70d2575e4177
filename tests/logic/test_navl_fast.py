"""The reindex's validation loop (logic/navl_fast.py) gives exactly what CKAN's gives: the
same data (values, keys, their order), the same errors, the same exceptions, for schemas and
data of every shape CKAN's loop handles."""
from __future__ import annotations

import copy
from typing import Any

import pytest

import ckan.lib.navl.dictization_functions as df
from ckan import model
from ckan.lib.navl.validators import ignore_missing, not_empty
from ckan.logic.schema import default_create_package_schema, default_show_package_schema

from ckanext.lampangpoverty.logic import navl_fast

CKAN_VALIDATE = df._validate


def _both(data: dict[str, Any], schema: dict[str, Any]) -> tuple[Any, Any]:
    """CKAN's validate with CKAN's loop and with ours, on copies of the same input."""
    results = []
    for loop in (CKAN_VALIDATE, navl_fast.validate_flat):
        df._validate = loop
        try:
            results.append(df.validate(copy.deepcopy(data), copy.deepcopy(schema),
                                       {"model": model, "session": model.Session,
                                        "user": "", "ignore_auth": True}))
        except Exception as e:  # the same failure from both, compared below
            results.append((type(e).__name__, str(e)))
        finally:
            df._validate = CKAN_VALIDATE
    return results[0], results[1]


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _order(key, data, errors, context) -> None:
    data[("order",)] = [*(data.get(("order",)) or []), key]


NESTED = {
    "__before": [_order], "name": [not_empty, _upper, _order], "note": [ignore_missing],
    "__after": [_order], "__junk": [_order], "__extras": [_order],
    "items": {"id": [not_empty, _order], "label": [ignore_missing, _upper], "__extras": [_order],
              "__after": [_order], "parts": {"n": [not_empty, _order], "__after": [_order]}},
    "order": [ignore_missing],
}

CASES = [
    ({"name": "a", "items": [{"id": "1", "label": "x", "other": 5,
                              "parts": [{"n": 1}, {"n": None, "extra": 2}]},
                             {"label": "y", "parts": []}], "stray": 1, "note": None}, NESTED),
    ({"name": "", "items": [], "unknown": {"deep": 1}}, NESTED),
    ({"items": "not a list of dicts"}, NESTED),
    ({"name": "b", "items": [{"id": "1", "parts": "text against a subschema"}]}, NESTED),
    ({}, NESTED),
    # an item with nothing but a list of dicts: its keys are junk to CKAN's loop
    ({"name": "c", "items": [{"parts": [{"zzz": 2}]}, {"id": "2"}]}, NESTED),
]


@pytest.mark.parametrize(("data", "schema"), CASES)
def test_same_results_as_ckans_loop(data, schema):
    theirs, ours = _both(data, schema)
    assert ours == theirs
    if isinstance(theirs, tuple) and isinstance(theirs[0], dict):
        # the same order of keys, and the validators ran in the same order
        assert list(ours[0]) == list(theirs[0])
        assert ours[0].get("order") == theirs[0].get("order")


def test_same_results_for_ckans_package_schemas():
    record = {"name": "x" * 200, "title": " ชื่อ ", "notes": "n", "private": "maybe",
              "extras": [{"key": "a", "value": "1"}, {"key": "", "value": "2"}],
              "tags": [{"name": "ดี"}, {"name": "bad!tag", "vocabulary_id": "v"}],
              "resources": [{"url": "http://x", "name": "r", "whatever": 1}, {}],
              "groups": [{"name": "g"}], "unexpected": [1, 2]}
    for schema in (default_show_package_schema(), default_create_package_schema()):
        theirs, ours = _both(record, schema)
        assert ours == theirs


def test_install_replaces_ckans_loop_only_when_asked():
    try:
        assert navl_fast.install() is True
        assert df._validate is navl_fast.validate_flat
    finally:
        df._validate = CKAN_VALIDATE


def test_install_keeps_ckans_loop_on_another_release(monkeypatch):
    monkeypatch.setattr("ckan.__version__", "2.13.0")
    assert navl_fast.install() is False
    assert df._validate is CKAN_VALIDATE
