"""The lattice search against an exhaustive one: on tables of a few thousand rows with up to six
quasi-identifiers, the release the engine picks loses no more information (fewest erased
columns, then least loss) than the best node found by trying every node of the same
hierarchies with the independent implementation in ``independent.py``."""
from __future__ import annotations

import pytest

from ckanext.lampangpoverty.disclosure import hierarchy, synthetic, transform

from . import independent


@pytest.fixture(autouse=True)
def _plugins():
    """These tests need no CKAN plugin or service."""


def compare(df, roles, thresholds, household=None):
    prep = transform.prepare(df, roles, thresholds)
    result = transform.release(df, roles, thresholds, seed=1, prepared=prep)
    best = independent.exhaustive(df, thresholds, prep, household)
    assert best is not None and result.passed, result.failures
    engine = 2 * len(result.candidate.erased) + result.candidate.loss
    assert result.optimal
    assert engine <= best[0] + 1e-6, (result.levels, best)
    return result, best


@pytest.mark.parametrize("rows", [800, 3000, 20000])
def test_the_bmn_release_loses_no_more_than_the_exhaustive_optimum(rows):
    df = synthetic.bmn(rows, seed=rows)
    result, best = compare(df, synthetic.bmn_roles(), transform.Thresholds())
    best_levels = dict(zip(synthetic.BMN_QUASI, best[1], strict=False))
    assert result.candidate.level_index == best_levels or \
        abs(2 * len(result.candidate.erased) + result.candidate.loss - best[0]) < 1e-6


def test_six_quasi_identifiers_lose_no_more_than_the_exhaustive_optimum():
    df = synthetic.households(3000, seed=5)
    six = ["tambon", "sex", "age", "education", "household_size", "religion"]
    roles = {c: ("quasi_identifier" if c in six else "sensitive" if c in synthetic.SENSITIVE
                 else "direct_identifier") for c in df.columns}
    compare(df, roles, transform.Thresholds(k=3, global_risk=0.05))


def test_a_kept_household_key_is_optimised_with_household_risk_too():
    df = synthetic.bmn(1500, seed=3)
    roles = synthetic.bmn_roles(keep_household=True)
    thresholds = transform.Thresholds(household_risk=0.5, suppression_budget=0.05)
    result, _ = compare(df, roles, thresholds, household=synthetic.BMN_KEY)
    assert result.after.composition_max_risk <= 0.5


def test_hierarchies_nest_and_their_loss_grows():
    df = synthetic.bmn(3000)
    for column in synthetic.BMN_QUASI:
        h = hierarchy.build(column, df[column])
        for low in range(h.top):
            groups = {}
            for a, b in zip(h.codes(low), h.codes(low + 1), strict=False):
                assert groups.setdefault(a, b) == b  # each group goes wholly into one above
            assert h.loss[low] <= h.loss[low + 1]
        assert h.labels[h.top] == [hierarchy.SUPPRESSED] and h.loss[h.top] == 1.0


def test_hierarchy_levels():
    def levels(kind, values):
        import pandas as pd
        h = hierarchy.build("x", pd.Series(values, dtype="string"), kind)
        return [list(h.publish(j)) for j in range(h.top + 1)]
    ages = [str(a) for a in range(100)]
    assert [row[47] for row in levels("age", ages)] == ["47", "45-49", "40-49", "40-59", "*"]
    assert [row[92] for row in levels("age", ages)] == ["92", "85+", "80+", "60+", "*"]
    tambon = levels("area", ["520101", "520102", "520201", "520202"] * 3)
    assert tambon[:2] == [["520101", "520102", "520201", "520202"] * 3,
                          ["5201", "5201", "5202", "5202"] * 3]
    assert [row[-1] for row in levels("household_size", [str(s) for s in range(1, 11)])] == \
        ["10", "6+", "5+", "*"]
