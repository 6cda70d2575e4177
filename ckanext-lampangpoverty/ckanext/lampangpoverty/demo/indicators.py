"""Demo area indicators: invented figures for the province, its 13 amphoe and every tambon
over three years (B.E. 2566-2568), following the area indicator table schema. They are made
from a fixed seed (the same every time), marked as demo in the dataset and in each row's
source, and are aggregates only. Seeding publishes them as an uploaded CSV of a poverty
dataset and loads them into the profiles through the same check any partner table passes."""
from __future__ import annotations

import csv
import io
import random
from typing import Any

from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ..catalogue import areas
from ..targeting import indicators, loading
from ..targeting.figures import children

YEARS = (2566, 2567, 2568)
NAME = "demo-area-indicators-2566-2568"
FILENAME = "lampang-area-indicators-2566-2568-demo.csv"
HEADER = ["area_code", "year", "indicator", "value", "unit", "source"]

DATASET: dict[str, Any] = {
    "name": NAME,
    "type": "poverty-dataset",
    "owner_org": "demo-lampang-provincial-office",
    "title": "ตัวชี้วัดความยากจนรายพื้นที่ จังหวัดลำปาง 2566-2568 (ตัวอย่าง)",
    "notes": (
        "ตัวชี้วัดความยากจนระดับจังหวัด อำเภอ และตำบล 3 ปี (พ.ศ. 2566-2568) ได้แก่ ครัวเรือนยากจน"
        "เป้าหมาย 5 มิติของ TPMAP กลุ่มเป้าหมาย และตัวชี้วัด จปฐ. ตามโครงสร้างตาราง "
        "schemas/area_indicators.json ตัวเลขทั้งหมดเป็นข้อมูลสมมติเพื่อการสาธิต ไม่ใช่ข้อมูลจริง\n\n"
        "Demo: invented poverty indicators for the province, its amphoe and tambon over three "
        "years, following the area indicator table schema. Not real figures."),
    "tags": [{"name": "TPMAP"}, {"name": "จปฐ."}, {"name": "ข้อมูลตัวอย่าง"}],
    "license_id": "cc-by",
    "poverty_source": "tpmap",
    "data_source": "TPMAP และ จปฐ. (ข้อมูลสมมติเพื่อการสาธิต)",
    "data_type": "ข้อมูลสถิติ",
    "unit_of_observation": "tambon",
    "reference_period_start": "2023-01-01",
    "reference_period_end": "2025-12-31",
    "area_codes": ["52"],
    "geo_coverage": "ตำบล",
    "tpmap_dimensions": ["health", "living_conditions", "education", "income",
                         "public_services"],
    "livelihood_capitals": ["human", "physical", "financial"],
    "access_level": "public",
    "update_frequency_unit": "ปี",
    "update_frequency_interval": 1,
    "first_year_of_data": 2566,
    "last_year_of_data": 2568,
}

# Share of target-poor households deprived in each dimension, and of target-poor persons in
# each group (low, high): income is the most common deprivation in TPMAP.
DIMENSION_SHARE = {"health": (0.12, 0.3), "living_conditions": (0.25, 0.5),
                   "education": (0.15, 0.35), "income": (0.6, 0.85),
                   "public_services": (0.08, 0.25)}
GROUP_SHARE = {"elderly": (0.18, 0.3), "persons_with_disabilities": (0.05, 0.1),
               "children": (0.18, 0.28), "working_age_poor": (0.35, 0.5)}


def _tambon(code: str, year_index: int) -> dict[str, float]:
    """One tambon's invented counts for the year; the same code always gives the same."""
    rng = random.Random(f"{code}-base")
    households = rng.randint(700, 4200)
    pilot = areas.areas()[code].pilot
    poor_share = rng.uniform(0.06, 0.14) if pilot else rng.uniform(0.03, 0.1)
    year_rng = random.Random(f"{code}-{year_index}")
    trend = (1 - rng.uniform(0.03, 0.12)) ** year_index
    poor = round(households * poor_share * trend * year_rng.uniform(0.95, 1.05))
    persons = round(poor * rng.uniform(2.6, 3.4))
    out: dict[str, float] = {
        "households_surveyed": households + 10 * year_index,
        "population_surveyed": round((households + 10 * year_index) * rng.uniform(2.5, 3.1)),
        "target_poor_households": poor, "target_poor_persons": persons,
        "average_income": round(rng.uniform(55000, 95000) * (1.03 ** year_index)),
    }
    for dimension, (low, high) in DIMENSION_SHARE.items():
        out[indicators.dimension_indicator(dimension)] = round(
            poor * random.Random(f"{code}-{dimension}").uniform(low, high)
            * year_rng.uniform(0.95, 1.05))
    for group, indicator in indicators.group_indicators().items():
        low, high = GROUP_SHARE[group]
        out[indicator] = round(persons * random.Random(f"{code}-{group}").uniform(low, high))
    for spec in indicators.indicators().values():
        if spec.kind == "bmn":
            out[spec.code] = round(households * random.Random(f"{code}-{spec.code}").uniform(
                0.002, 0.04) * trend)
    return out


def _add(parts: list[dict[str, float]]) -> dict[str, float]:
    total = {key: sum(p[key] for p in parts) for key in parts[0]}
    households = total["households_surveyed"]
    total["average_income"] = round(sum(p["average_income"] * p["households_surveyed"]
                                        for p in parts) / households)
    return total


def figures() -> dict[tuple[str, int], dict[str, float]]:
    """(area code, year) -> indicator -> value, for every area of Lampang."""
    out: dict[tuple[str, int], dict[str, float]] = {}
    for index, year in enumerate(YEARS):
        amphoe_totals = []
        for amphoe in children(areas.PROVINCE_CODE):
            tambon = []
            for code in children(amphoe):
                out[(code, year)] = _tambon(code, index)
                tambon.append(out[(code, year)])
            out[(amphoe, year)] = _add(tambon)
            amphoe_totals.append(out[(amphoe, year)])
        out[(areas.PROVINCE_CODE, year)] = _add(amphoe_totals)
    return out


def rows() -> list[list[str]]:
    specs = indicators.indicators()
    out = []
    for (code, year), values in sorted(figures().items()):
        for indicator, value in values.items():
            source = ("จปฐ." if indicator.startswith(("bmn_", "households_", "population_",
                                                        "average_"))
                      else "TPMAP")
            out.append([code, str(year), indicator, str(int(value)), specs[indicator].unit,
                        f"{source} {year} (ข้อมูลสมมติเพื่อการสาธิต / demo)"])
    return out


def csv_bytes() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    return out.getvalue().encode("utf-8")


def seed(context: Context) -> bool:
    """Create the demo indicator dataset if missing and load its figures (also when the
    dataset exists but its table was never loaded). True when something was created."""
    try:
        pkg = tk.get_action("package_show")(context.copy(), {"id": NAME})
        created = False
    except tk.ObjectNotFound:
        pkg = tk.get_action("package_create")(context.copy(), dict(DATASET))
        created = True
    if not pkg.get("resources"):
        upload = FileStorage(io.BytesIO(csv_bytes()), FILENAME, content_type="text/csv")
        tk.get_action("resource_create")(context.copy(), {
            "package_id": pkg["id"], "name": "ตัวชี้วัดรายพื้นที่ 2566-2568 (CSV, ตัวอย่าง)",
            "format": "CSV", "description": "ตามโครงสร้าง schemas/area_indicators.json / "
                                            "Follows the area indicator table schema",
            "table_schema": indicators.SCHEMA_NAME, "url": FILENAME, "upload": upload})
        pkg = tk.get_action("package_show")(context.copy(), {"id": pkg["id"]})
    resource_id = pkg["resources"][0]["id"]
    if created or loading.IndicatorLoad.get(resource_id) is None:
        status = loading.load(resource_id, HEADER, rows())
        if status.error_count:
            raise tk.ValidationError({"area_indicators": [str(status.errors[:3])]})
    model.Session.commit()
    return created
