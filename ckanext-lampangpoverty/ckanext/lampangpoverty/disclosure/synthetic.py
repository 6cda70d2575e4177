"""Synthetic BMN-style person rows for tests and ``bench/``: Thai names with honorifics, valid
national IDs (some starting with 0), phones, house numbers, household coordinates and real
Lampang tambon codes. Seeded, so every run makes the same table. Nobody in it exists.

``households`` makes the 10-quasi-identifier table of the first gate (and the benchmark);
``bmn`` makes the table of issue 11 as a partner sends it: a household code that begins with
the tambon code, identifiers, amphoe and tambon, sex, age, household size, an exact income per
person (one household at 2,400,000 baht a year), rare disability, chronic illness, a welfare
card and a free-text note, with English or Thai headers and values."""
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
    return _joined(np.column_stack([digits, check]))


def _joined(digits: np.ndarray) -> np.ndarray:
    """Rows of digits as strings (through one integer each: a string array per digit would
    need gigabytes for a million rows)."""
    width = digits.shape[1]
    number = digits.astype(np.int64) @ (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))
    return np.array([f"{x:0{width}d}" for x in number.tolist()], dtype=object)


def _text(values) -> pd.Series:
    """A column as pandas strings, made at once so that a million rows of many columns never
    sit in memory as numpy unicode arrays together."""
    return pd.Series(pd.array(np.asarray(values).astype(str), dtype="str"))


def households(n_rows: int, seed: int = 52) -> pd.DataFrame:
    """About ``n_rows`` person rows grouped into households of 1 to 8 persons."""
    rng = np.random.default_rng(seed)
    tambons = np.array([c for c, a in areas.areas().items() if a.level == "tambon"])
    sizes = rng.integers(1, 9, size=n_rows // 3 + 1)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n_rows) + 1]
    hh = np.repeat(np.arange(len(sizes)), sizes)[:n_rows]
    n = len(hh)
    tambon = rng.choice(tambons, size=len(sizes))
    village = rng.integers(1, 16, size=len(sizes))
    house = rng.integers(1, 400, size=len(sizes))
    lat = rng.uniform(17.4, 19.1, size=len(sizes))
    lon = rng.uniform(99.0, 100.1, size=len(sizes))
    honorific = np.array(["นาย", "นาง", "นางสาว", "ด.ช.", "ด.ญ."])[rng.integers(0, 5, n)]
    age = rng.integers(0, 95, n)
    columns = {
        "household_id": lambda: _text(hh + 1),
        "national_id": lambda: _text(thai_ids(rng, n)),
        "full_name": lambda: _text([f"{h}{f} {last}" for h, f, last in zip(
            honorific, rng.choice(FIRST, n), rng.choice(LAST, n), strict=False)]),
        "phone": lambda: _text(["08" + d for d in _joined(rng.integers(0, 10, size=(n, 8)))]),
        "address": lambda: _text(np.array([f"{h}/{v} หมู่ {v}" for h, v in
                                           zip(house, village, strict=False)], dtype=object)[hh]),
        "latitude": lambda: _text(np.round(lat, 6).astype(str)[hh]),
        "longitude": lambda: _text(np.round(lon, 6).astype(str)[hh]),
        "tambon": lambda: _text(tambon[hh]),
        "village": lambda: _text(village.astype(str)[hh]),
        "sex": lambda: _text(rng.choice(["M", "F"], n)),
        "age": lambda: _text(age),
        "education": lambda: _text(rng.choice(EDUCATION, n)),
        "occupation": lambda: _text(rng.choice(OCCUPATION, n)),
        "marital_status": lambda: _text(rng.choice(MARITAL, n)),
        "household_size": lambda: _text(np.bincount(hh)[hh]),
        "religion": lambda: _text(rng.choice(RELIGION, n, p=[0.9, 0.05, 0.03, 0.02])),
        "disability": lambda: _text(rng.choice(["no", "yes"], n, p=[0.93, 0.07])),
        "income": lambda: _text((rng.lognormal(10.3, 0.7, n) // 100 * 100).astype(int)),
        "debt_status": lambda: _text(rng.choice(["none", "formal", "informal", "both"], n)),
    }
    return pd.DataFrame({name: make() for name, make in columns.items()})


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


BMN_COLUMNS = {
    "household_code": "รหัสบ้าน", "national_id": "เลขประจำตัวประชาชน", "full_name": "ชื่อ-สกุล",
    "address": "ที่อยู่", "phone": "โทรศัพท์", "latitude": "ละติจูด", "longitude": "ลองจิจูด",
    "amphoe": "อำเภอ", "tambon": "ตำบล", "sex": "เพศ", "age": "อายุ",
    "household_size": "จำนวนสมาชิกในครัวเรือน", "income_per_person": "รายได้ต่อคนต่อปี",
    "disability": "ความพิการ", "chronic_illness": "โรคเรื้อรัง",
    "welfare_card": "บัตรสวัสดิการแห่งรัฐ", "note": "หมายเหตุ"}
BMN_DIRECT = ["national_id", "full_name", "address", "phone", "latitude", "longitude", "note"]
BMN_KEY = "household_code"
BMN_QUASI = ["amphoe", "tambon", "sex", "age", "household_size"]
BMN_SENSITIVE = ["income_per_person", "disability", "chronic_illness", "welfare_card"]
OUTLIER_INCOME = 2_400_000
NOTES = ["ต้องการความช่วยเหลือด้านอาชีพ", "ผู้สูงอายุอยู่ลำพัง ไม่มีผู้ดูแล", "บ้านทรุดโทรม ต้องซ่อมแซม",
         "ลูกหลานไปทำงานต่างจังหวัด", "มีภาระหนี้นอกระบบ"]


def _bmn_members(rng: np.random.Generator, sizes: np.ndarray):
    """Ages and sexes of household members: a head, a partner, children or elders."""
    hh = np.repeat(np.arange(len(sizes)), sizes)
    position = np.arange(len(hh)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    head_age = rng.integers(25, 86, len(sizes))[hh]
    head_sex = rng.integers(0, 2, len(sizes))[hh]
    age = np.where(position == 0, head_age,
                   np.where(position == 1, np.clip(head_age + rng.integers(-6, 7, len(hh)), 18, 99),
                            np.clip(head_age - rng.integers(18, 36, len(hh)), 0, 99)))
    elder = (position >= 2) & (rng.random(len(hh)) < 0.15)
    age = np.where(elder, np.clip(head_age + rng.integers(18, 30, len(hh)), 60, 99), age)
    sex = np.where(position == 1, 1 - head_sex, np.where(position == 0, head_sex,
                                                           rng.integers(0, 2, len(hh))))
    return hh, age, sex


def bmn(n_rows: int, seed: int = 11, thai_headers: bool = False) -> pd.DataFrame:
    """About ``n_rows`` persons of the pilot districts, grouped into households."""
    rng = np.random.default_rng(seed)
    tambons = np.array([c for c, a in areas.areas().items()
                        if a.level == "tambon" and a.pilot])
    sizes = rng.choice(np.arange(1, 10), size=n_rows // 2 + 2,
                       p=[.12, .2, .23, .2, .12, .07, .03, .02, .01])
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n_rows) + 1]
    hh, age, sex = _bmn_members(rng, sizes)
    n, households = len(hh), len(sizes)
    tambon_h = rng.choice(tambons, size=households)
    village_h = rng.integers(1, 16, households)
    code_h = np.array([f"{t}{v:02d}{i:04d}" for t, v, i in
                       zip(tambon_h, village_h, rng.permutation(households) % 10000, strict=False)])
    income_h = (rng.lognormal(10.2, 0.6, households)).astype(int)
    income_h[rng.integers(0, households)] = OUTLIER_INCOME
    thai = thai_headers
    yes, no = ("มี", "ไม่มี") if thai else ("yes", "no")
    note = np.where(rng.random(n) < 0.6, "-", rng.choice(NOTES, n)).astype(object)
    planted = rng.random(n) < 0.01
    note[planted] = [f"ติดต่อ นาย{f} โทร 08{d:08d}" for f, d in
                     zip(rng.choice(FIRST, planted.sum()),
                         rng.integers(0, 10 ** 8, planted.sum()), strict=False)]
    house = rng.integers(1, 400, households)[hh]
    df = pd.DataFrame({
        "household_code": code_h[hh], "national_id": thai_ids(rng, n),
        "full_name": [f"{f} {last}" for f, last in
                      zip(rng.choice(FIRST, n), rng.choice(LAST, n), strict=False)],
        "address": [f"{h}/{v} หมู่ {v}" for h, v in zip(house, village_h[hh], strict=False)],
        "phone": ["08" + d for d in _joined(rng.integers(0, 10, size=(n, 8)))],
        "latitude": np.round(rng.uniform(17.4, 19.1, households), 6)[hh].astype(str),
        "longitude": np.round(rng.uniform(99.0, 100.1, households), 6)[hh].astype(str),
        "amphoe": np.array([t[:4] for t in tambon_h])[hh], "tambon": tambon_h[hh],
        "sex": np.where(sex == 1, "หญิง" if thai else "F", "ชาย" if thai else "M"),
        "age": age.astype(str), "household_size": sizes[hh].astype(str),
        "income_per_person": income_h[hh].astype(str),
        "disability": np.where(rng.random(n) < 0.03, yes, no),
        "chronic_illness": np.where(rng.random(n) < 0.12 + 0.002 * age, yes, no),
        "welfare_card": np.where(rng.random(households) < 0.45, yes, no)[hh],
        "note": note})
    return df.rename(columns=BMN_COLUMNS) if thai else df


def bmn_roles(thai_headers: bool = False, keep_household: bool = False) -> dict[str, str]:
    """The roles a statistician gives the ``bmn`` table."""
    out = {BMN_KEY: "household_key" if keep_household else "direct_identifier"}
    out.update({c: "direct_identifier" for c in BMN_DIRECT})
    out.update({c: "quasi_identifier" for c in BMN_QUASI})
    out.update({c: "sensitive" for c in BMN_SENSITIVE})
    return {BMN_COLUMNS[c]: r for c, r in out.items()} if thai_headers else out
