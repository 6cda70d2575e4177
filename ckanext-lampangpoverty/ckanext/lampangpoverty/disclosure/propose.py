"""Proposals an editor can trust: for every column a role and a recode, with a machine-readable
reason code and an English message id (``%(name)s`` placeholders, translated when shown),
from Thai and English headers and from the contents. The defaults are the safe ones:
identifiers, keys and free text are removed; numeric sensitive values are banded; a column of
unknown meaning is treated as a quasi-identifier, not published as it is."""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import detect, hierarchy, keys, numeric
from .roles import METHOD_LABELS, ROLES
from .table import _, render

__all__ = ["REASONS", "ROLES", "SAMPLE", "Coding", "Proposal", "propose"]

REASONS = {
    "identifier_thai_id": _("Holds Thai national ID numbers (%(cells)s cells)"),
    "identifier_person_name": _("Holds personal names (%(cells)s cells)"),
    "identifier_phone": _("Holds phone numbers (%(cells)s cells)"),
    "identifier_address": _("Holds house numbers or addresses (%(cells)s cells)"),
    "identifier_coordinates": _("Holds household-precision coordinates (%(cells)s cells)"),
    "key_area_code": _("A code that begins with a DOPA area code (%(distinct)s codes in "
                       "%(rows)s rows): it identifies a record or household and reveals its "
                       "area"),
    "key_date": _("A code that embeds a date, such as a date of birth (%(distinct)s codes "
                  "in %(rows)s rows)"),
    "key_running_number": _("A running number (%(min)s to %(max)s): it identifies records"),
    "key_unique": _("Nearly every value is different (%(distinct)s in %(rows)s rows): a "
                    "record key"),
    "key_grouping": _("Groups rows into households (%(distinct)s groups, %(mean_group)s rows "
                      "each on average): a household key"),
    "free_text": _("Free text (average %(length)s characters): it cannot be checked for "
                   "names and other identifiers, so it is removed"),
    "header_direct": _("The header names a direct identifier"),
    "header_key": _("The header names a record or household code: it identifies a record "
                    "or household"),
    "header_quasi": _("The header names something others may know about a person "
                      "(hierarchy: %(hierarchy)s)"),
    "content_area": _("Holds DOPA area codes (recoded tambon, amphoe, province)"),
    "header_sensitive": _("The header names sensitive information"),
    "sensitive_numeric": _("Sensitive numbers, never published exactly: values below the "
                           "%(bottom)s percentile and from the %(top)s percentile up are coded "
                           "as ranges; in between: %(method)s"),
    "numeric_unknown": _("Numbers of unknown meaning with many values: treated as sensitive, "
                         "so no exact value is published (in between the cuts: %(method)s)"),
    "unknown_categorical": _("Unknown meaning: treated as a quasi-identifier to be safe "
                             "(choose other if nobody could know it about a person)"),
    "constant": _("The same value in every row: it tells nothing about a person"),
}

# Distinct values of a column matched for identifiers in full before sampling (the guard and
# the release's final check match every value; see detect.find_identifiers).
SAMPLE = 20_000

_DIRECT = re.compile(r"(เลขบัตร|บัตรประชาชน|เลขประจำตัว|citizen|national.?id|^pid$|id.?card|"
                     r"ชื่อ|นามสกุล|name|surname|โทร|phone|mobile|บ้านเลขที่|ที่อยู่|address|"
                     r"house.?no|latitude|longitude|^lat$|^lon$|^lng$|พิกัด|ละติจูด|ลองจิจูด|email)",
                     re.IGNORECASE)
_QUASI = re.compile(r"(อายุ|(^|[_\s])age($|[_\s(])|เพศ|sex|gender|ตำบล|tambon|อำเภอ|amphoe|"
                    r"district|หมู่บ้าน|"
                    r"village|หมู่ที่|อาชีพ|occupation|การศึกษา|education|สถานภาพ|marital|"
                    r"ขนาดครัวเรือน|household.?size|จำนวนสมาชิก|ศาสนา|religion|ชาติพันธุ์|"
                    r"ethnic|วันเกิด|birth|province|จังหวัด)", re.IGNORECASE)
_SENSITIVE = re.compile(r"(รายได้|income|หนี้|debt|พิการ|disab|โรค|disease|illness|chronic|health|"
                        r"สุขภาพ|สวัสดิการ|welfare|ยากจน|poor|จปฐ|bmn|ที่ดิน|land|เงิน|benefit|"
                        r"allowance|เบี้ย)", re.IGNORECASE)
_KEY = re.compile(r"(รหัสบ้าน|รหัสครัวเรือน|เลขที่ครัวเรือน|household.?(code|id|no)|^hh.?(id|code|no)|"
                  r"record.?(id|no)|^id$|^no\.?$|ลำดับที่?$)", re.IGNORECASE)
_HOUSEHOLD = re.compile(r"(บ้าน|ครัวเรือน|household|^hh)", re.IGNORECASE)
_NOTE = re.compile(r"(หมายเหตุ|บันทึก|note|remark|comment|ความเห็น|รายละเอียด|description)",
                   re.IGNORECASE)


@dataclass
class Proposal:
    column: str
    role: str
    recode: dict[str, Any]
    reason: str                         # a key of REASONS
    params: dict[str, Any] = field(default_factory=dict)
    alternatives: list[str] = field(default_factory=list)  # other sensible roles

    @property
    def message(self) -> str:
        """The English message id (translate it, then fill in ``params``)."""
        return REASONS[self.reason]

    @property
    def translate(self) -> list[str]:
        """The params that are message ids (hierarchy and method names)."""
        return [name for name in ("hierarchy", "method") if name in self.params]

    def text(self) -> str:
        return render(self.message, self.params, self.translate)

    def as_dict(self) -> dict[str, Any]:
        return {"column": self.column, "role": self.role, "recode": self.recode,
                "reason": self.reason, "message": self.message, "params": self.params,
                "translate": self.translate, "alternatives": self.alternatives}


def _free_text(values: pd.Series, header: str) -> float | None:
    counts = values.astype("string").fillna("").str.strip().value_counts(sort=False)
    counts = counts[counts.index != ""]
    if counts.empty:
        return None
    text = pd.Series(counts.index, dtype="string")
    weight = counts.to_numpy()
    total = float(weight.sum())
    length = float((text.str.len().to_numpy() * weight).sum() / total)
    spaced = float((text.str.contains(r"\s").fillna(False).to_numpy() * weight).sum() / total)
    if (spaced >= 0.3 and length >= 15 and len(text) > 0.5 * total) or \
            (_NOTE.search(header) and length >= 8):
        return round(length, 1)
    return None


@dataclass(frozen=True)
class Coding:
    """How numeric sensitive values are coded unless the editor chooses otherwise (the
    gate's thresholds: numeric_method, bottom_percentile, top_percentile)."""
    method: str = "bands"
    bottom: float = 5.0
    top: float = 95.0

    def proposal(self, column: str, reason: str) -> Proposal:
        """A numeric sensitive column: the configured method, the cuts left to the gate's
        thresholds (they are its defaults, not the editor's choice)."""
        return Proposal(column, "sensitive", {"method": self.method}, reason,
                        {"bottom": f"{self.bottom:g}", "top": f"{self.top:g}",
                         "method": METHOD_LABELS[self.method]})


def _sensitive(column: str, values: pd.Series, reason: str, coding: Coding) -> Proposal:
    if numeric.is_numeric(values):
        return coding.proposal(column, "sensitive_numeric")
    return Proposal(column, "sensitive", {"method": "keep"}, reason)


def _quasi(column: str, values: pd.Series, reason: str) -> Proposal:
    kind = hierarchy.guess_kind(column, values)
    return Proposal(column, "quasi_identifier", {"method": kind}, reason,
                    {"hierarchy": METHOD_LABELS[kind]})


def _by_header_or_content(column: str, values: pd.Series, coding: Coding) -> Proposal:
    header = column.strip()
    if _KEY.search(header):
        alt = ["household_key"] if _HOUSEHOLD.search(header) else []
        return Proposal(column, "direct_identifier", {"method": "drop"}, "header_key", {}, alt)
    if _DIRECT.search(header):
        return Proposal(column, "direct_identifier", {"method": "drop"}, "header_direct")
    if _QUASI.search(header):
        return _quasi(column, values, "header_quasi")
    if _SENSITIVE.search(header):
        return _sensitive(column, values, "header_sensitive", coding)
    text = values.astype("string").fillna("").str.strip()
    if text.nunique() <= 1:
        return Proposal(column, "other", {"method": "keep"}, "constant")
    kind = hierarchy.guess_kind(column, values)
    if kind == "area":
        return Proposal(column, "quasi_identifier", {"method": "area"}, "content_area")
    if numeric.is_numeric(values) and kind == "numeric":
        return coding.proposal(column, "numeric_unknown")
    return Proposal(column, "quasi_identifier", {"method": kind}, "unknown_categorical",
                    {"hierarchy": METHOD_LABELS[kind]})


def propose(df: pd.DataFrame, areas: Collection[str] | None = None,
            coding: Coding | None = None) -> dict[str, Proposal]:
    """A proposal for every column of ``df`` (``coding``: how numeric sensitive values are
    coded by default)."""
    coding = coding or Coding()
    findings: dict[str, detect.Finding] = {}
    for f in detect.find_identifiers(df, sample=SAMPLE):
        findings.setdefault(f.column, f)
    found_keys = keys.find_keys(df[[c for c in df.columns if str(c) not in findings]], areas)
    out = {}
    for column in map(str, df.columns):
        values = df[column]
        if column in findings:
            f = findings[column]
            out[column] = Proposal(column, "direct_identifier", {"method": "drop"},
                                   f"identifier_{f.kind}", {"cells": f.count})
        elif column in found_keys:
            key = found_keys[column]
            alt = ["household_key"] if key.kind == "household_key" else []
            out[column] = Proposal(column, "direct_identifier", {"method": "drop"},
                                   f"key_{key.reason}", key.params, alt)
        elif (length := _free_text(values, column)) is not None:
            out[column] = Proposal(column, "direct_identifier", {"method": "drop"},
                                   "free_text", {"length": length})
        else:
            out[column] = _by_header_or_content(column, values, coding)
    return out
