"""Record and household keys: columns whose values identify a record or a household (unique or
near-unique codes, running numbers, codes that embed a DOPA area code or a date). A BMN
household code begins with its 6-digit tambon code: published, it links the members of a
household and undoes any recoding of the tambon. Such columns are direct identifiers by
default; a household key may be kept only as a random pseudonym (``transform``)."""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/.]{0,39}$")
_HOUSEHOLD_HEADER = re.compile(r"(รหัสบ้าน|รหัสครัวเรือน|ครัวเรือนที่|household|^hh|hh.?(id|code|no))",
                               re.IGNORECASE)
_KEY_HEADER = re.compile(r"(รหัส|ลำดับ|เลขที่|^id$|_id$|^no\.?$|code|key|seq|running)", re.IGNORECASE)
_MEASURE_HEADER = re.compile(r"(อายุ|age|รายได้|income|หนี้|debt|ขนาด|size|จำนวน|ที่ดิน|land|"
                             r"เงิน|baht|บาท|amount|score|คะแนน|weight|น้ำหนัก|height|ส่วนสูง)",
                             re.IGNORECASE)
MIN_ROWS = 10


@dataclass
class Key:
    column: str
    kind: str                   # "record_key" or "household_key"
    reason: str                 # area_code | date | running_number | unique | grouping
    params: dict = field(default_factory=dict)


@cache
def known_area_codes() -> frozenset[str]:
    """Every DOPA tambon and amphoe code that geothai knows (all provinces: partners'
    households live anywhere)."""
    import geothai

    codes = set()
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            codes.add(district.code)
            codes.update(s.code for s in geothai.subdistricts(district.code))
    return frozenset(codes)


def _digits(text: pd.Series) -> pd.Series:
    return text.str.replace(r"[\s\-/.]", "", regex=True)


def _area_share(digits: pd.Series, weight: np.ndarray, areas: Collection[str]) -> float:
    """The share of records whose code is 8-20 digits beginning with a known area code
    (``digits``: the distinct codes, ``weight``: records holding each)."""
    total = max(1, int(weight.sum()))
    long = digits.str.fullmatch(r"\d{8,20}").fillna(False).to_numpy(dtype=bool)
    if weight[long].sum() < 0.9 * total:
        return 0.0
    six = digits[long].str[:6].isin(areas).to_numpy(dtype=bool)
    return float(weight[long][six].sum() / total)


def _date_offset(digits: pd.Series, weight: np.ndarray) -> int | None:
    """The offset at which nearly every code holds a valid date YYYYMMDD (Buddhist or common
    era) or DDMMYYYY; None if there is none."""
    is_long = digits.str.fullmatch(r"\d{10,20}").fillna(False).to_numpy(dtype=bool)
    if weight[is_long].sum() < 0.9 * weight.sum() or not is_long.any():
        return None
    long = pd.Series(digits[is_long].unique()[:5000], dtype="string")  # enough to see a date
    for offset in range(int(long.str.len().min()) - 7):
        part = long.str[offset:offset + 8]
        ymd = pd.to_datetime(part, format="%Y%m%d", errors="coerce").notna()
        dmy = pd.to_datetime(part, format="%d%m%Y", errors="coerce").notna()
        ymd &= _plausible_year(part.str[:4])
        dmy &= _plausible_year(part.str[4:])
        if max(ymd.mean(), dmy.mean()) >= 0.9 and part.nunique() > 20:
            return offset
    return None


def _plausible_year(text: pd.Series) -> pd.Series:
    """Born 1900-2100, common era, or 2440-2640 in the Buddhist era Thai records use."""
    years = pd.to_numeric(text, errors="coerce")
    return years.between(1900, 2100) | years.between(2440, 2640)


def _runs(text: pd.Series) -> int:
    values = text.to_numpy()
    return int(1 + (values[1:] != values[:-1]).sum()) if len(values) else 0


def classify(column: str, values: pd.Series,
             areas: Collection[str] | None = None) -> Key | None:
    """The key a column is, or None. Looks at each distinct value once, weighted by the
    records holding it (a million rows cost little more than their distinct codes)."""
    text = values.astype("string").fillna("").str.strip()
    text = text[text != ""]
    rows = int(text.size)
    if rows < MIN_ROWS:
        return None
    header = str(column).strip()
    counts = text.value_counts(sort=False)
    distinct = len(counts)
    if distinct < 20 and distinct < 0.05 * rows:
        return None  # too few values to single out a record or a household
    codes = pd.Series(counts.index, dtype="string")
    weight = counts.to_numpy()
    def share(mask: Any) -> float:
        return float(weight[np.asarray(mask, dtype=bool)].sum() / rows)
    if share(codes.str.match(_CODE).fillna(False)) < 0.95:
        return None
    kind = "record_key" if distinct >= 0.95 * rows else "household_key"
    groups = rows / max(1, distinct)
    params = {"rows": rows, "distinct": distinct, "mean_group": round(groups, 1)}
    digits = _digits(codes)
    area_share = _area_share(digits, weight, known_area_codes() if areas is None else areas)
    if area_share >= 0.9 and distinct > 1:
        return Key(column, kind, "area_code", {**params, "share": round(area_share, 3)})
    offset = _date_offset(digits, weight)
    if offset is not None:
        return Key(column, kind, "date", {**params, "offset": offset})
    if _MEASURE_HEADER.search(header) and not _KEY_HEADER.search(header):
        return None  # a measurement (age, income, size) with a plain header is not a key
    contiguous = _runs(text) <= 1.1 * distinct
    numbers = pd.to_numeric(codes, errors="coerce")
    if numbers.notna().all() and (numbers % 1 == 0).all() and distinct >= 20:
        span = float(numbers.max() - numbers.min() + 1)
        if span <= 1.1 * distinct and (contiguous or kind == "record_key"):
            return Key(column, kind, "running_number",
                       {**params, "min": int(numbers.min()), "max": int(numbers.max())})
    decimal = share(codes.str.contains(".", regex=False).fillna(False)) > 0.5
    if kind == "record_key" and rows >= 20 and not decimal:
        return Key(column, kind, "unique", params)
    lengths = codes.str.len().to_numpy()
    fixed = np.bincount(lengths, weights=weight).max() / rows >= 0.98
    codeish = fixed or share(codes.str.contains(r"[A-Za-z]").fillna(False)) > 0.9
    hinted = bool(_HOUSEHOLD_HEADER.search(header))
    if (1.2 <= groups <= 12 and distinct >= 0.05 * rows and not decimal
            and (hinted or (contiguous and codeish))):
        return Key(column, "household_key", "grouping", params)
    return None


def find_keys(df: pd.DataFrame, areas: Collection[str] | None = None) -> dict[str, Key]:
    """Every column that is a record or household key."""
    out = {}
    for column in df.columns:
        key = classify(str(column), df[column], areas)
        if key is not None:
            out[str(column)] = key
    return out


def household_codes(values: pd.Series) -> np.ndarray:
    """Integer household codes, -1 for an empty cell."""
    text = values.astype("string").fillna("").str.strip()
    codes = pd.factorize(text, use_na_sentinel=False)[0].astype(np.int64)
    return np.where(text.to_numpy() == "", -1, codes)
