"""Area pages: the profile of the province, an amphoe or a tambon (``/area/<code>``), and the
province's widest gaps between need and open programmes (``/area/gaps``)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, request

import ckan.plugins.toolkit as tk

from ..catalogue import areas
from ..catalogue.labels import current_lang
from ..catalogue.types import POLICY_PROPOSAL, POVERTY_DATASET
from ..targeting import geo, indicators, pages
from .common import context

blueprint = Blueprint("lampangpoverty_area", __name__)

PROGRAMME_CARDS = 12


def _href(code: str) -> str:
    return tk.h.url_for("lampangpoverty_area.read", code=code)


@blueprint.route("/area/")
def index() -> Any:
    return tk.redirect_to("lampangpoverty_area.read", code=areas.PROVINCE_CODE)


@blueprint.route("/area/<code>")
def read(code: str) -> Any:
    try:
        current = areas.resolve(code)
    except areas.UnknownAreaCode:
        return tk.abort(404, tk._("%s is not an area code of Lampang province") % code)
    if current != code:
        return tk.redirect_to("lampangpoverty_area.read", code=current)
    profile = tk.get_action("lampangpoverty_area_profile")(context(), {"id": code})
    shown, highlight = geo.shown_with(code)
    values = pages.area_values(shown, profile["year"])
    return tk.render("lampangpoverty/area/read.html", {
        "profile": profile, "charts": pages.charts(profile),
        "map": geo.collection(shown, current_lang(), _href, values, highlight),
        "outline": geo.collection([code], current_lang(), _href) if highlight is None else None,
        "cards": pages.programme_cards(profile["programmes"], PROGRAMME_CARDS),
        "proposals": pages.related(code, POLICY_PROPOSAL),
        "datasets": pages.related(code, POVERTY_DATASET),
        "dimension_labels": pages.term_labels(list(indicators.DIMENSIONS)),
        "group_labels": pages.term_labels(list(indicators.group_indicators())),
    })


@blueprint.route("/area/gaps")
def gaps() -> Any:
    level = request.args.get("level", "tambon")
    dimension = request.args.get("dimension") or None
    try:
        result = tk.get_action("lampangpoverty_area_gaps")(context(), {
            "level": level, "limit": 200, **({"dimension": dimension} if dimension else {})})
    except tk.ValidationError as e:
        return tk.abort(400, "; ".join(f"{k}: {v}" for k, v in e.error_dict.items()))
    codes = [a.code for a in areas.areas().values() if a.level == level]
    values = {row["code"]: row["gap"] for row in result["areas"]}
    return tk.render("lampangpoverty/area/gaps.html", {
        "result": result, "level": level, "dimension": dimension,
        "map": geo.collection(codes, current_lang(), _href, values),
        "dimension_labels": pages.term_labels(list(indicators.DIMENSIONS)),
    })
