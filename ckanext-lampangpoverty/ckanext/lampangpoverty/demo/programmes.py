"""Demo programmes of the current Thai fiscal year (1 October to 30 September), so that the
demo always has programmes open now to set against the demo needs: made when seeding, dated
within the fiscal year of that day, named with it, and marked as demo like the rest."""
from __future__ import annotations

import datetime
from typing import Any

from ..lib.clock import utcnow
from ..targeting.figures import children

# slug, organisation, kind, dimensions, target groups, capitals, areas, capacity, unit,
# budget (baht), status, months open (from the fiscal year's start), Thai and English title
TEMPLATES: list[tuple[Any, ...]] = [
    ("housing-repair-thoen", "demo-lampang-pso", "housing_repair", ["living_conditions"],
     ["elderly", "persons_with_disabilities"], ["physical"], ["5208"], 60, "households",
     2400000, "open", 6, "ซ่อมแซมบ้านผู้ยากไร้ อำเภอเถิน", "Housing repair for poor households, Thoen"),
    ("housing-repair-mae-tha", "demo-lampang-pso", "housing_repair", ["living_conditions"],
     [], ["physical"], ["5210"], 45, "households", 1800000, "open", 8,
     "ซ่อมแซมบ้านผู้ยากไร้ อำเภอแม่ทะ", "Housing repair for poor households, Mae Tha"),
    ("clean-water-ngao", "demo-pea-lampang", "infrastructure", ["living_conditions", "health"],
     [], ["physical", "natural"], ("first", "5205", 4), 120, "households", 900000, "ongoing",
     12, "ระบบน้ำสะอาดชุมชน อำเภองาว", "Community clean water, Ngao"),
    ("elderly-care-network", "demo-lampang-hospital", "health_service",
     ["health", "public_services"], ["elderly", "chronically_ill"], ["human", "social"],
     ["5201", "5205", "5213"], 900, "persons", 3200000, "ongoing", 12,
     "เครือข่ายดูแลผู้สูงอายุที่บ้าน", "Home care network for older persons"),
    ("ncd-screening-thoen", "demo-lampang-pho", "health_service", ["health"], [], ["human"],
     ["5208"], 1500, "persons", 650000, "open", 5, "คัดกรองโรคไม่ติดต่อเรื้อรังถึงบ้าน อำเภอเถิน",
     "Home screening for chronic diseases, Thoen"),
    ("school-continuity-fund", "demo-lampang-rajabhat", "scholarship", ["education"],
     ["children", "youth"], ["human"], ["52"], 400, "persons", 4000000, "open", 4,
     "ทุนการศึกษาต่อเนื่องสำหรับเด็กจากครัวเรือนยากจน",
     "Continuity scholarships for children of poor households"),
    ("early-childhood-mueang-pan", "demo-lampang-community-foundation", "in_kind_support",
     ["education"], ["children"], ["human", "social"], ["5213"], 150, "persons", 300000,
     "open", 9, "ชุดเตรียมความพร้อมเด็กปฐมวัย อำเภอเมืองปาน", "Early childhood kits, Mueang Pan"),
    ("adult-literacy-ngao", "demo-lampang-tech-college", "training_job_placement",
     ["education", "income"], ["working_age_poor", "highland_ethnic_groups"], ["human"],
     ["5205"], 80, "persons", 250000, "planned", 10, "อ่านออกเขียนได้สำหรับผู้ใหญ่ อำเภองาว",
     "Adult literacy, Ngao"),
    ("job-placement-province", "demo-lampang-labour", "training_job_placement", ["income"],
     ["working_age_poor", "informal_workers"], ["human", "financial"], ["52"], 1200, "persons",
     2100000, "ongoing", 12, "จัดหางานและฝึกทักษะแรงงานยากจน",
     "Job placement and skills for poor workers"),
    ("farmer-credit-mae-tha", "demo-agri-bank-lampang", "loan_credit", ["income"], ["farmers"],
     ["financial"], ("first", "5210", 6), 300, "households", 9000000, "open", 7,
     "สินเชื่อปรับโครงสร้างหนี้เกษตรกร อำเภอแม่ทะ", "Debt restructuring credit for farmers, Mae Tha"),
    ("community-products-mueang", "demo-lampang-chamber", "training_job_placement", ["income"],
     ["women_headed_households"], ["financial", "social"], ("first", "5201", 6), 200,
     "households", 700000, "open", 6, "ตลาดผลิตภัณฑ์ชุมชน อำเภอเมืองลำปาง",
     "Community product market, Mueang Lampang"),
    ("ceramics-skills", "demo-lampang-industry-council", "training_job_placement", ["income"],
     ["working_age_poor"], ["human", "financial"], ["5201", "5203"], 120, "persons", 480000,
     "open", 5, "ฝึกทักษะเซรามิกเพื่อรายได้", "Ceramics skills for income"),
    ("disability-card-mobile", "demo-lampang-hospital", "health_service", ["public_services"],
     ["persons_with_disabilities"], ["human", "social"], ["5205", "5213"], 250, "persons",
     350000, "open", 3, "หน่วยเคลื่อนที่ออกบัตรคนพิการ อำเภองาวและเมืองปาน",
     "Mobile disability certification, Ngao and Mueang Pan"),
    ("welfare-registration", "demo-lampang-provincial-office", "cash_welfare",
     ["income", "public_services"], ["elderly", "persons_with_disabilities", "children"],
     ["financial"], ["52"], 6000, "persons", None, "ongoing", 12,
     "ลงทะเบียนสวัสดิการแห่งรัฐถึงบ้าน", "Door-to-door state welfare registration"),
    ("emergency-cash-aid", "demo-lampang-civil-network", "cash_welfare", ["income"], [],
     ["financial"], ["5208", "5210"], None, "households", 500000, "open", 12,
     "เงินช่วยเหลือฉุกเฉินครัวเรือนวิกฤต", "Emergency cash for households in crisis"),
    ("highland-water-mueang-pan", "demo-pea-lampang", "infrastructure",
     ["living_conditions"], ["highland_ethnic_groups"], ["physical", "natural"],
     ("first", "5213", 2), 70, "households", 1200000, "planned", 12,
     "ระบบประปาภูเขา อำเภอเมืองปาน", "Highland water supply, Mueang Pan"),
    ("village-fund-training", "demo-lampang-cdo", "loan_credit", ["income"], [],
     ["financial", "social"], ["5201", "5205", "5208", "5210", "5213"], 500, "households",
     None, "closed", 2, "อบรมบริหารกองทุนหมู่บ้าน", "Village fund management training"),
]


def fiscal_year(today: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """The Thai fiscal year of ``today`` (B.E.) with its first and last day."""
    start_year = today.year if today.month >= 10 else today.year - 1
    start = datetime.date(start_year, 10, 1)
    return start_year + 1 + 543, start, datetime.date(start_year + 1, 9, 30)


def _areas(spec: Any) -> list[str]:
    if isinstance(spec, tuple):
        _first, amphoe, count = spec
        return children(amphoe)[:count]
    return list(spec)


def _close(start: datetime.date, months: int) -> datetime.date:
    month = start.month - 1 + months
    year = start.year + month // 12
    first_of_next = datetime.date(year, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def datasets(today: datetime.date | None = None) -> list[dict[str, Any]]:
    """The demo programmes of ``today``'s fiscal year, as package_create data."""
    year, start, _end = fiscal_year(today or (utcnow() + datetime.timedelta(hours=7)).date())
    out = []
    for (slug, org, kind, dims, groups, capitals, area_spec, capacity, unit, budget, status,
         months, title_th, title_en) in TEMPLATES:
        data: dict[str, Any] = {
            "name": f"demo-{slug}-{year}", "type": "agency-resource", "owner_org": org,
            "title": f"{title_th} ปีงบประมาณ {year} (ตัวอย่าง)",
            "notes": f"{title_th} (ข้อมูลสมมติเพื่อการสาธิต)\n\nDemo: {title_en}, fiscal year "
                     f"{year}. Invented for demonstration.",
            "tags": [{"name": "ข้อมูลตัวอย่าง"}], "license_id": "cc-by",
            "programme_kind": kind, "tpmap_dimensions": dims, "target_groups": groups,
            "livelihood_capitals": capitals, "area_codes": _areas(area_spec),
            "eligibility": "ครัวเรือนยากจนเป้าหมาย TPMAP หรือผ่านการสอบทานว่ายากจนในพื้นที่ที่ให้บริการ "
                           "/ TPMAP target-poor or field-verified poor households in the "
                           "areas served.",
            "how_to_apply": "ติดต่อองค์การบริหารส่วนตำบลหรือผู้นำชุมชน พร้อมบัตรประชาชน / "
                            "Apply at the tambon administration office or through the "
                            "village headperson, with an ID card.",
            "fiscal_year": year, "capacity_unit": unit, "programme_status": status,
            "open_date": start.isoformat(), "close_date": _close(start, months).isoformat(),
            "maintainer": "ผู้ประสานงานโครงการ (ตัวอย่าง)",
            "maintainer_email": "demo-programme@example.org",
            "resources": [{"name": "ประกาศรับสมัคร (PDF, ตัวอย่าง)", "format": "PDF",
                           "url": f"{slug}-{year}.pdf"}],
        }
        if capacity is not None:
            data["capacity"] = capacity
        if budget is not None:
            data["budget_baht"] = str(budget)
        out.append(data)
    return out
