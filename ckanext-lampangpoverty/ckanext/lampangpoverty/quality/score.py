"""The quality score of a record (0-100) and its parts: metadata completeness against the
fields its scheming schema marks ``recommended``, freshness, link health and validation.
A part that does not apply (no links, no tabular file) is left out and the others weigh
more. Pure: the callers hand in what they read."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .statuses import Freshness, Link, Validation

WEIGHTS = {"metadata": 35, "freshness": 35, "links": 15, "validation": 15}
FRESHNESS_VALUE = {Freshness.FRESH: 1.0, Freshness.DUE: 0.7, Freshness.OVERDUE: 0.3,
                   Freshness.DELINQUENT: 0.0, Freshness.NEVER: 1.0, Freshness.AS_NEEDED: 1.0,
                   Freshness.UNKNOWN: 0.5}
# Score bands (a facet): lowest score of each, best first.
BANDS = (("a", 85), ("b", 70), ("c", 50), ("d", 0))
RESOURCES = "resources"   # the pseudo-field "every resource has a name and a format"


def recommended_fields(schema: dict[str, Any] | None) -> list[str]:
    """The dataset fields a scheming schema marks ``recommended: true``."""
    fields = (schema or {}).get("dataset_fields", [])
    return [f["field_name"] for f in fields if f.get("recommended")]


def filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() not in ("", "[]", "{}")
    if isinstance(value, (list, tuple, dict, set)):
        return bool(value)
    return True


def completeness(fields: Iterable[str], value_of: Callable[[str], Any],
                 resources: list[dict[str, Any]]) -> tuple[float, list[str]]:
    """Share of the recommended fields that are filled (``resources``: at least one
    resource, each with a name and a format), and the names of those missing."""
    names = [*fields, RESOURCES]
    missing = [n for n in names if n != RESOURCES and not filled(value_of(n))]
    if not resources or not all(filled(r.get("name")) and filled(r.get("format"))
                                for r in resources):
        missing.append(RESOURCES)
    return round((len(names) - len(missing)) / len(names), 4), missing


def links_part(statuses: Iterable[str]) -> dict[str, Any] | None:
    """Links that answered (files stored here count as good) against those that failed;
    None while none was checked."""
    counted = [s for s in statuses if s != Link.UNCHECKED]
    if not counted:
        return None
    failing = sum(1 for s in counted if s in Link.FAILING)
    return {"checked": len(counted), "failing": failing,
            "share": round((len(counted) - failing) / len(counted), 4)}


def validation_part(statuses: Iterable[str]) -> dict[str, Any] | None:
    """Tabular resources that validated against those that failed; None when there is no
    tabular resource with a result yet."""
    counted = [s for s in statuses if s not in (Validation.NOT_TABULAR, Validation.PENDING)]
    if not counted:
        return None
    failing = sum(1 for s in counted if s in Validation.FAILING)
    return {"checked": len(counted), "failing": failing,
            "share": round((len(counted) - failing) / len(counted), 4)}


def combine(metadata_share: float, freshness: str, links: dict[str, Any] | None,
            validation: dict[str, Any] | None) -> tuple[int, dict[str, Any]]:
    """The score and its parts (each with its weight and its share)."""
    parts: dict[str, Any] = {
        "metadata": {"share": metadata_share},
        "freshness": {"status": freshness, "share": FRESHNESS_VALUE.get(freshness, 0.5)},
    }
    if links is not None:
        parts["links"] = links
    if validation is not None:
        parts["validation"] = validation
    total = sum(WEIGHTS[name] for name in parts)
    score = sum(WEIGHTS[name] * part["share"] for name, part in parts.items()) / total
    for name, part in parts.items():
        part["weight"] = round(WEIGHTS[name] / total, 4)
    return round(score * 100), parts


def band(score: int | None) -> str | None:
    if score is None:
        return None
    return next(code for code, lowest in BANDS if score >= lowest)
