"""Disclosure reports of a release: the internal one for the owning organisation (methods,
parameters, risk before and after, suppressed cells per column) and a public summary that
says how the data were protected without saying anything about any record."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .transform import Release, Thresholds

METHODS = ("Direct identifiers removed; recoding (age bands, tambon to amphoe, income bands "
           "with bottom and top coding, household size capped); local suppression of "
           "quasi-identifier cells; risk measured as a census: individual risk 1/f_k.")


def internal(result: Release, thresholds: Thresholds, roles: dict[str, str],
             recodes: dict[str, Any]) -> dict[str, Any]:
    return {
        "methods": METHODS,
        "thresholds": asdict(thresholds),
        "roles": roles,
        "recodes": recodes,
        "dropped_columns": result.dropped,
        "effective_k": result.effective_k,
        "before": result.before.as_dict(),
        "after": result.after.as_dict(),
        "information_loss": {c: asdict(loss) for c, loss in result.loss.items()},
        "records_changed": result.records_changed,
        "passed": result.passed,
        "failures": result.failures,
    }


def public(result: Release, thresholds: Thresholds) -> dict[str, Any]:
    """Only aggregates, rounded, and never a value of the table."""
    after = result.after
    cells = max(1, len(result.table) * max(1, len(result.table.columns)))
    suppressed = sum(loss.cells_suppressed for loss in result.loss.values())
    return {
        "passed": result.passed,
        "records": after.records,
        "k_anonymity": after.k,
        "l_diversity": min(after.l_diversity.values()) if after.l_diversity else None,
        "max_individual_risk": round(after.max_risk, 3),
        "global_risk": round(after.global_risk, 4),
        "thresholds": asdict(thresholds),
        "direct_identifiers_removed": len(result.dropped),
        "cells_suppressed_share": round(suppressed / cells, 4),
        "methods": METHODS,
    }
