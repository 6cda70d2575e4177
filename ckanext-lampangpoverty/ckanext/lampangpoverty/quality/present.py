"""How pages show quality: badge texts and colours, field names, a resource's checks, and
the freshness of an area's records (for the area profiles)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_language_text

from ..catalogue.labels import current_lang
from ..model import Freshness, Link, ResourceQuality, Validation
from . import labels, report, score

# Background colours for white text, each with a contrast of at least 5.9:1 (WCAG AA).
GREEN, BLUE, AMBER, RED, DARK_RED, GREY = ("#1e6b34", "#23527c", "#7a5200", "#a3300c",
                                           "#8b1a1a", "#4a5560")
COLOURS = {
    Freshness.FRESH: GREEN, Freshness.DUE: AMBER, Freshness.OVERDUE: RED,
    Freshness.DELINQUENT: DARK_RED, Freshness.NEVER: BLUE, Freshness.AS_NEEDED: BLUE,
    Freshness.UNKNOWN: GREY,
    Validation.VALID: GREEN, Validation.INVALID: RED, Validation.PENDING: GREY,
    Validation.NOT_TABULAR: GREY, Validation.NOT_TABLE: RED, Validation.TOO_LARGE: AMBER,
    Validation.TIMEOUT: AMBER, Validation.UNREACHABLE: RED, Validation.ERROR: DARK_RED,
    Link.OK: GREEN, Link.UPLOAD: BLUE, Link.UNCHECKED: GREY, Link.BROKEN: RED,
    Link.TIMEOUT: AMBER, Link.REFUSED: DARK_RED,
}
BAND_COLOURS = {"a": GREEN, "b": BLUE, "c": AMBER, "d": DARK_RED}


def colour(status: str) -> str:
    return COLOURS.get(status, GREY)


def badges(quality: dict[str, Any] | None) -> list[dict[str, str]]:
    """The badges of a record: freshness, score, and the failing checks."""
    if not quality:
        return []
    status = (quality.get("freshness") or {}).get("status") or Freshness.UNKNOWN
    out = [{"text": labels.freshness().get(status, status), "colour": colour(status),
            "title": labels.freshness_reason(quality.get("freshness") or {})}]
    value = quality.get("score")
    if value is not None:
        band = score.band(value) or "d"
        out.append({"text": f"{value}/100", "colour": BAND_COLOURS[band],
                    "title": labels.bands()[band]})
    parts = quality.get("parts") or {}
    if (parts.get("links") or {}).get("failing"):
        out.append({"text": labels.links()[Link.BROKEN], "colour": RED, "title": ""})
    failing = (parts.get("validation") or {}).get("failing")
    if failing:
        # Not "data errors": a file too large, too slow or unreachable fails validation too.
        out.append({"text": tk._("Fails validation"), "colour": RED,
                    "title": tk.ungettext("{n} file fails validation",
                                         "{n} files fail validation", failing).format(n=failing)})
    return out


class Words:
    """Labels for templates (looked up in the reader's language when used)."""

    @property
    def parts(self) -> dict[str, str]:
        return labels.parts()

    @property
    def changed_by(self) -> dict[str, str]:
        return labels.changed_by()

    @staticmethod
    def reason(detail: dict[str, Any]) -> str:
        return labels.freshness_reason(detail)


def field_labels(dataset_type: str, names: list[str]) -> list[str]:
    fields = {f["field_name"]: f for f in
              (scheming_get_dataset_schema(dataset_type) or {}).get("dataset_fields", [])}
    lang = current_lang()
    out = []
    for name in names:
        if name == score.RESOURCES:
            out.append(labels.resources_label())
        elif name in fields:
            out.append(scheming_language_text(fields[name].get("label", name), lang))
        else:
            out.append(name)
    return out


def resource_quality(resource_id: str) -> dict[str, Any] | None:
    res = model.Resource.get(resource_id)
    if res is None:
        return None
    return report.resource_dictize(res, ResourceQuality.get(resource_id))


def area_freshness(code: str) -> list[dict[str, Any]]:
    """How fresh the public records covering an area are (for the area profiles): each
    freshness status with its count, label and colour, from the search index."""
    import ckan.plugins.toolkit as tk

    field = "vocab_tambon" if len(code) == 6 else "vocab_district"
    result = tk.get_action("package_search")({}, {
        "fq": f'{field}:"{code}"' if len(code) > 2 else "", "rows": 0,
        "facet.field": ["freshness"], "facet.limit": -1})
    counts = {i["name"]: i["count"] for i in result["search_facets"]
              .get("freshness", {}).get("items", [])}
    words = labels.freshness()
    return [{"status": s, "count": counts[s], "label": words[s], "colour": colour(s)}
            for s in Freshness.ALL if counts.get(s)]
