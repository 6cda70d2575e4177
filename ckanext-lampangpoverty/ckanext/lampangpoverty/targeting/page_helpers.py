"""Template helpers of the area profiles, the home page and programme pages (registered with
the others through ``helpers.py``)."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

import ckan.plugins.toolkit as tk

from ..catalogue import areas
from ..catalogue.labels import current_lang
from ..lib.markup import script_json
from . import geo, pages, programme_page


def lampangpoverty_baht(value: Any) -> str:
    """An amount of baht as ``฿2,000,000``."""
    return programme_page.baht(value)


def lampangpoverty_programme_summary(pkg: dict[str, Any]) -> dict[str, Any]:
    """What a programme's page shows first (open now, who, where, how, contact, budget)."""
    return programme_page.summary(pkg)


def lampangpoverty_percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:,.0f}%"


def lampangpoverty_indicator_label(code: str) -> str:
    return pages.indicator_label(code)


def lampangpoverty_unit_label(unit: str) -> str:
    return pages.unit_label(unit)


def lampangpoverty_year_label(year: int | None) -> str:
    return pages.year_label(year) if year else ""


def lampangpoverty_term_labels(names: list[str]) -> dict[str, str]:
    return pages.term_labels(list(names))


def lampangpoverty_map_tiles() -> dict[str, str]:
    """The optional tile server of the area maps (empty: boundaries only)."""
    return {"url": tk.config["ckanext.lampangpoverty.areas.tile_url"] or "",
            "attribution": tk.config["ckanext.lampangpoverty.areas.tile_attribution"] or ""}


def lampangpoverty_home() -> dict[str, Any]:
    return pages.home()


def lampangpoverty_home_map(values: dict[str, float | None]) -> dict[str, Any]:
    """The districts of the province, linked to their profiles, with their values."""
    return geo.collection([c for c in areas.areas() if len(c) == 4], current_lang(),
                          lambda code: tk.h.url_for("lampangpoverty_area.read", code=code),
                          values)


def lampangpoverty_district_outlines() -> Markup:
    """The districts' outlines, names and links (lampangpoverty_home_map without values) as
    JSON for a page: the same for every search and dataset page in a language, so made once
    per language and link prefix (``/en/``, a site under a path) in a worker."""
    key = (current_lang(), tk.h.url_for("lampangpoverty_area.read", code=areas.PROVINCE_CODE))
    if key not in _outlines:
        _outlines[key] = script_json(lampangpoverty_home_map({}))
    return _outlines[key]


_outlines: dict[tuple[str, str], Markup] = {}
