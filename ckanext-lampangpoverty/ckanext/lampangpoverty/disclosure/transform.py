"""From a raw household table to a release: drop direct identifiers, recode, then suppress
the fewest quasi-identifier cells that bring every record to the thresholds, and measure
again. Deterministic: the same table and settings give the same release."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import detect
from .measure import SUPPRESSED, Measures, class_ids, measure


@dataclass
class Thresholds:
    k: int = 5
    l: int = 2
    max_risk: float = 0.2
    global_risk: float = 0.03
    household_risk: float = 1.0             # largest household risk; 1.0: reported only


@dataclass
class ColumnLoss:
    categories_before: int
    categories_after: int
    cells_recoded: int = 0
    cells_suppressed: int = 0


@dataclass
class Release:
    table: pd.DataFrame
    before: Measures
    after: Measures
    dropped: list[str]
    loss: dict[str, ColumnLoss]
    records_changed: int
    effective_k: int
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


# --------------------------------------------------------------------------- recodes

def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.astype("string").str.replace(",", "", regex=False), errors="coerce")


def age_band(values: pd.Series, width: int = 10, top: int = 80) -> pd.Series:
    ages = _numbers(values)
    low = (ages // width * width).clip(upper=top)
    label = low.map(lambda a: f"{int(a)}+" if a >= top else f"{int(a)}-{int(a) + width - 1}",
                    na_action="ignore")
    return label.astype("string").fillna(SUPPRESSED)


def tambon_to_amphoe(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.where(text.str.len() < 6, text.str[:4]).fillna(SUPPRESSED)


def income_band(values: pd.Series, step: int = 1000) -> pd.Series:
    """Bands at the 5th, 25th, 50th, 75th and 95th percentiles (rounded to ``step`` baht),
    with bottom and top coding beyond the outer ones."""
    income = _numbers(values)
    edges = sorted({int(round(q / step) * step) for q in income.quantile([.05, .25, .5, .75, .95])
                    .dropna()})
    if not edges:
        return pd.Series(SUPPRESSED, index=values.index, dtype="string")
    labels = [f"<{edges[0]}", *(f"{a}-{b - 1}" for a, b in itertools.pairwise(edges)),
              f"{edges[-1]}+"]
    bins = np.digitize(income.fillna(-1).to_numpy(), edges)
    out = pd.Series(np.array(labels, dtype=object)[bins], index=values.index, dtype="string")
    return out.where(income.notna(), SUPPRESSED)


def cap(values: pd.Series, at: int = 6) -> pd.Series:
    n = _numbers(values)
    out = n.map(lambda v: f"{at}+" if v >= at else str(int(v)), na_action="ignore")
    return out.astype("string").fillna(SUPPRESSED)


RECODES = {"age_band": age_band, "tambon_to_amphoe": tambon_to_amphoe,
           "income_band": income_band, "cap": cap}


def recode(df: pd.DataFrame, recodes: dict[str, dict[str, Any]]) -> pd.DataFrame:
    out = df.copy()
    for column, spec in recodes.items():
        params = {k: v for k, v in spec.items() if k != "method"}
        out[column] = RECODES[spec["method"]](out[column], **params)
    return out


# --------------------------------------------------------------------------- suppression

def _weak_records(df: pd.DataFrame, quasi: list[str], sensitive: list[str], k: int,
                  l: int) -> np.ndarray:
    ids = class_ids(df, quasi)
    weak = np.bincount(ids)[ids] < k
    for s in sensitive:
        pairs = pd.DataFrame({"c": ids, "s": pd.factorize(df[s], use_na_sentinel=False)[0]})
        distinct = pairs.drop_duplicates().groupby("c").size().reindex(range(ids.max() + 1),
                                                                       fill_value=0).to_numpy()
        weak |= distinct[ids] < l
    return weak


def suppress(df: pd.DataFrame, quasi: list[str], sensitive: list[str], k: int,
             l: int) -> pd.DataFrame:
    """Local suppression: for the records that break k or l, blank one quasi-identifier at a
    time, the most detailed first (most categories; ties by name), until none breaks them."""
    out = df.copy()
    order = sorted(quasi, key=lambda q: (-out[q].nunique(dropna=False), q))
    for column in order:
        weak = _weak_records(out, quasi, sensitive, k, l)
        if not weak.any():
            return out
        out.loc[weak, column] = SUPPRESSED
    return out


# --------------------------------------------------------------------------- gate

def failures(measures: Measures, thresholds: Thresholds,
             identifiers: list[detect.Finding]) -> list[str]:
    """Each measure that misses its threshold, with value and threshold."""
    out = []
    if measures.records and measures.k < thresholds.k:
        out.append(f"k-anonymity: k = {measures.k}, threshold k >= {thresholds.k}")
    for s, value in measures.l_diversity.items():
        if value < thresholds.l:
            out.append(f"l-diversity of {s}: l = {value}, threshold l >= {thresholds.l}")
    if measures.max_risk > thresholds.max_risk:
        out.append(f"maximum individual risk: {measures.max_risk:.3f}, "
                   f"threshold <= {thresholds.max_risk}")
    if measures.global_risk >= thresholds.global_risk:
        out.append(f"global risk: {measures.global_risk:.2%}, "
                   f"threshold < {thresholds.global_risk:.0%}")
    if (measures.household_max_risk is not None
            and measures.household_max_risk > thresholds.household_risk):
        out.append(f"maximum household risk: {measures.household_max_risk:.3f}, "
                   f"threshold <= {thresholds.household_risk}")
    for f in identifiers:
        out.append(f"direct identifier ({f.kind}) in column {f.column}: {f.count} cells")
    return out


def release(df: pd.DataFrame, roles: dict[str, str], thresholds: Thresholds, *,
            recodes: dict[str, dict[str, Any]] | None = None,
            household: str | None = None) -> Release:
    """The whole transformation, measured before and after."""
    quasi = [c for c, r in roles.items() if r == "quasi_identifier"]
    sensitive = [c for c, r in roles.items() if r == "sensitive"]
    dropped = [c for c, r in roles.items() if r == "direct_identifier"]
    before = measure(df, quasi, sensitive, k=thresholds.k, risk_threshold=thresholds.max_risk,
                     household=household)

    kept = df.drop(columns=dropped)
    recoded = recode(kept, recodes or {})
    # Raise the class size asked of suppression until the global risk (and the household
    # risk, when it has a threshold) also passes: a census needs classes averaging more
    # than 1/global_risk records. The household column is not published; the release is
    # measured with it beside.
    effective_k = thresholds.k
    while True:
        out = suppress(recoded, quasi, sensitive, effective_k, thresholds.l)
        measured = out.assign(**{household: df[household].to_numpy()}) if household else out
        after = measure(measured, quasi, sensitive, k=thresholds.k,
                        risk_threshold=thresholds.max_risk, household=household)
        households_pass = (after.household_max_risk is None
                           or after.household_max_risk <= thresholds.household_risk)
        if (after.global_risk < thresholds.global_risk and households_pass) \
                or effective_k >= len(out):
            break
        effective_k *= 2

    loss = {}
    for c in out.columns:
        loss[c] = ColumnLoss(
            categories_before=int(kept[c].nunique(dropna=False)),
            categories_after=int(out[c].nunique(dropna=False)),
            cells_recoded=int((kept[c].astype("string").fillna("")
                               != recoded[c].astype("string").fillna("")).sum())
            if c in (recodes or {}) else 0,
            cells_suppressed=int(((out[c] == SUPPRESSED) & (recoded[c] != SUPPRESSED)).sum()))
    changed = (out.astype("string").fillna("") != kept.astype("string").fillna("")).any(axis=1)
    result = Release(table=out, before=before, after=after, dropped=dropped, loss=loss,
                     records_changed=int(changed.sum()), effective_k=effective_k)
    result.failures = failures(after, thresholds, detect.find_identifiers(out))
    return result

