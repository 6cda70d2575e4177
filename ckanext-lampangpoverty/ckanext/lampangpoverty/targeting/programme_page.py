"""What a programme's page answers first: open now or not (and its dates), who is eligible,
where (a whole district when every tambon of it is listed), how to apply, whom to contact,
and its budget in baht."""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import ckan.plugins.toolkit as tk

from ..catalogue import areas
from ..catalogue.labels import area_label, choice_labels, current_lang
from ..catalogue.types import AGENCY_RESOURCE
from .figures import children, tambons_of
from .profile import today
from .programmes import OPEN_STATUSES


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def baht(value: Any) -> str:
    """An amount of baht as ``฿2,000,000`` (satang kept when there are any); "" when the
    value is no number."""
    try:
        amount = Decimal(str(value).replace(",", "").replace("฿", "").strip())
    except (InvalidOperation, ValueError):
        return ""
    if not amount.is_finite():
        return ""
    return f"฿{amount:,.2f}" if amount != amount.to_integral_value() else f"฿{amount:,.0f}"


def is_open(status: str, opens: datetime.date | None, closes: datetime.date | None,
            on: datetime.date) -> bool:
    """Open or ongoing, and ``on`` within its dates (either may be missing)."""
    return (status in OPEN_STATUSES and (opens is None or opens <= on)
            and (closes is None or closes >= on))


def where(codes: list[str]) -> list[str]:
    """The areas in words: the whole province, whole districts (named, or with every tambon
    listed), and the tambons of districts served only in part."""
    lang, known = current_lang(), areas.areas()
    valid = [c for c in dict.fromkeys(codes) if c in known]
    if areas.PROVINCE_CODE in valid:
        return [tk._("The whole province ({name})").format(
            name=area_label(areas.PROVINCE_CODE, lang))]
    named = {c for c in valid if known[c].level == "amphoe"}
    tambons = {c for c in valid if known[c].level == "tambon"}
    out = []
    for amphoe in children(areas.PROVINCE_CODE):
        inside = tambons & tambons_of(amphoe)
        if amphoe in named or (inside and inside == tambons_of(amphoe)):
            out.append(tk._("The whole district of {name}").format(name=area_label(amphoe, lang)))
        elif inside:
            out.append(tk._("{district}: {tambons}").format(
                district=area_label(amphoe, lang),
                tambons=", ".join(area_label(t, lang) for t in sorted(inside))))
    return out


def summary(pkg: dict[str, Any]) -> dict[str, Any]:
    """The card at the top of a programme's page."""
    opens, closes = _date(pkg.get("open_date")), _date(pkg.get("close_date"))
    status = pkg.get("programme_status") or ""
    statuses = choice_labels(AGENCY_RESOURCE, "programme_status", current_lang())
    return {"open": is_open(status, opens, closes, today()),
            "status_label": statuses.get(status, status),
            "open_date": opens.isoformat() if opens else None,
            "close_date": closes.isoformat() if closes else None,
            "eligibility": pkg.get("eligibility") or "",
            "where": where(list(pkg.get("area_codes") or [])),
            "how_to_apply": pkg.get("how_to_apply") or "",
            "contact": {"name": pkg.get("maintainer") or "",
                        "email": pkg.get("maintainer_email") or "",
                        "phone": pkg.get("contact_phone") or ""},
            "budget": baht(pkg.get("budget_baht")) if pkg.get("budget_baht") else "",
            "capacity": pkg.get("capacity"), "capacity_unit": pkg.get("capacity_unit")}
