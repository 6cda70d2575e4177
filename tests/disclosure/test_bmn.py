"""BMN-style household tables put through the engine the way a busy editor would (accept every
proposed role and recode, release), then checked by code that knows nothing of the engine:
the failure classes of issue 11 are planted (a household code that begins with the tambon
code, an exact income with one household at 2,400,000 baht, rare sensitive categories, tables
too small for fine recodes)."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from ckanext.lampangpoverty.disclosure import propose, report, synthetic, transform

from . import independent

EXPECTED = {
    "household_code": ("direct_identifier", "key_area_code"),
    "national_id": ("direct_identifier", "identifier_thai_id"),
    "full_name": ("direct_identifier", None),
    "address": ("direct_identifier", "identifier_address"),
    "phone": ("direct_identifier", "identifier_phone"),
    "latitude": ("direct_identifier", "identifier_coordinates"),
    "longitude": ("direct_identifier", "identifier_coordinates"),
    "amphoe": ("quasi_identifier", None), "tambon": ("quasi_identifier", None),
    "sex": ("quasi_identifier", None), "age": ("quasi_identifier", None),
    "household_size": ("quasi_identifier", None),
    "income_per_person": ("sensitive", "sensitive_numeric"),
    "disability": ("sensitive", None), "chronic_illness": ("sensitive", None),
    "welfare_card": ("sensitive", None), "note": ("direct_identifier", None),
}
HIERARCHY = {"amphoe": "area", "tambon": "area", "age": "age",
             "household_size": "household_size", "sex": "categorical"}


@pytest.fixture(autouse=True)
def _plugins():
    """These tests need no CKAN plugin or service."""


def accepted(df: pd.DataFrame):
    proposals = propose.propose(df)
    return ({c: p.role for c, p in proposals.items()},
            {c: p.recode for c, p in proposals.items()})


@pytest.mark.parametrize("thai", [False, True])
def test_every_column_gets_a_role_a_recode_and_a_reason(thai):
    df = synthetic.bmn(800, thai_headers=thai)
    proposals = propose.propose(df)
    names = synthetic.BMN_COLUMNS if thai else {c: c for c in synthetic.BMN_COLUMNS}
    for english, (role, reason) in EXPECTED.items():
        p = proposals[names[english]]
        assert p.role == role, (english, p.as_dict())
        assert reason is None or p.reason == reason, (english, p.as_dict())
        assert p.reason in propose.REASONS and p.text()  # every message fills in
        if role == "quasi_identifier":
            assert p.recode == {"method": HIERARCHY[english]}
    assert "household_key" in proposals[names["household_code"]].alternatives
    assert proposals[names["income_per_person"]].recode["method"] == "bands"


def planted_values(df: pd.DataFrame) -> dict[str, set[str]]:
    return {"key": set(df["household_code"]), "id": set(df["national_id"]),
            "phone": set(df["phone"]), "income": set(df["income_per_person"])}


def assert_no_key_and_no_exact_income(table: pd.DataFrame, raw: pd.DataFrame) -> None:
    cells = set()
    for column in table.columns:
        cells |= set(map(str, table[column].unique()))
    for kind, values in planted_values(raw).items():
        assert not cells & values, kind
    assert str(synthetic.OUTLIER_INCOME) not in cells
    assert not any(re.fullmatch(r"52\d{6,}", c) for c in cells)  # no code embedding a tambon


def assert_thresholds(table: pd.DataFrame, thresholds, quasi, sensitive) -> None:
    got = independent.measures(independent.columns(table), quasi, sensitive)
    assert got["k"] >= thresholds.effective_k
    assert all(v >= thresholds.l for v in got["l"].values()), got["l"]
    assert got["max_risk"] <= thresholds.max_risk
    assert got["global_risk"] < thresholds.global_risk
    canon = independent.pycanon(table, quasi, sensitive)
    if canon is not None:  # pycanon could be installed: a third-party opinion agrees
        assert canon["k"] == got["k"] and canon["l"] == got["l"]


@pytest.mark.parametrize("rows", [800, 3000, 20000])
def test_an_editor_who_accepts_every_proposal_gets_a_safe_release(rows):
    raw = synthetic.bmn(rows, seed=rows)
    roles, recodes = accepted(raw)
    thresholds = transform.Thresholds()
    result = transform.release(raw, roles, thresholds, recodes=recodes, seed=1)
    assert result.passed, result.failures
    quasi = [c for c, r in roles.items() if r == "quasi_identifier"]
    sensitive = [c for c, r in roles.items() if r == "sensitive"]
    assert_thresholds(result.table, thresholds, quasi, sensitive)
    assert_no_key_and_no_exact_income(result.table, raw)
    coding = result.codings["income_per_person"]
    assert coding.cells_top >= thresholds.k and coding.top < synthetic.OUTLIER_INCOME
    # Amber exactly when the release keeps little, green otherwise.
    erased = [c for c in quasi if result.loss[c].erased]
    share = result.suppressed_cells / (len(raw) * len(quasi))
    assert (result.status == "amber") == bool(erased or share > 0.2 or not result.optimal)


def test_a_rare_sensitive_category_is_reached_by_recoding_not_refused():
    raw = synthetic.bmn(20000, seed=20000)
    assert (raw["disability"] == "yes").mean() < 0.05
    roles, recodes = accepted(raw)
    result = transform.release(raw, roles, transform.Thresholds(), recodes=recodes, seed=1)
    assert result.status == "passed", ([f.text() for f in result.flags], result.failures)
    assert result.after.l_diversity["disability"] >= 2
    assert not result.candidate.erased


def test_a_kept_household_key_becomes_a_pseudonym_that_reveals_nothing():
    raw = synthetic.bmn(3000, seed=8)
    roles, recodes = accepted(raw)
    roles["household_code"] = "household_key"
    thresholds = transform.Thresholds()
    assert thresholds.household_risk < 1.0  # household risk is gated by default
    result = transform.release(raw, roles, thresholds, recodes=recodes, seed=5)
    assert result.passed, result.failures
    table = result.table
    pseudonyms = [p for p in table["household_code"].astype(str) if p]
    assert not set(pseudonyms) & set(raw["household_code"])
    assert all(re.fullmatch(r"H\d+", p) for p in pseudonyms)
    # Members stay together: the pseudonyms' group sizes are households' sizes.
    sizes = raw.groupby("household_code").size()
    assert set(pd.Series(pseudonyms).value_counts()) <= set(sizes)
    quasi = [c for c, r in roles.items() if r == "quasi_identifier"]
    before = independent.household_risk(independent.columns(raw), "household_code", quasi)
    after = independent.household_risk(independent.columns(table), "household_code", quasi)
    assert before["unique"] > 0
    assert after["max_risk"] <= thresholds.household_risk
    assert after["households"] + result.unlinked_households == before["households"]
    other = transform.release(raw, roles, thresholds, recodes=recodes, seed=6)
    assert other.levels == result.levels  # only pseudonyms and row order depend on the seed


def test_an_exact_income_needs_the_editors_choice_and_the_outlier_is_coded_anyway():
    raw = synthetic.bmn(3000, seed=9)
    roles, recodes = accepted(raw)
    recodes["income_per_person"] = {"method": "topcode", "top": 99, "bottom": 1}
    result = transform.release(raw, roles, transform.Thresholds(), recodes=recodes, seed=1)
    cells = set(result.table["income_per_person"].astype(str))
    assert str(synthetic.OUTLIER_INCOME) not in cells
    assert any(c.endswith("+") for c in cells) and any(c.startswith("<") for c in cells)
    assert "numeric_exact" in [f.code for f in result.flags] and result.status == "amber"


def test_a_table_too_small_for_fine_recodes_is_amber_and_says_why():
    raw = synthetic.bmn(800, seed=800)
    roles, recodes = accepted(raw)
    result = transform.release(raw, roles, transform.Thresholds(), recodes=recodes, seed=1)
    assert result.passed and result.status == "amber"
    erased = [f.params["column"] for f in result.flags if f.code == "column_erased"]
    assert erased == result.candidate.erased and erased
    summary = report.public(result, transform.Thresholds())
    assert summary["status"] == "amber" and summary["flags"]


def test_alternatives_and_column_costs_let_the_editor_choose():
    raw = synthetic.bmn(3000, seed=3000)
    roles, recodes = accepted(raw)
    thresholds = transform.Thresholds()
    prep = transform.prepare(raw, roles, thresholds, recodes=recodes)
    candidates = transform.alternatives(raw, roles, thresholds, prepared=prep)
    best = transform.release(raw, roles, thresholds, recodes=recodes, seed=1)
    assert candidates and candidates[0].levels == best.levels
    assert len({tuple(c.level_index.values()) for c in candidates}) == len(candidates)
    for c in candidates[1:]:  # each keeps some column finer than the best release
        assert any(c.level_index[q] < best.candidate.level_index[q] for q in c.levels)
        picked = transform.release(raw, roles, thresholds, recodes={**recodes, **c.recodes()},
                                   seed=1)
        assert picked.passed and picked.levels == c.levels
    costs = transform.column_costs(raw, roles, thresholds, prepared=prep)
    for column, cost in costs.items():
        assert cost.chosen == best.levels[column]
        for level in cost.levels:
            if level["release_loss"] is not None:
                erased = len(level["erased_columns"])
                assert 2 * erased + level["release_loss"] >= \
                    2 * len(best.candidate.erased) + best.candidate.loss - 1e-9


def test_the_report_lists_exactly_the_methods_applied():
    raw = synthetic.bmn(3000, seed=3000)
    roles, recodes = accepted(raw)
    thresholds = transform.Thresholds()
    result = transform.release(raw, roles, thresholds, recodes=recodes, seed=1)
    internal = report.internal(result, thresholds, roles, recodes)
    json.dumps(internal)  # the gate stores both reports as JSON
    json.dumps(report.public(result, thresholds))
    by_code = {}
    for entry in internal["methods"]:
        by_code.setdefault(entry["code"], []).append(entry)
        assert report.text(entry)  # the message fills in
    quasi = [c for c, r in roles.items() if r == "quasi_identifier"]
    described = {e["params"]["column"]: e for code in ("keep", "generalise", "erase")
                 for e in by_code.get(code, [])}
    assert set(described) == set(quasi)
    for column in quasi:
        entry = described[column]
        if result.loss[column].erased:
            assert entry["code"] == "erase"
        else:
            assert entry["params"]["level"] == result.levels[column]
    assert ("suppress" in by_code) == bool(result.suppressed_records)
    coded = by_code["code"][0]["params"]
    assert coded["top"] == result.codings["income_per_person"].top
    assert set(internal["dropped_columns"]) == {c for c, r in roles.items()
                                                if r == "direct_identifier"}
    # Messages are message ids: the same text whatever the data, values only in params.
    other = transform.release(synthetic.bmn(20000, seed=1), roles, thresholds, recodes=recodes,
                              seed=1)
    messages = {e["code"]: e["message"] for e in report.internal(other, thresholds, roles,
                                                                  recodes)["methods"]}
    for code, entries in by_code.items():
        if code in messages:
            assert entries[0]["message"] == messages[code]
