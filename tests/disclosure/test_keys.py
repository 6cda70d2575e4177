"""Record and household keys are found by their contents, whatever the header says; columns
that only look like codes (area codes, ages, incomes, sexes) are not keys."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ckanext.lampangpoverty.disclosure import keys, synthetic


@pytest.fixture(autouse=True)
def _plugins():
    """These tests need no CKAN plugin or service."""


@pytest.fixture(scope="module")
def bmn() -> pd.DataFrame:
    return synthetic.bmn(3000, seed=4)


def test_a_household_code_that_begins_with_the_tambon_code_is_a_key(bmn):
    key = keys.classify("x", bmn["household_code"])  # an innocent header changes nothing
    assert (key.kind, key.reason) == ("household_key", "area_code")
    assert key.params["distinct"] == bmn["household_code"].nunique()


def test_known_area_codes_can_be_passed_in():
    codes = pd.Series([f"5201{i % 20:02d}{i:05d}" for i in range(500)])
    assert keys.classify("x", codes, areas={f"5201{i:02d}" for i in range(20)}).reason == \
        "area_code"
    assert keys.classify("x", codes, areas=set()).reason == "unique"


@pytest.mark.parametrize("values,kind,reason", [
    ([str(i) for i in range(1, 801)], "record_key", "running_number"),
    ([str(i // 3 + 1) for i in range(900)], "household_key", "running_number"),
    ([f"HH-{i * 7919 % 100000:05d}" for i in range(600)], "record_key", "unique"),
    ([f"{2500 + i % 40}{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i:03d}" for i in range(600)],
     "record_key", "date"),
    ([f"B{i // 4:05d}X" for i in range(1200)], "household_key", "grouping"),
])
def test_keys_by_contents(values, kind, reason):
    key = keys.classify("column", pd.Series(values))
    assert key is not None and (key.kind, key.reason) == (kind, reason)


def test_areas_ages_incomes_and_sexes_are_not_keys(bmn):
    for column in ["tambon", "amphoe", "age", "income_per_person", "sex", "household_size",
                   "disability"]:
        assert keys.classify(column, bmn[column]) is None, column
    rng = np.random.default_rng(1)
    assert keys.classify("score", pd.Series(rng.integers(0, 100, 2000).astype(str))) is None


def test_find_keys_on_the_bmn_table(bmn):
    found = keys.find_keys(bmn)
    assert "household_code" in found
    assert not {"tambon", "amphoe", "age", "sex", "household_size"} & set(found)
