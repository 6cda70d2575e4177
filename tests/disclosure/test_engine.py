"""The disclosure engine on synthetic BMN-style rows: identifiers found wherever they are
planted, risk measured, a failing table transformed into a release that passes, and the
release re-measured here with code independent of the gate's."""
from __future__ import annotations

import collections

import pandas as pd
import pytest

from ckanext.lampangpoverty.disclosure import detect, measure, synthetic, transform


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
    assert detect.propose_roles(df) == {
        "เลขบัตรประชาชน": "direct_identifier", "อายุ": "quasi_identifier",
        "รายได้": "sensitive", "household size": "quasi_identifier",
        "remark": "direct_identifier", "x": "other"}


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

def independent_measures(table: pd.DataFrame, quasi: list[str], sensitive: list[str]):
    """k, l per sensitive attribute, max and mean risk, by plain counting: deliberately not
    the gate's code."""
    keys = [tuple(row) for row in table[quasi].astype(str).itertuples(index=False)]
    counts = collections.Counter(keys)
    distinct = {s: collections.defaultdict(set) for s in sensitive}
    rows = table[sensitive].astype(str).itertuples(index=False)
    for key, values in zip(keys, rows, strict=False):
        for s, v in zip(sensitive, values, strict=False):
            distinct[s][key].add(v)
    risks = [1 / counts[key] for key in keys]
    return (min(counts.values()), {s: min(len(v) for v in d.values()) for s, d in distinct.items()},
            max(risks), sum(risks) / len(risks))


def test_a_failing_table_is_refused_with_the_measure_named(people):
    roles = synthetic.roles()
    quasi = [c for c, r in roles.items() if r == "quasi_identifier"]
    before = measure.measure(people, quasi, synthetic.SENSITIVE, k=5, risk_threshold=0.2)
    reasons = transform.failures(before, transform.Thresholds(), detect.find_identifiers(people))
    assert any(r.startswith("k-anonymity: k = 1, threshold k >= 5") for r in reasons)
    assert any(r.startswith("global risk:") for r in reasons)
    assert any("direct identifier (thai_id) in column national_id" in r for r in reasons)


def test_the_release_passes_and_independent_counting_agrees(people):
    thresholds = transform.Thresholds()
    result = transform.release(people, synthetic.roles(), thresholds,
                               recodes=synthetic.RECODES, household="household_id")
    assert result.passed, result.failures
    table = result.table
    assert not set(synthetic.DIRECT) & set(table.columns)
    assert "household_id" not in table.columns
    assert detect.find_identifiers(table) == []
    k, l_div, max_risk, global_risk = independent_measures(
        table, synthetic.QUASI, synthetic.SENSITIVE)
    assert k >= thresholds.k
    assert all(v >= thresholds.l for v in l_div.values())
    assert max_risk <= thresholds.max_risk
    assert global_risk < thresholds.global_risk
    assert (k, max_risk) == (result.after.k, pytest.approx(result.after.max_risk))
    assert result.after.household_max_risk is not None


def test_the_release_reports_its_information_loss(people):
    result = transform.release(people, synthetic.roles(), transform.Thresholds(),
                               recodes=synthetic.RECODES)
    assert result.loss["age"].categories_before > result.loss["age"].categories_after
    assert result.loss["income"].cells_recoded == len(people)
    assert sum(l.cells_suppressed for l in result.loss.values()) > 0
    assert 0 < result.records_changed <= len(people)
    assert result.dropped == ["household_id", *synthetic.DIRECT]


def test_the_same_input_and_settings_give_the_same_release(people):
    a = transform.release(people, synthetic.roles(), transform.Thresholds(),
                          recodes=synthetic.RECODES)
    b = transform.release(people.copy(), synthetic.roles(), transform.Thresholds(),
                          recodes=synthetic.RECODES)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_recodes():
    banded = transform.age_band(pd.Series(["3", "45", "81", "x"]))
    assert list(banded) == ["0-9", "40-49", "80+", "*"]
    assert list(transform.tambon_to_amphoe(pd.Series(["520801", "5208"]))) == ["5208", "5208"]
    assert list(transform.cap(pd.Series(["2", "6", "11"]), at=6)) == ["2", "6+", "6+"]
    bands = transform.income_band(pd.Series([str(v) for v in range(0, 100000, 1000)]))
    assert bands.iloc[0].startswith("<") and bands.iloc[-1].endswith("+")


def test_the_published_bmn_table_schema_matches_the_gate():
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "schemas" / "bmn_household_table.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    roles = {f["name"]: f["role"] for f in spec["fields"]}
    assert roles == synthetic.roles()
    recodes = {f["name"]: f["recode"] for f in spec["fields"] if "recode" in f}
    assert recodes == synthetic.RECODES
    assert set(roles.values()) <= set(detect.ROLES)


def test_a_household_risk_threshold_raises_protection_until_it_holds(people):
    """Household risk is reported by default; as a threshold it makes the transformation
    protect more (larger classes) until no household is above it."""
    kw = dict(recodes=synthetic.RECODES, household="household_id")
    reported = transform.release(people, synthetic.roles(), transform.Thresholds(), **kw)
    bounded = transform.release(people, synthetic.roles(),
                                transform.Thresholds(household_risk=0.1), **kw)

    assert reported.passed and reported.after.household_max_risk > 0.1
    assert bounded.passed and bounded.after.household_max_risk <= 0.1
    assert bounded.effective_k > reported.effective_k


def test_a_release_above_the_household_threshold_is_refused_naming_it(people):
    before = measure.measure(people, synthetic.QUASI, synthetic.SENSITIVE, k=5,
                             risk_threshold=0.2, household="household_id")
    reasons = transform.failures(before, transform.Thresholds(household_risk=0.5), [])
    assert any(r.startswith("maximum household risk: ") and "threshold <= 0.5" in r
               for r in reasons)
