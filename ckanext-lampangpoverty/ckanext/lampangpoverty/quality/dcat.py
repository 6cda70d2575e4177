"""The DCAT terms of what the quality checks know: the update frequency as
``dct:accrualPeriodicity`` (EU frequency vocabulary), the date of the data's last change as
``dcat:version`` when the record has no version of its own, and the score and its parts as
``dqv:QualityMeasurement``s of metrics described once per catalogue. Pure: the profile
(catalogue/profiles.py) adds the triples."""
from __future__ import annotations

from typing import Any

EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"

# (GD-Catalog unit, interval) -> EU frequency code; interval None: any.
_BY_UNIT = {
    ("ปี", 1): "ANNUAL", ("ปี", 2): "BIENNIAL", ("ปี", 3): "TRIENNIAL",
    ("ปี", 4): "QUADRENNIAL", ("ปี", 5): "QUINQUENNIAL", ("ปี", 10): "DECENNIAL",
    ("ครึ่งปี", 1): "ANNUAL_2", ("ไตรมาส", 1): "QUARTERLY", ("เดือน", 1): "MONTHLY",
    ("เดือน", 2): "BIMONTHLY", ("เดือน", 3): "QUARTERLY", ("เดือน", 6): "ANNUAL_2",
    ("สัปดาห์", 1): "WEEKLY", ("สัปดาห์", 2): "BIWEEKLY", ("วัน", 1): "DAILY",
    ("วันทำการ", 1): "DAILY", ("ชั่วโมง", 1): "HOURLY", ("นาที", 1): "1MIN",
    ("ตามเวลาจริง", None): "CONT", ("ตามความจำเป็น", None): "IRREG",
    ("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", None): "NEVER",
    ("ไม่ทราบ", None): "UNKNOWN", ("อื่นๆ", None): "OTHER",
}

# Metric (the last part of its URI) -> (label en, label th, datatype local name).
METRICS = {
    "score": ("Quality score (0-100)", "คะแนนคุณภาพ (0-100)", "integer"),
    "metadata": ("Share of recommended metadata filled", "สัดส่วนคำอธิบายข้อมูลที่กรอกครบ",
                 "double"),
    "freshness": ("Freshness status (fresh, due, overdue, delinquent, never, as_needed, "
                  "unknown)", "สถานะความทันสมัย", "string"),
    "links": ("Share of resource links that work", "สัดส่วนลิงก์ที่ใช้งานได้", "double"),
    "validation": ("Share of tabular files that validate", "สัดส่วนไฟล์ตารางที่ผ่านการตรวจสอบ",
                   "double"),
}


def frequency_uri(unit: Any, interval: Any) -> str | None:
    unit = str(unit or "").strip()
    try:
        times = max(int(str(interval).strip()), 1) if interval not in (None, "") else 1
    except ValueError:
        return None
    code = _BY_UNIT.get((unit, times)) or _BY_UNIT.get((unit, None))
    return EU_FREQUENCY + code if code else None


def measurements(quality: dict[str, Any] | None) -> list[tuple[str, Any, str]]:
    """(metric, value, datatype) of a record's stored quality."""
    if not quality or quality.get("score") is None:
        return []
    parts = quality.get("parts") or {}
    out: list[tuple[str, Any, str]] = [("score", quality["score"], "integer")]
    for name in ("metadata", "links", "validation"):
        if name in parts:
            out.append((name, parts[name]["share"], "double"))
    status = (quality.get("freshness") or {}).get("status")
    if status:
        out.append(("freshness", status, "string"))
    return out
