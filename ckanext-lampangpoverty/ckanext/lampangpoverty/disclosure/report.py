"""Disclosure reports of a release: the internal one for the owning organisation (exactly the
methods applied, with their parameters; risk before and after; information lost per column)
and a public summary that says how the data were protected without saying anything about any
record. Every sentence is a method entry ``{"code", "message", "params"}``: ``message`` is an
English message id with ``%(name)s`` placeholders, translated when shown; the params named in
``translate`` (level and method names) are message ids too. ``text()`` renders one."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .table import _, render
from .transform import Release, Thresholds

_NUMERIC = {"bands": _("in bands"), "round": _("rounded to 2 significant digits"),
            "topcode": _("exact")}


def _entry(code: str, message: str, translate: tuple[str, ...] = (), **params) -> dict:
    return {"code": code, "message": message, "params": params, "translate": list(translate)}


def text(entry: dict) -> str:
    """An entry (a method, problem, flag or advice as stored) in the current language."""
    return render(entry["message"], entry.get("params"), entry.get("translate", ()))


def methods(result: Release) -> list[dict]:
    """Exactly what was done to the table, in the order it was done."""
    out = []
    if result.dropped:
        out.append(_entry("drop", _("Columns removed (direct identifiers, record keys, free "
                                    "text, columns without a role): %(columns)s"),
                          columns=", ".join(result.dropped)))
    if result.pseudonymised:
        out.append(_entry("pseudonym", _("%(column)s replaced by random household pseudonyms "
                                         "(not derived from the codes); %(unlinked)s "
                                         "households unlinked"),
                          column=result.pseudonymised, unlinked=result.unlinked_households))
    for column, c in result.codings.items():
        out.append(_entry("code", _("%(column)s: values below %(bottom)s bottom-coded and from "
                                    "%(top)s up top-coded (percentiles %(p_bottom)s and "
                                    "%(p_top)s: %(n_bottom)s and %(n_top)s cells), in between "
                                    "%(method)s"), ("method",),
                          column=column, bottom=c.bottom, top=c.top, p_bottom=c.bottom_percentile,
                          p_top=c.top_percentile, n_bottom=c.cells_bottom, n_top=c.cells_top,
                          method=_NUMERIC[c.method]))
    for column, loss in result.loss.items():
        if not loss.levels:
            continue
        if loss.erased:
            out.append(_entry("erase", _("%(column)s erased (published as one value)"),
                              column=column))
        elif loss.level_index == 0:
            out.append(_entry("keep", _("%(column)s published as it is (%(level)s)"),
                              ("level",), column=column, level=loss.level))
        else:
            out.append(_entry("generalise", _("%(column)s recoded to %(level)s"), ("level",),
                              column=column, level=loss.level))
    if result.suppressed_records:
        share = result.suppressed_cells / max(1, len(result.table) * _quasi_count(result))
        out.append(_entry("suppress", _("%(records)s records had every quasi-identifier "
                                        "suppressed (%(cells)s cells, %(share)s of "
                                        "quasi-identifier cells)"),
                          records=result.suppressed_records, cells=result.suppressed_cells,
                          share=f"{share:.1%}"))
    out.append(_entry("shuffle", _("Rows published in random order")))
    out.append(_entry("census", _("Risk measured as for a census: a record's risk is 1/f_k, "
                                  "f_k the records sharing its quasi-identifiers")))
    return out


def _quasi_count(result: Release) -> int:
    return sum(1 for loss in result.loss.values() if loss.levels) or 1


def internal(result: Release, thresholds: Thresholds, roles: dict[str, str],
             recodes: dict[str, Any] | None = None) -> dict[str, Any]:
    applied = methods(result)
    return {
        "status": result.status,
        "passed": result.passed,
        "methods": applied,
        "methods_text": [text(m) for m in applied],
        "thresholds": asdict(thresholds),
        "roles": roles,
        "recodes": recodes or {},
        "dropped_columns": result.dropped,
        "pseudonymised": result.pseudonymised,
        "levels": {c: {"level": x.level, "index": x.level_index, "levels": x.levels}
                   for c, x in result.loss.items() if x.levels},
        "codings": {c: asdict(x) for c, x in result.codings.items()},
        "effective_k": result.effective_k,
        "suppressed_records": result.suppressed_records,
        "suppressed_cells": result.suppressed_cells,
        "unlinked_households": result.unlinked_households,
        "before": result.before.as_dict(),
        "after": result.after.as_dict(),
        "information_loss": {c: asdict(loss) for c, loss in result.loss.items()},
        "total_loss": result.candidate.loss if result.candidate else None,
        "records_changed": result.records_changed,
        "failures": result.failures,
        "problems": [p.as_dict() for p in result.problems],
        "flags": [f.as_dict() for f in result.flags],
        "search": result.search,
    }


def public(result: Release, thresholds: Thresholds) -> dict[str, Any]:
    """Only aggregates, rounded, and never a value of the table."""
    after = result.after
    quasi = _quasi_count(result)
    applied = [m for m in methods(result) if m["code"] != "drop"]
    return {
        "status": result.status,
        "passed": result.passed,
        "records": after.records,
        "k_anonymity": after.k,
        "l_diversity": min(after.l_diversity.values()) if after.l_diversity else None,
        "max_individual_risk": round(after.max_risk, 3),
        "global_risk": round(after.global_risk, 4),
        "household_risk": None if after.composition_max_risk is None
        else round(after.composition_max_risk, 3),
        "thresholds": asdict(thresholds),
        "direct_identifiers_removed": len(result.dropped),
        "cells_suppressed_share": round(result.suppressed_cells
                                        / max(1, len(result.table) * quasi), 4),
        "information_loss": round(result.candidate.loss, 4) if result.candidate else None,
        "flags": [f.as_dict() for f in result.flags],
        "methods": applied,
        "methods_text": [text(m) for m in applied],
    }
