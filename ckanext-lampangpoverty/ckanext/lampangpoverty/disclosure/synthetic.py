"""Synthetic BMN-style person rows for tests and ``bench/``: Thai names with honorifics, valid
national IDs (some starting with 0), phones, house numbers, household coordinates and real
Lampang tambon codes. Seeded, so every run makes the same table. Nobody in it exists."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalogue import areas

FIRST = ["สมชาย", "สมศรี", "บุญมี", "มาลี", "ประเสริฐ", "สุดา", "วิชัย", "อรุณี", "จันทร์เพ็ญ",
         "ทองดี", "แสงเดือน", "บุญเรือง", "คำปัน", "ศรีนวล", "อินทร์", "ดวงใจ", "เกษม", "พิมพ์"]
LAST = ["ใจดี", "แก้วมูล", "ปัญญาดี", "สุขเสมอ", "คำแสน", "อินต๊ะ", "ศรีวงค์", "กันทะวงศ์",
        "ปินตา", "ชัยมงคล", "เตจ๊ะ", "บุญมา", "จันทร์แก้ว", "ยาวิชัย"]
EDUCATION = ["none", "primary", "lower_secondary", "upper_secondary", "vocational", "bachelor"]
OCCUPATION = ["farmer", "labourer", "trader", "unemployed", "student", "civil_servant", "retired"]
MARITAL = ["single", "married", "widowed", "divorced"]
RELIGION = ["buddhist", "christian", "muslim", "other"]
QUASI = ["tambon", "village", "sex", "age", "education", "occupation", "marital_status",
         "household_size", "religion", "disability"]
SENSITIVE = ["income", "debt_status"]
DIRECT = ["national_id", "full_name", "phone", "address", "latitude", "longitude"]


def thai_ids(rng: np.random.Generator, n: int, leading_zero_share: float = 0.02) -> np.ndarray:
    digits = rng.integers(0, 10, size=(n, 12))
    digits[:, 0] = rng.integers(1, 9, size=n)
    digits[rng.random(n) < leading_zero_share, 0] = 0
    weights = np.arange(13, 1, -1)
    check = (11 - (digits * weights).sum(axis=1) % 11) % 10
    all_digits = np.column_stack([digits, check]).astype(str)
    return np.array(["".join(row) for row in all_digits])


def households(n_rows: int, seed: int = 52) -> pd.DataFrame:
    """About ``n_rows`` person rows grouped into households of 1 to 8 persons."""
    rng = np.random.default_rng(seed)
    tambons = np.array([c for c, a in areas.areas().items() if a.level == "tambon"])
    sizes = rng.integers(1, 9, size=n_rows // 3 + 1)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n_rows) + 1]
    hh = np.repeat(np.arange(len(sizes)), sizes)[:n_rows]
    n = len(hh)
    per_hh = lambda values: values[hh]  # noqa: E731 - one value per household, on each member
    tambon = per_hh(rng.choice(tambons, size=len(sizes)))
    village = per_hh(rng.integers(1, 16, size=len(sizes)))
    house = per_hh(rng.integers(1, 400, size=len(sizes)))
    lat = per_hh(rng.uniform(17.4, 19.1, size=len(sizes)))
    lon = per_hh(rng.uniform(99.0, 100.1, size=len(sizes)))
    honorific = np.array(["นาย", "นาง", "นางสาว", "ด.ช.", "ด.ญ."])[rng.integers(0, 5, n)]
    age = rng.integers(0, 95, n)
    return pd.DataFrame({
        "household_id": (hh + 1).astype(str),
        "national_id": thai_ids(rng, n),
        "full_name": [f"{h}{f} {last}" for h, f, last in zip(
            honorific, rng.choice(FIRST, n), rng.choice(LAST, n), strict=False)],
        "phone": ["08" + "".join(map(str, d)) for d in rng.integers(0, 10, size=(n, 8))],
        "address": [f"{h}/{v} หมู่ {v}" for h, v in zip(house, village, strict=False)],
        "latitude": np.round(lat, 6).astype(str),
        "longitude": np.round(lon, 6).astype(str),
        "tambon": tambon,
        "village": village.astype(str),
        "sex": rng.choice(["M", "F"], n),
        "age": age.astype(str),
        "education": rng.choice(EDUCATION, n),
        "occupation": rng.choice(OCCUPATION, n),
        "marital_status": rng.choice(MARITAL, n),
        "household_size": np.bincount(hh)[hh].astype(str),
        "religion": rng.choice(RELIGION, n, p=[0.9, 0.05, 0.03, 0.02]),
        "disability": rng.choice(["no", "yes"], n, p=[0.93, 0.07]),
        "income": (rng.lognormal(10.3, 0.7, n) // 100 * 100).astype(int).astype(str),
        "debt_status": rng.choice(["none", "formal", "informal", "both"], n),
    })


def roles() -> dict[str, str]:
    out = {c: "direct_identifier" for c in ["household_id", *DIRECT]}
    out.update({c: "quasi_identifier" for c in QUASI})
    out.update({c: "sensitive" for c in SENSITIVE})
    return out


RECODES = {
    "age": {"method": "age_band", "width": 10, "top": 80},
    "tambon": {"method": "tambon_to_amphoe"},
    "household_size": {"method": "cap", "at": 6},
    "income": {"method": "income_band"},
}
