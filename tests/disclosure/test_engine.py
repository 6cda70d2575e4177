"""The disclosure engine on synthetic BMN-style rows: identifiers found wherever they are
planted, risk measured, a failing table transformed into a release that passes, and the
release re-measured here with code independent of the gate's."""
from __future__ import annotations

import pandas as pd
import pytest

from ckanext.lampangpoverty.disclosure import detect, measure, propose, synthetic, transform
from ckanext.lampangpoverty.disclosure import roles as role_rules

from . import independent


@pytest.fixture(autouse=True)
def _plugins():
    """These tests need no CKAN plugin or service."""


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return synthetic.households(6000)


# --------------------------------------------------------------------------- detection

@pytest.mark.parametrize("digits,valid", [
    ("1101700203450", True), ("0101700203451", True), ("0101700203452", False),
    ("1101700203452", False)])
def test_thai_id_checksum(digits, valid):
    assert detect.thai_id_valid(digits) is valid


def test_ids_starting_with_zero_are_detected():
    ids = synthetic.thai_ids(__import__("numpy").random.default_rng(1), 2000,
                             leading_zero_share=1.0)
    assert all(i.startswith("0") and detect.thai_id_valid(i) for i in ids)
    findings = detect.find_identifiers(pd.DataFrame({"remark": ids}))
    assert [(f.kind, f.count) for f in findings] == [("thai_id", 2000)]


@pytest.mark.parametrize("kind,value", [
    ("thai_id", "1-1017-00203-45-0"),
    ("thai_id", "เลข 1101700203450 ตามบัตร"),
    ("person_name", "นางสาวมาลี แก้วมูล"),
    ("person_name", "ด.ช.บุญมี ใจดี"),
    ("person_name", "ด.ญ. สุดา ปินตา"),
    ("phone", "081-234-5678"),
    ("phone", "+66 81 234 5678"),
    ("phone", "054 223 344"),
    ("address", "บ้านเลขที่ 12/3 หมู่ 4"),
    ("address", "45/1 ถ.พหลโยธิน"),
    ("coordinates", "18.290112, 99.492233"),
])
def test_an_identifier_planted_in_an_innocent_column_is_found(kind, value):
    df = pd.DataFrame({"remark": ["ไม่มี", value, "-"], "score": ["1", "2", "3"]})
    findings = detect.find_identifiers(df)
    assert (("remark", kind, [2]) in [(f.column, f.kind, f.rows) for f in findings]), findings


def test_harmless_values_are_not_flagged():
    df = pd.DataFrame({"tambon": ["520101", "520801"], "income": ["35000", "120000"],
                       "age": ["34", "71"], "note": ["ครัวเรือนยากจน", "1234567890123"]})
    assert detect.find_identifiers(df) == []  # 1234567890123 fails the checksum


def test_every_direct_column_of_the_synthetic_table_is_found(people):
    found = {f.column for f in detect.find_identifiers(people)}
    assert set(synthetic.DIRECT) <= found


def test_roles_are_proposed_from_thai_and_english_headers_and_contents():
    df = pd.DataFrame({"เลขบัตรประชาชน": ["-"], "อายุ": ["40"], "รายได้": ["1000"],
                       "household size": ["4"], "remark": ["นายสมชาย ใจดี"], "x": ["a"]})
    assert {column: p.role for column, p in propose.propose(df).items()} == {
        "เลขบัตรประชาชน": "direct_identifier", "อายุ": "quasi_identifier",
        "รายได้": "sensitive", "household size": "quasi_identifier",
        "remark": "direct_identifier", "x": "other"}  # one value: it tells nothing


# --------------------------------------------------------------------------- measures

def test_measures_on_a_small_known_table():
    df = pd.DataFrame({"sex": list("MMMFF"), "age": ["30-39"] * 3 + ["40-49"] * 2,
                       "income": ["a", "b", "a", "c", "c"], "hh": ["1", "1", "2", "3", "3"]})
    m = measure.measure(df, ["sex", "age"], ["income"], k=3, risk_threshold=0.4, household="hh")
    assert (m.k, m.classes, m.classes_below_k, m.records_below_k) == (2, 2, 1, 2)
    assert m.l_diversity == {"income": 1}
    assert m.max_risk == pytest.approx(0.5)
    assert m.global_risk == pytest.approx((3 * (1 / 3) + 2 * 0.5) / 5)
    assert m.records_above_risk == 2
    assert m.violating_rows == [3, 4]
    # Household 1 has two members of risk 1/3: 1 - (2/3)^2.
    assert m.household_max_risk == pytest.approx(0.75)


def test_an_empty_table_has_no_risk():
    m = measure.measure(pd.DataFrame({"a": []}), ["a"], [], k=5, risk_threshold=0.2)
    assert m.records == 0


# --------------------------------------------------------------------------- transformation

def test_the_release_passes_and_independent_counting_agrees(people):
    thresholds = transform.Thresholds()
    result = transform.release(people, synthetic.roles(), thresholds,
                               recodes=synthetic.RECODES, household="household_id", seed=1)
    assert result.passed, result.failures
    table = result.table
    assert not {"household_id", *synthetic.DIRECT} & set(table.columns)
    assert detect.find_identifiers(table) == []
    got = independent.measures(independent.columns(table), synthetic.QUASI, synthetic.SENSITIVE)
    assert got["k"] >= thresholds.k and got["max_risk"] <= thresholds.max_risk
    assert all(v >= thresholds.l for v in got["l"].values())
    assert got["global_risk"] < thresholds.global_risk
    assert (got["k"], got["max_risk"]) == (result.after.k, pytest.approx(result.after.max_risk))
    assert result.after.household_max_risk is not None  # any-member risk, reported


def test_the_old_recodes_are_the_least_the_search_may_choose(people):
    """The first gate's recodes (age_band 10, tambon_to_amphoe, cap 6) are floors now."""
    result = transform.release(people, synthetic.roles(), transform.Thresholds(),
                               recodes=synthetic.RECODES, seed=1)
    assert result.loss["age"].level_index >= 2  # 10-year bands or coarser
    assert result.loss["tambon"].level_index >= 1
    assert result.loss["household_size"].level_index >= 1
    assert result.codings["income"].method == "bands"


def test_the_release_reports_its_information_loss(people):
    result = transform.release(people, synthetic.roles(), transform.Thresholds(),
                               recodes=synthetic.RECODES, seed=1)
    assert result.loss["age"].categories_before > result.loss["age"].categories_after
    assert result.loss["income"].cells_recoded == len(people)
    assert 0 < result.records_changed <= len(people)
    assert result.dropped == ["household_id", *synthetic.DIRECT]
    assert 0 <= result.candidate.loss <= 1
    for column in synthetic.QUASI:
        assert 0 <= result.loss[column].loss <= 1


def test_the_same_input_settings_and_seed_give_the_same_release(people):
    kw = {"recodes": synthetic.RECODES, "seed": 3}
    a = transform.release(people, synthetic.roles(), transform.Thresholds(), **kw)
    b = transform.release(people.copy(), synthetic.roles(), transform.Thresholds(), **kw)
    pd.testing.assert_frame_equal(a.table, b.table)
    c = transform.release(people, synthetic.roles(), transform.Thresholds(),
                          recodes=synthetic.RECODES, seed=4)
    assert a.levels == c.levels and a.suppressed_records == c.suppressed_records
    # Only the row order differs: the rows themselves are the same.
    key = list(a.table.columns)
    pd.testing.assert_frame_equal(a.table.astype(str).sort_values(key).reset_index(drop=True),
                                  c.table.astype(str).sort_values(key).reset_index(drop=True))


def test_a_table_too_small_for_any_release_says_which_measure_and_what_to_change(people):
    result = transform.release(people.head(12), synthetic.roles(), transform.Thresholds(),
                               seed=1)
    assert result.status == "failed" and not result.passed
    assert any(p.measure == "global_risk" for p in result.problems)
    problem = next(p for p in result.problems if p.measure == "global_risk")
    assert "more_records" in [a.code for a in problem.advice]
    assert any(f.startswith("global risk: ") and "threshold < 3%" in f for f in result.failures)


def test_the_any_member_household_risk_is_reported_when_households_are_not_published(people):
    before = measure.measure(people, synthetic.QUASI, synthetic.SENSITIVE, k=5,
                             risk_threshold=0.2, household="household_id")
    assert before.household_max_risk == 1.0 and before.households_unique > 0
    result = transform.release(people, synthetic.roles(), transform.Thresholds(),
                               household="household_id", seed=1)
    assert result.after.household_max_risk < 1.0
    assert result.after.composition_max_risk is None  # no household key is published


@pytest.mark.parametrize("thai", [False, True])
def test_the_published_bmn_table_schema_is_what_the_gate_proposes(thai):
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "schemas" / "bmn_household_table.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    name = synthetic.BMN_COLUMNS if thai else {c: c for c in synthetic.BMN_COLUMNS}
    proposals = propose.propose(synthetic.bmn(1000, thai_headers=thai))
    assert [name[f["name"]] for f in spec["fields"]] == list(proposals)
    for field in spec["fields"]:
        p = proposals[name[field["name"]]]
        assert (field["role"], field.get("recode")) == (
            p.role, p.recode if p.role in ("quasi_identifier", "sensitive") else None)
        assert field.get("alternativeRoles", []) == p.alternatives
        assert role_rules.check({field["name"]: field["role"]},
                                {field["name"]: field["recode"]} if "recode" in field else {}) \
            == []


def test_words_and_gaps_in_an_income_column_do_not_keep_it_exact():
    raw = synthetic.bmn(1000, seed=2)
    raw.loc[::5, "income_per_person"] = "n/a"
    raw.loc[::7, "age"] = ""
    raw.loc[3, "income_per_person"] = "ask the headman"
    result = transform.release(raw, synthetic.bmn_roles(), transform.Thresholds(), seed=1)
    assert result.passed, result.failures
    cells = set(result.table["income_per_person"].astype(str))
    assert "n/a" in cells and "ask the headman" not in cells
    assert not cells & (set(raw["income_per_person"]) - {"n/a"})


def test_a_constant_column_is_not_erased_and_no_quasi_identifier_is_fine():
    raw = synthetic.bmn(1000, seed=2)
    raw["sex"] = "F"
    result = transform.release(raw, synthetic.bmn_roles(), transform.Thresholds(), seed=1)
    assert "sex" not in result.candidate.erased
    roles = {c: "direct_identifier" for c in raw.columns}
    roles.update(income_per_person="sensitive", disability="sensitive")
    plain = transform.release(raw, roles, transform.Thresholds(), seed=1)
    assert plain.passed and list(plain.table.columns) == ["income_per_person", "disability"]
    assert len(plain.table) == len(raw)


def test_pseudonyms_are_random_labels_not_in_the_order_of_the_codes():
    import numpy as np

    codes = np.repeat(np.arange(1000), 3)
    labels, number = transform._pseudonyms(codes, np.array([7]), np.random.default_rng(0))
    per_household = number[::3]
    assert per_household[7] == 0 and (labels[21:24] == "").all()  # household 7 unlinked
    kept = np.delete(np.arange(1000), 7)
    assert len(set(per_household[kept])) == 999
    assert abs(np.corrcoef(kept, per_household[kept])[0, 1]) < 0.1
    assert all(str(x).startswith("H") for x in labels[:21])


def test_households_are_grouped_by_the_multiset_of_their_members():
    import numpy as np

    household = np.array([0, 0, 1, 1, 2, 2, 3, -1])
    member_class = np.array([5, 6, 6, 5, 5, 5, 6, 9])  # 0 and 1 hold {5, 6}, in any order
    found = measure.household_classes(household, member_class)
    assert list(found.households) == [0, 1, 2, 3]
    assert list(found.sizes) == [2, 2, 1, 1]
