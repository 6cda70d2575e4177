"""What an editor sees before the run, worked out by the background job that reads a table:
for every column the proposed role and recode with its reason, and for the roles in force the
best two or three releases the gate could publish and what keeping each quasi-identifier
finer costs. Stored as JSON on the submission; nothing in it is a value of the table (level
names, counts, losses and risks only)."""
from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from ..disclosure import plan as lattice
from ..disclosure import propose, transform

log = logging.getLogger(__name__)

ALTERNATIVES = 3


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars and tuples turned into what JSON holds."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def columns(df: pd.DataFrame, thresholds: transform.Thresholds) -> dict[str, dict[str, Any]]:
    """The proposal for every column (role, recode, reason code, message id and params);
    numeric sensitive columns get the configured coding."""
    coding = propose.Coding(thresholds.numeric_method, thresholds.bottom_percentile,
                            thresholds.top_percentile)
    return {c: jsonable(p.as_dict()) for c, p in propose.propose(df, coding=coding).items()}


def accepted(proposals: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The roles, recodes and household column an editor gets by accepting every proposal.
    A household key that stays a direct identifier still groups the records for measuring
    (it is never published)."""
    household = next((c for c, p in proposals.items()
                      if "household_key" in p.get("alternatives", ())), None)
    return {"roles": {c: p["role"] for c, p in proposals.items()},
            "recodes": {c: p["recode"] for c, p in proposals.items()
                        if p["role"] in ("quasi_identifier", "sensitive")},
            "household_column": household}


def identifiers(proposals: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Columns found holding direct identifiers: column, kind and cells."""
    return [{"column": c, "kind": p["reason"].removeprefix("identifier_"),
             "cells": p["params"].get("cells")}
            for c, p in proposals.items() if p["reason"].startswith("identifier_")]


def plan(df: pd.DataFrame, roles: dict[str, str], recodes: dict[str, Any],
         household: str | None, thresholds: transform.Thresholds) -> dict[str, Any]:
    """The best releases for these settings (best first) and, per quasi-identifier, the loss
    of the best release that keeps it at each finer level. One prepared table serves both,
    so every node of the lattice is evaluated once, and all their searches share the work
    budget of one search: the proposal of a million rows stays bounded (its figures then
    say whether each was proven best)."""
    prepared = transform.prepare(df, roles, thresholds, recodes=recodes, household=household)
    # All the searches together may spend what one search of the check may.
    allowance = lattice.Allowance(prepared.evaluator, thresholds.search_budget)
    budget = thresholds.search_budget
    candidates = lattice.alternatives(prepared, budget, ALTERNATIVES, allowance)
    costs = lattice.costs(prepared, budget, allowance)
    return jsonable({
        "roles": roles, "recodes": recodes, "household_column": household,
        "thresholds": asdict(thresholds),
        "alternatives": [c.as_dict() for c in candidates],
        "costs": {c: asdict(cost) for c, cost in costs.items()},
        "hierarchies": {h.column: {"kind": h.kind, "levels": list(h.levels)}
                        for h in prepared.hierarchies}})


def safe_plan(df: pd.DataFrame, roles: dict[str, str], recodes: dict[str, Any],
              household: str | None, thresholds: transform.Thresholds) -> dict[str, Any] | None:
    """``plan``, or None when it cannot be worked out (the form then offers no alternatives;
    the check itself still runs, and decides)."""
    try:
        return plan(df, roles, recodes, household, thresholds)
    except Exception:
        log.exception("working out the alternatives failed")
        return None


def alternative_recodes(chosen: dict[str, Any], roles: dict[str, str]) -> dict[str, Any]:
    """Recodes that publish a stored alternative (its level for every column that is still a
    quasi-identifier)."""
    return {c: {"method": chosen["kinds"].get(c, "categorical"), "level": level}
            for c, level in chosen["levels"].items() if roles.get(c) == "quasi_identifier"}
