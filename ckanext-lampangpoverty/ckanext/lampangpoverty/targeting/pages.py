"""What the area pages and the front page show, in the reader's language: labels, chart
data, the records concerning an area, programme cards and the front page's figures."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ..catalogue import areas, vocabulary
from ..catalogue.labels import area_label, choice_labels, current_lang
from ..catalogue.types import AGENCY_RESOURCE, POLICY_PROPOSAL, POVERTY_DATASET
from . import figures as figures_mod
from . import indicators, programmes
from .profile import today

PALETTE = ("#1b6ca8", "#e07a1f", "#2a9d8f", "#c0392b", "#7b4fa0", "#6d6875")


def year_label(year: int, lang: str | None = None) -> str:
    """A B.E. year as Thai readers write it, in C.E. for English readers."""
    return str(year) if (lang or current_lang()) == "th" else str(year - 543)


def term_labels(names: list[str]) -> dict[str, str]:
    lang = current_lang()
    found = vocabulary.labels(list(names))
    return {n: found.get(n, {}).get(lang) or found.get(n, {}).get("en") or n for n in names}


def indicator_label(code: str) -> str:
    spec = indicators.indicators().get(code)
    return spec.text(current_lang()) if spec else code


def unit_label(unit: str) -> str:
    return indicators.unit_label(unit, current_lang())


def charts(profile: dict[str, Any]) -> dict[str, Any]:
    """Chart.js data of the dimensions' trend across years and of need against supply."""
    dims = [d["dimension"] for d in profile["dimensions"]]
    labels = term_labels(dims)
    years = [year_label(y) for y in profile["years"]]
    trend = {"type": "line", "labels": years, "datasets": [
        {"label": labels[d["dimension"]], "data": [p["value"] for p in d["series"]],
         "borderColor": PALETTE[i], "backgroundColor": PALETTE[i]}
        for i, d in enumerate(profile["dimensions"])]}
    coverage = {"type": "bar", "labels": [labels[d] for d in dims], "datasets": [
        {"label": tk._("Need (households)"), "data": [d["need"] for d in profile["dimensions"]],
         "backgroundColor": PALETTE[1]},
        {"label": tk._("Open programme capacity (households)"),
         "data": [d["supply"] for d in profile["dimensions"]], "backgroundColor": PALETTE[0]}]}
    return {"trend": trend, "coverage": coverage}


def _area_filter(code: str) -> str:
    level = areas.areas()[code].level
    if level == "province":
        return ""
    field = "vocab_tambon" if level == "tambon" else "vocab_district"
    return f" +{field}:{code}"


def related(code: str, dataset_type: str, rows: int = 6) -> dict[str, Any]:
    """Public records of a type concerning an area, newest first, and how many there are."""
    result = tk.get_action("package_search")({}, {
        "fq": f"+dataset_type:{dataset_type}{_area_filter(code)}", "rows": rows,
        "sort": "metadata_modified desc", "include_private": False})
    return {"count": result["count"], "results": result["results"]}


def programme_cards(ranked: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The first programmes of a ranking with what a social worker needs to know."""
    shown = ranked[:limit]
    details = programmes.details([p["id"] for p in shown])
    statuses = choice_labels(AGENCY_RESOURCE, "programme_status", current_lang())
    cards = []
    for p in shown:
        full = details.get(p["id"], {})
        cards.append({**p, "status_label": statuses.get(p["status"], p["status"]),
                      "eligibility": full.get("eligibility") or "",
                      "how_to_apply": full.get("how_to_apply") or "",
                      "organization_title": (full.get("organization") or {}).get("title", ""),
                      "contact_phone": full.get("contact_phone") or ""})
    return cards


def area_values(codes: list[str], year: int | None,
                indicator: str = "target_poor_households") -> dict[str, float | None]:
    """One indicator of some areas in a year (what a map colours them by)."""
    if year is None:
        return {}
    figs = figures_mod.current()
    return {code: figs.get(code, indicator, year) for code in codes}


def district_values(year: int | None) -> dict[str, float | None]:
    return area_values(figures_mod.children(areas.PROVINCE_CODE), year)


def home() -> dict[str, Any]:
    """The front page's figures: the province's headline figures, the districts with their
    target poor, programmes open now, the latest proposals and datasets, the partners."""
    figs = figures_mod.current()
    year = figs.latest_year(areas.PROVINCE_CODE)
    headline = [{"indicator": i, "value": figs.get(areas.PROVINCE_CODE, i, year) if year else None,
                 "unit": indicators.indicators()[i].unit} for i in indicators.HEADLINE]
    now = today()
    open_now = sorted((p for p in programmes.query(open_only=True) if p.is_open(now)),
                      key=lambda p: (p.close_date is None, p.close_date, p.title))
    partners = tk.get_action("organization_list")({}, {"all_fields": True, "limit": 50,
                                                      "sort": "title asc"})
    return {
        "year": year, "headline": headline, "districts": district_values(year),
        "open_programmes": [{"name": p.name, "title": p.title, "status": p.status,
                             "close_date": p.close_date.isoformat() if p.close_date else None,
                             "areas": [area_label(c) for c in p.area_codes][:3]}
                            for p in open_now[:6]],
        "open_count": len(open_now),
        "proposals": related(areas.PROVINCE_CODE, POLICY_PROPOSAL, 4)["results"],
        "datasets": related(areas.PROVINCE_CODE, POVERTY_DATASET, 4)["results"],
        "partners": partners,
        "programme_type": AGENCY_RESOURCE,
    }
