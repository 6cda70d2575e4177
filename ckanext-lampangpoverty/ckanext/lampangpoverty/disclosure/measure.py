"""Re-identification risk of a table, treating it as a census (BMN/จปฐ. covers every
household): a record's individual risk is 1/f_k, f_k being the number of records that share
its quasi-identifier values (its equivalence class)."""
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
    household_max_risk: float | None = None
    household_global_risk: float | None = None
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


def measure(df: pd.DataFrame, quasi: list[str], sensitive: list[str], *, k: int,
            risk_threshold: float, household: str | None = None) -> Measures:
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
    if household:
        # A household is disclosed if any of its members is: 1 - prod(1 - r_i).
        frame = pd.DataFrame({"h": df[household].to_numpy(), "keep": 1.0 - risk})
        hh_risk = 1.0 - frame.groupby("h", sort=False)["keep"].prod()
        hh_max, hh_mean = float(hh_risk.max()), float(hh_risk.mean())

    return Measures(
        records=n, k=int(sizes.min()), classes=classes, classes_below_k=classes_below,
        records_below_k=int(below.sum()), l_diversity=l_div, max_risk=float(risk.max()),
        global_risk=float(risk.mean()), records_above_risk=int((risk > risk_threshold).sum()),
        household_max_risk=hh_max, household_global_risk=hh_mean,
        violating_rows=np.flatnonzero(below).tolist())
