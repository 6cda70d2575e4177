"""The verdict on a release: each threshold missed, as structured data with what the editor
could change (``Problem``), and each reason a passing release keeps little (``Flag``: amber,
never a plain success). Messages are English message ids with ``%(name)s`` placeholders."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from . import detect, keys
from .table import _, render

# Names of the measures and key kinds a problem names (message ids: the report shows them
# translated, never as the raw codes).
MEASURES = {"k": _("k-anonymity"), "l": _("l-diversity"), "max_risk": _("individual risk"),
            "global_risk": _("global risk"), "household_risk": _("household risk"),
            "suppression": _("suppression budget"),
            "suppressed_group": _("the group of suppressed records"),
            "identifier": _("direct identifier"), "key": _("record or household key")}
KEY_REASONS = {"area_code": _("begins with an area code"), "date": _("embeds a date"),
               "running_number": _("running number"), "unique": _("unique values"),
               "grouping": _("groups rows into households")}


@dataclass
class Advice:
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return render(self.message, self.params)


@dataclass
class Problem:
    measure: str                # k | l | max_risk | global_risk | household_risk | identifier | key
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    column: str | None = None
    advice: list[Advice] = field(default_factory=list)
    translate: list[str] = field(default_factory=list)  # params that are message ids

    def text(self) -> str:
        return render(self.message, self.params, self.translate)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Flag:
    code: str                   # suppressed_share | column_erased | not_optimal | numeric_exact
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return render(self.message, self.params)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _advice(measure: str, n: int, thresholds, column: str | None = None) -> list[Advice]:
    out = {
        "k": [Advice("lower_k", _("lower k (now %(k)s)"), {"k": thresholds.k}),
              Advice("fewer_quasi", _("mark fewer columns as quasi-identifiers"))],
        "l": [Advice("lower_l", _("lower l (now %(l)s)"), {"l": thresholds.l}),
              Advice("not_sensitive", _("mark %(column)s as other if it is not sensitive"),
                     {"column": column}),
              Advice("coarser_quasi", _("allow coarser recoding of the quasi-identifiers"))],
        "global_risk": [Advice("more_records", _("submit at least %(records)s records"),
                               {"records": int(1 / max(thresholds.global_risk, 1e-9)) + 1}),
                        Advice("raise_global", _("raise the global risk threshold"))],
        "household_risk": [Advice("drop_household_key",
                                  _("remove the household key (role direct_identifier)")),
                           Advice("raise_household", _("raise the household risk threshold"))],
        "suppression": [Advice("raise_budget", _("raise the suppression budget (now %(b)s)"),
                               {"b": thresholds.suppression_budget})],
    }
    return out.get(measure, []) + ([] if measure != "k" or n >= thresholds.effective_k else
                                   [Advice("more_records", _("submit at least %(records)s "
                                                             "records"),
                                           {"records": thresholds.effective_k})])


def _measured(after, thresholds) -> list[Problem]:
    out = []
    n = after.records
    if n and after.k < thresholds.k:
        out.append(Problem("k", _("k-anonymity: k = %(value)s, threshold k >= %(threshold)s"),
                           {"value": after.k, "threshold": thresholds.k},
                           advice=_advice("k", n, thresholds)))
    for column, value in after.l_diversity.items():
        if value < thresholds.l:
            out.append(Problem("l", _("l-diversity of %(column)s: l = %(value)s, threshold "
                                      "l >= %(threshold)s"),
                               {"column": column, "value": value, "threshold": thresholds.l},
                               column, _advice("l", n, thresholds, column)))
    if n and after.max_risk > thresholds.max_risk:
        out.append(Problem("max_risk", _("maximum individual risk: %(value)s, threshold <= "
                                         "%(threshold)s"),
                           {"value": round(after.max_risk, 3), "threshold": thresholds.max_risk},
                           advice=_advice("k", n, thresholds)))
    if n and after.global_risk >= thresholds.global_risk:
        out.append(Problem("global_risk", _("global risk: %(value)s, threshold < %(threshold)s"),
                           {"value": f"{after.global_risk:.2%}",
                            "threshold": f"{thresholds.global_risk:.0%}"},
                           advice=_advice("global_risk", n, thresholds)))
    risk = after.composition_max_risk
    if risk is not None and thresholds.household_risk < 1.0 and risk > thresholds.household_risk:
        out.append(Problem("household_risk", _("maximum household risk: %(value)s, threshold "
                                               "<= %(threshold)s"),
                           {"value": round(risk, 3), "threshold": thresholds.household_risk},
                           advice=_advice("household_risk", n, thresholds)))
    return out


def problems(result, thresholds, prep, outcome) -> list[Problem]:
    """Every threshold the release misses, and any identifier or key left in it."""
    out = _measured(result.after, thresholds)
    if outcome.best is None and not out:
        top = prep.evaluator.evaluate(tuple(h.top for h in prep.hierarchies))
        reason = top.reason or "suppression"
        out.append(Problem(reason, _("no recoding meets the thresholds (%(measure)s)"),
                           {"measure": MEASURES.get(reason, reason)},
                           advice=_advice(reason, result.after.records, thresholds),
                           translate=["measure"]))
    table = result.table
    exact = [c for c in table.columns if c != result.pseudonymised
             and c not in result.codings and not (c in result.loss and result.loss[c].level_index)]
    for column in exact:
        # Each distinct value is checked once, then counted over the cells that hold it.
        values = table[column].astype("string").fillna("")
        distinct = pd.DataFrame({column: values.unique()})
        for f in detect.find_identifiers(distinct):
            hits = distinct[column].iloc[[r - 1 for r in f.rows]]
            cells = int(values.isin(hits).sum())
            out.append(Problem("identifier", _("direct identifier (%(kind)s) in column "
                                               "%(column)s: %(cells)s cells"),
                               {"kind": detect.KIND_LABELS[f.kind], "column": f.column,
                                "cells": cells}, f.column, translate=["kind"]))
    for column, key in keys.find_keys(table[exact]).items():
        if key.reason in ("area_code", "date", "running_number"):
            out.append(Problem("key", _("record or household key in column %(column)s "
                                        "(%(reason)s)"),
                               {"column": column, "reason": KEY_REASONS[key.reason]}, column,
                               translate=["reason"]))
    return out


def failures(found: list[Problem]) -> list[str]:
    return [p.text() for p in found]


def flags(result, thresholds) -> list[Flag]:
    """Why a passing release is amber rather than green."""
    out = []
    quasi = [c for c, loss in result.loss.items() if loss.levels]
    cells = max(1, len(result.table) * len(quasi))
    share = result.suppressed_cells / cells
    if quasi and share > thresholds.amber_suppressed:
        out.append(Flag("suppressed_share", _("%(share)s of quasi-identifier cells are "
                                              "suppressed (more than %(limit)s)"),
                        {"share": f"{share:.0%}", "limit": f"{thresholds.amber_suppressed:.0%}"}))
    for column in quasi:
        if result.loss[column].erased:
            out.append(Flag("column_erased", _("%(column)s is erased: no recoding of it met "
                                               "the thresholds"), {"column": column}))
    if not result.optimal:
        out.append(Flag("not_optimal", _("the search stopped at its work budget: another "
                                         "release may lose less information")))
    for column, coding in result.codings.items():
        if coding.method == "topcode":
            out.append(Flag("numeric_exact", _("%(column)s publishes exact values between its "
                                               "cut points"), {"column": column}))
    for column in result.exact_numeric:
        out.append(Flag("numeric_exact", _("%(column)s publishes exact values (outliers "
                                           "included)"), {"column": column}))
    return out
