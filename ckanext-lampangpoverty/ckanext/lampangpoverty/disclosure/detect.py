"""Direct identifiers in any column, whatever it is called, and proposed column roles.

A column is flagged when a share of its non-empty cells (``MIN_SHARE``) matches one of the
kinds below; every matching row is reported, so a planted identifier in an innocent-looking
column is still found (``find_identifiers`` looks at every cell, not a sample).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .table import _

KINDS = ("thai_id", "person_name", "phone", "address", "coordinates")
KIND_LABELS = {"thai_id": _("Thai national ID"), "person_name": _("personal name"),
               "phone": _("phone number"), "address": _("house address"),
               "coordinates": _("household coordinates")}

# A 13-digit Thai ID, with or without the usual dashes (1-2345-67890-12-3) or spaces.
_ID = re.compile(r"(?<!\d)(\d)[- ]?(\d{4})[- ]?(\d{5})[- ]?(\d{2})[- ]?(\d)(?!\d)")
# Thai honorifics and titles that precede a personal name.
_HONORIFIC = re.compile(
    r"(?:^|\s)(?:นาย|นางสาว|นาง|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง|Mr\.?|Mrs\.?|Ms\.?|Miss)\s*"
    r"[\u0E00-\u0E7FA-Za-z]{2,}")
# Thai phone numbers: mobile 06/08/09 + 8 digits, Bangkok 02 + 7, provincial 0XX + 6
# (Lampang 054-xxx-xxx), also written +66 without the leading 0.
_PHONE = re.compile(r"(?<!\d)(?:\+66[- ]?|0)(?:[689]\d[- ]?\d{3}[- ]?\d{4}|2[- ]?\d{3}[- ]?\d{4}"
                    r"|[3-7]\d[- ]?\d{3}[- ]?\d{3})(?!\d)")
# House numbers and street addresses: บ้านเลขที่ 12/3, ม.4 / หมู่ 4, ซอย, ถนน, or "12/3 หมู่".
_ADDRESS = re.compile(r"(?:บ้านเลขที่|เลขที่\s*\d|\d+/\d+|ซอย|ซ\.\s*\S|ถนน|ถ\.\s*\S|หมู่ที่?\s*\d|ม\.\s*\d)")
# Household-precision coordinates: 4+ decimals (about 11 m) inside Thailand's bounding box.
_COORD = re.compile(r"(?<![\d.])(\d{1,3}\.\d{4,})\s*[,; ]\s*(\d{1,3}\.\d{4,})(?![\d.])")
_DECIMAL = re.compile(r"^\s*\d{1,3}\.\d{4,}\s*$")

MIN_SHARE = 0.0  # any matching cell flags the column: one identifier is one too many

def thai_id_valid(digits: str) -> bool:
    """The check digit of a 13-digit Thai national ID (leading 0 included)."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(digits[i]) * (13 - i) for i in range(12))
    return (11 - total % 11) % 10 == int(digits[12])


def _thai_ids(values: pd.Series) -> pd.Series:
    def match(text: str) -> bool:
        return any(thai_id_valid("".join(m.groups())) for m in _ID.finditer(text))
    # A cell that is just an ID (the usual case) is checked in one vectorised pass; cells
    # with an ID inside text take the regular expression.
    plain = values.str.replace(r"[- ]", "", regex=True)
    exact = plain.str.fullmatch(r"\d{13}").fillna(False).to_numpy(dtype=bool)
    out = np.zeros(len(values), dtype=bool)
    if exact.any():
        text = "".join(plain[exact].tolist()).encode("ascii")
        digits = (np.frombuffer(text, dtype=np.uint8).reshape(-1, 13) - 48).astype(np.int64)
        check = (11 - (digits[:, :12] @ np.arange(13, 1, -1)) % 11) % 10
        out[exact] = check == digits[:, 12]
    rest = ~exact & values.str.contains(_ID_PREFILTER, regex=True).fillna(False) \
        .to_numpy(dtype=bool)
    if rest.any():
        out[rest] = values[rest].map(match).to_numpy(dtype=bool)
    return pd.Series(out, index=values.index)


def _coordinates(values: pd.Series) -> pd.Series:
    def match(text: str) -> bool:
        for m in _COORD.finditer(text):
            a, b = float(m.group(1)), float(m.group(2))
            if (5 <= a <= 21 and 97 <= b <= 106) or (97 <= a <= 106 and 5 <= b <= 21):
                return True
        return False
    # Only cells with two decimals of 4+ places can hold a pair: the rest skip the loop.
    maybe = values.str.count(_DECIMAL_PREFILTER).fillna(0).to_numpy() >= 2
    out = np.zeros(len(values), dtype=bool)
    if maybe.any():
        out[maybe] = values[maybe].map(match).to_numpy(dtype=bool)
    return pd.Series(out, index=values.index)


def _single_coordinate(values: pd.Series) -> pd.Series:
    """A lone latitude or longitude with household precision (its own column)."""
    is_decimal = values.str.match(_DECIMAL)
    numbers = pd.to_numeric(values.where(is_decimal), errors="coerce")
    return is_decimal & (numbers.between(5, 21) | numbers.between(97, 106))


_THAI_DIGITS = str.maketrans({0x0E50 + i: str(i) for i in range(10)})


def _arabic_digits(values: pd.Series) -> pd.Series:
    """Thai digits (U+0E50 to U+0E59, as typed in notes) read as 0-9, so that IDs, phones
    and coordinates written in them are found too."""
    thai = values.str.contains("[\u0e50-\u0e59]", regex=True).fillna(False) \
        .to_numpy(dtype=bool)
    if not thai.any():
        return values
    out = values.copy()
    out[thai] = values[thai].str.translate(_THAI_DIGITS)
    return out


def _prefiltered(necessary: str, check):
    """``check`` (Python regular expressions, cell by cell) only on the cells in which the
    vectorised pattern ``necessary`` (a substring every match contains) occurs."""
    def run(values: pd.Series) -> pd.Series:
        maybe = values.str.contains(necessary, regex=True).fillna(False).to_numpy(dtype=bool)
        out = np.zeros(len(values), dtype=bool)
        if maybe.any():
            out[maybe] = check(values[maybe]).fillna(False).to_numpy(dtype=bool)
        return pd.Series(out, index=values.index)
    return run


# Substrings every match of the Python patterns above contains (vectorised prefilters).
_ID_PREFILTER = r"\p{Nd}[- ]?\p{Nd}{4}[- ]?\p{Nd}{5}[- ]?\p{Nd}{2}[- ]?\p{Nd}"
_HONORIFIC_PREFILTER = r"นาย|นาง|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง|Mr|Ms|Miss"
_PHONE_PREFILTER = r"\p{Nd}{3}[- ]?\p{Nd}{3}"
_DECIMAL_PREFILTER = r"\p{Nd}\.\p{Nd}{4}"


def _matchers():
    return {
        "thai_id": _thai_ids,
        "person_name": _prefiltered(_HONORIFIC_PREFILTER,
                                    lambda v: v.str.contains(_HONORIFIC)),
        "phone": _prefiltered(_PHONE_PREFILTER, lambda v: v.str.contains(_PHONE)),
        "address": lambda v: v.str.contains(_ADDRESS),
        "coordinates": _prefiltered(_DECIMAL_PREFILTER,
                                    lambda v: _coordinates(v) | _single_coordinate(v)),
    }


@dataclass
class Finding:
    column: str
    kind: str
    rows: list[int] = field(default_factory=list)  # 1-based data rows (header is row 0)

    @property
    def count(self) -> int:
        return len(self.rows)


def find_identifiers(df: pd.DataFrame, sample: int | None = None) -> list[Finding]:
    """Every column and kind of direct identifier found, with the rows it is in.

    Each distinct value is matched once, then its verdict goes to every cell holding it.
    With ``sample`` (for proposals only), a column with more distinct values than that is
    first matched on a seeded random sample of them, and only the kinds found there are then
    matched on all of them: a proposal stays fast on a million rows, and what it reports is
    confirmed on every cell. The upload guard and the release's final check never sample."""
    findings = []
    rng = np.random.default_rng(0)
    for column in df.columns:
        codes, uniques = pd.factorize(df[column].astype("string").fillna(""), sort=False)
        values = _arabic_digits(pd.Series(uniques, dtype="string"))
        present = (values != "").to_numpy()
        if not present.any():
            continue
        matchers = _matchers()
        if sample is not None and present.sum() > sample:
            probe = values.iloc[np.sort(rng.choice(np.flatnonzero(present), sample,
                                                   replace=False))]
            matchers = {kind: m for kind, m in matchers.items()
                        if m(probe).fillna(False).astype(bool).any()}
        for kind, matcher in matchers.items():
            verdict = np.zeros(len(values), dtype=bool)
            verdict[present] = matcher(values[present]).fillna(False).astype(bool).to_numpy()
            hits = verdict[codes]
            if hits.any():
                findings.append(Finding(str(column), kind, (np.flatnonzero(hits) + 1).tolist()))
    return findings

