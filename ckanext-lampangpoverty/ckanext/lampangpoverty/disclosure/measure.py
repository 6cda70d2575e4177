"""Re-identification risk of a table, treating it as a census (BMN/จปฐ. covers every
household): a record's individual risk is 1/f_k, f_k being the number of records that share
its quasi-identifier values (its equivalence class).

Households: when a release links the members of a household (a household key, even a
pseudonym), whoever knows a household's composition (its area, size, the sex and age of its
members: the multiset of its members' quasi-identifier values) can look for it. A household's
risk is then 1/F, F being the number of households of the same composition."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SUPPRESSED = "*"


@dataclass
class Measures:
    records: int
    k: int                                  # smallest equivalence class
    classes: int
    classes_below_k: int
    records_below_k: int
    l_diversity: dict[str, int]             # per sensitive attribute: smallest distinct count
    max_risk: float
    global_risk: float                      # mean individual risk (expected re-identifications / n)
    records_above_risk: int
    household_max_risk: float | None = None     # any member re-identified: 1 - prod(1 - r)
    household_global_risk: float | None = None
    households: int | None = None               # linked households (composition measures)
    composition_max_risk: float | None = None   # 1/F, F = households of the same composition
    composition_global_risk: float | None = None
    households_unique: int | None = None        # households whose composition is unique
    violating_rows: list[int] = field(default_factory=list)  # 0-based rows in classes below k

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out.pop("violating_rows")
        return out


def _codes(values: pd.Series) -> np.ndarray:
    return pd.factorize(values, use_na_sentinel=False)[0]


def class_ids(df: pd.DataFrame, quasi: list[str]) -> np.ndarray:
    """The equivalence class of every record (records with equal quasi-identifiers)."""
    if not quasi:
        return np.zeros(len(df), dtype=np.int64)
    codes = pd.DataFrame({q: _codes(df[q]) for q in quasi})
    return codes.groupby(quasi, sort=False).ngroup().to_numpy()


def dense(key: np.ndarray) -> np.ndarray:
    """Each value's rank among the distinct values of ``key`` (an inverse, by sorting)."""
    if not key.size:
        return key.astype(np.int64)
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    rank = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1
    out = np.empty(len(key), dtype=np.int64)
    out[order] = rank
    return out


@dataclass
class HouseholdClasses:
    households: np.ndarray      # the household codes (one per household)
    composition: np.ndarray     # composition class of each household
    sizes: np.ndarray           # households sharing each household's composition (F)


def household_classes(household: np.ndarray, record_class: np.ndarray) -> HouseholdClasses | None:
    """Households grouped by composition: equal when they have the same number of members
    and the same multiset of member classes. ``household`` holds integer codes, negative for
    records that belong to no (linked) household. Exact: compositions are compared member by
    member after sorting, never hashed."""
    linked = household >= 0
    if not linked.any():
        return None
    hh, rc = household[linked], record_class[linked].astype(np.int64)
    order = np.lexsort((rc, hh))
    hh, rc = hh[order], rc[order]
    starts = np.flatnonzero(np.r_[True, hh[1:] != hh[:-1]])
    size = np.diff(np.r_[starts, len(hh)])
    span = int(rc.max()) + 2 if len(rc) else 2
    group = dense(size)
    group = group.astype(np.int64)
    offset = int(group.max()) + 1
    # Households of different sizes are already apart: refine, member by member, only the
    # households that still have a member at this position.
    for position in range(int(size.max())):
        inside = np.flatnonzero(size > position)
        new = dense(group[inside] * span + rc[starts[inside] + position] + 1)
        group[inside] = new + offset
        offset += int(new.max()) + 1
    group = dense(group)
    return HouseholdClasses(hh[starts], group, np.bincount(group)[group])


def _household_codes(values: pd.Series) -> np.ndarray:
    text = values.astype("string").fillna("").str.strip()
    codes = _codes(text).astype(np.int64)
    return np.where(text.to_numpy() == "", -1, codes)


def measure(df: pd.DataFrame, quasi: list[str], sensitive: list[str], *, k: int,
            risk_threshold: float, household: str | None = None,
            linked: bool = True) -> Measures:
    """All measures of ``df``. With ``household``, the any-member household risk; and when
    the release links households (``linked``: the column is published, or measured as if
    it were), the composition risk."""
    n = len(df)
    if n == 0:
        return Measures(0, 0, 0, 0, 0, {s: 0 for s in sensitive}, 0.0, 0.0, 0)
    class_id = class_ids(df, quasi)
    sizes = np.bincount(class_id)[class_id]
    risk = 1.0 / sizes
    below = sizes < k
    classes = int(class_id.max()) + 1
    classes_below = int(np.unique(class_id[below]).size)

    l_div = {}
    for s in sensitive:
        pairs = pd.DataFrame({"c": class_id, "s": _codes(df[s])}).drop_duplicates()
        l_div[s] = int(pairs.groupby("c").size().min())

    hh_max = hh_mean = None
    composition = None
    if household:
        # A household is disclosed if any of its members is: 1 - prod(1 - r_i).
        codes = _household_codes(df[household])
        frame = pd.DataFrame({"h": codes, "keep": 1.0 - risk})[codes >= 0]
        hh_risk = 1.0 - frame.groupby("h", sort=False)["keep"].prod()
        if len(hh_risk):
            hh_max, hh_mean = float(hh_risk.max()), float(hh_risk.mean())
        if linked:
            composition = household_classes(codes, class_id)

    result = Measures(
        records=n, k=int(sizes.min()), classes=classes, classes_below_k=classes_below,
        records_below_k=int(below.sum()), l_diversity=l_div, max_risk=float(risk.max()),
        global_risk=float(risk.mean()), records_above_risk=int((risk > risk_threshold).sum()),
        household_max_risk=hh_max, household_global_risk=hh_mean,
        violating_rows=np.flatnonzero(below).tolist())
    if composition is not None:
        result.households = len(composition.sizes)
        result.composition_max_risk = float(1.0 / composition.sizes.min())
        result.composition_global_risk = float((1.0 / composition.sizes).mean())
        result.households_unique = int((composition.sizes == 1).sum())
    return result
