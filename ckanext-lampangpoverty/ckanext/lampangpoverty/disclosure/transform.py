"""From a raw household table to a release: drop direct identifiers and keys, replace a kept
household key by random pseudonyms, code numeric sensitive values, then search the lattice of
quasi-identifier generalisations for the release that meets every threshold with the least
information lost, suppress the few records still needed, and measure again.

Deterministic except for the pseudonyms and the row order, which come from ``seed`` (a fresh
random seed when None): the same table, settings and seed give the same release.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import hierarchy, keys, numeric
from .checks import Flag, Problem, failures, flags, problems
from .evaluate import Criteria, Evaluator
from .measure import SUPPRESSED, Measures, measure
from .plan import Candidate, ColumnCost, candidate
from .plan import alternatives as _alternatives
from .plan import costs as _costs
from .search import Outcome, Search

__all__ = [
    "SUPPRESSED",
    "ColumnLoss",
    "Prepared",
    "Release",
    "Thresholds",
    "alternatives",
    "column_costs",
    "failures",
    "prepare",
    "release",
]


@dataclass
class Thresholds:
    k: int = 5
    l: int = 2
    max_risk: float = 0.2
    global_risk: float = 0.03
    household_risk: float = 0.2         # largest composition risk of a linked household
    suppression_budget: float = 0.05    # share of records (and households) to suppress (unlink)
    bottom_percentile: float = 5.0      # numeric sensitive values below are bottom-coded
    top_percentile: float = 95.0        # ... and from here up top-coded
    numeric_method: str = "bands"       # bands | round | topcode (between the cut points)
    numeric_bands: int = 5
    amber_suppressed: float = 0.2       # a release suppressing more QI cells is amber
    search_budget: float = 5e8          # work (rows x columns) the search may spend, then stops

    @property
    def effective_k(self) -> int:
        return max(self.k, math.ceil(1.0 / self.max_risk - 1e-9)) if self.max_risk > 0 \
            else self.k


@dataclass
class ColumnLoss:
    categories_before: int
    categories_after: int
    cells_recoded: int = 0
    cells_suppressed: int = 0
    level: str = ""                     # QI: the hierarchy level published (message id)
    level_index: int = 0
    levels: int = 0
    loss: float = 0.0                   # QI: mean loss per cell (LM), suppression included
    erased: bool = False


@dataclass
class Release:
    table: pd.DataFrame
    before: Measures
    after: Measures
    dropped: list[str]
    loss: dict[str, ColumnLoss]
    records_changed: int
    effective_k: int
    failures: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    pseudonymised: str | None = None
    exact_numeric: list[str] = field(default_factory=list)  # sensitive numbers kept exact
    codings: dict[str, numeric.Coding] = field(default_factory=dict)
    candidate: Candidate | None = None
    suppressed_records: int = 0
    suppressed_cells: int = 0
    unlinked_households: int = 0
    optimal: bool = True
    search: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def status(self) -> str:
        """failed, amber (passed but keeps little: see ``flags``) or passed."""
        return "failed" if self.problems else "amber" if self.flags else "passed"

    @property
    def levels(self) -> dict[str, str]:
        return self.candidate.levels if self.candidate else {}


_COMPAT = {"age_band": "age", "tambon_to_amphoe": "area", "cap": "household_size",
           "income_band": "bands"}


def normalise(spec: dict[str, Any] | None) -> dict[str, Any]:
    """A recode with the methods of the first gate (age_band, tambon_to_amphoe, cap,
    income_band) read as the hierarchy they started, at least at the level they named."""
    spec = dict(spec or {})
    method = spec.get("method", "")
    if method in _COMPAT:
        spec["method"] = _COMPAT[method]
        if method == "age_band":
            spec.setdefault("min_level", f"{int(spec.pop('width', 10))}-year bands")
        elif method == "tambon_to_amphoe":
            spec.setdefault("min_level", "amphoe")
        elif method == "cap":
            spec.setdefault("min_level", "capped at 6+")
    return spec


@dataclass
class Prepared:
    quasi: list[str]
    sensitive: list[str]
    dropped: list[str]
    household: str | None               # the column that groups records into households
    linked: bool                        # it is published (as pseudonyms)
    coded: dict[str, pd.Series]         # sensitive columns as published (categorical)
    changed: dict[str, np.ndarray]      # ... and which of their cells differ from the table
    codings: dict[str, numeric.Coding]
    hierarchies: list[hierarchy.Hierarchy]
    evaluator: Evaluator
    others: list[str]                   # published as they are
    floor: tuple[int, ...]
    cap: tuple[int, ...]


def _code_sensitive(df, sensitive, recodes, thresholds):
    coded: dict[str, Any] = {}
    codings: dict[str, numeric.Coding | None] = {}
    changed: dict[str, np.ndarray] = {}
    for column in sensitive:
        spec = normalise(recodes.get(column))
        method = spec.get("method", "")
        text = df[column].astype("string").fillna("")
        if method == "keep" or (method not in (*numeric.METHODS, "bands")
                                and not numeric.is_numeric(df[column])):
            if numeric.is_numeric(df[column]):
                codings[column] = None  # the editor chose to publish exact numbers
            coded[column] = text.astype("category")
            changed[column] = np.zeros(len(df), dtype=bool)
            continue
        series, codings[column] = numeric.code(
            column, df[column],
            method=method if method in numeric.METHODS else thresholds.numeric_method,
            bottom=float(spec.get("bottom", thresholds.bottom_percentile)),
            top=float(spec.get("top", thresholds.top_percentile)),
            bands=int(spec.get("bands", thresholds.numeric_bands)), k=thresholds.effective_k)
        changed[column] = (series != text.str.strip()).to_numpy(dtype=bool, na_value=True)
        coded[column] = series.astype("category")
    return coded, codings, changed


def _bounds(hierarchies, recodes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    floor, cap = [], []
    for h in hierarchies:
        spec = normalise(recodes.get(h.column))
        low = h.level_of(spec["min_level"]) if "min_level" in spec else 0
        high = h.level_of(spec["max_level"]) if "max_level" in spec else h.top
        if "level" in spec:
            low = high = h.level_of(spec["level"])
        floor.append(min(low, h.top))
        cap.append(max(min(high, h.top), min(low, h.top)))
    return tuple(floor), tuple(cap)


def prepare(df: pd.DataFrame, roles: dict[str, str], thresholds: Thresholds, *,
            recodes: dict[str, dict[str, Any]] | None = None,
            household: str | None = None) -> Prepared:
    recodes = recodes or {}
    quasi = [c for c, r in roles.items() if r == "quasi_identifier"]
    sensitive = [c for c, r in roles.items() if r == "sensitive"]
    kept_keys = [c for c, r in roles.items() if r == "household_key"]
    dropped = [c for c, r in roles.items() if r == "direct_identifier"]
    household = kept_keys[0] if kept_keys else household
    dropped += kept_keys[1:]  # one household key at most is kept
    # A grouping column is a key: never published verbatim, whatever role it was given;
    # a column without a role is not published either.
    dropped += [c for c in map(str, df.columns) if c not in roles and c not in dropped]
    if household and not kept_keys and household not in dropped:
        dropped.append(household)
    others = [c for c, r in roles.items() if r == "other" and c not in dropped]
    linked = bool(kept_keys)
    coded, codings, changed = _code_sensitive(df, sensitive, recodes, thresholds)
    hierarchies = [hierarchy.build(c, df[c], normalise(recodes.get(c)).get("method")
                                   if normalise(recodes.get(c)).get("method") in hierarchy.KINDS
                                   else None) for c in quasi]
    sens_codes = [coded[s].cat.codes.to_numpy().astype(np.int64) for s in sensitive]
    hk = 0
    if linked and thresholds.household_risk < 1.0:
        hk = math.ceil(1.0 / max(thresholds.household_risk, 1e-9) - 1e-9)
    criteria = Criteria(thresholds.effective_k, thresholds.l, thresholds.global_risk, hk,
                        thresholds.suppression_budget)
    codes = keys.household_codes(df[household]) if household else None
    evaluator = Evaluator(hierarchies, sens_codes, criteria, codes if linked else None,
                          n=len(df))
    floor, cap = _bounds(hierarchies, recodes)
    return Prepared(quasi, sensitive, dropped, household, linked, coded, changed, codings,
                    hierarchies,
                    evaluator, others, floor, cap)


def _pseudonyms(codes: np.ndarray, unlink: np.ndarray, rng: np.random.Generator):
    """Random labels per household (not derived from the codes, not in their order); an
    unlinked household's members get an empty label. Returns the labels (categorical) and
    each record's household number (0: none)."""
    households = int(codes.max()) + 1 if codes.size and codes.max() >= 0 else 0
    number = rng.permutation(households) + 1
    width = len(str(max(households, 1)))
    names = [f"H{x:0{width}d}" for x in number] + [""]
    index = np.where((codes >= 0) & ~np.isin(codes, unlink), codes, households)
    numbers = np.r_[number, 0][index]
    return pd.Categorical.from_codes(index, categories=pd.Index(names, dtype=object)), numbers


def release(df: pd.DataFrame, roles: dict[str, str], thresholds: Thresholds | None = None, *,
            recodes: dict[str, dict[str, Any]] | None = None, household: str | None = None,
            seed: int | None = None, prepared: Prepared | None = None) -> Release:
    """The whole transformation, measured before and after."""
    thresholds = thresholds or Thresholds()
    prep = prepared or prepare(df, roles, thresholds, recodes=recodes, household=household)
    before = measure(df, prep.quasi, prep.sensitive, k=thresholds.effective_k,
                     risk_threshold=thresholds.max_risk, household=prep.household)
    outcome = Search(prep.evaluator, thresholds.search_budget).run(prep.floor, prep.cap)
    node = outcome.best.node if outcome.best else tuple(h.top for h in prep.hierarchies)
    rng = np.random.default_rng(seed if seed is not None
                                else int.from_bytes(os.urandom(8), "little"))
    table, suppressed, unlinked, order = _build(df, prep, node, rng)
    return _finish(df, prep, thresholds, before, outcome, node,
                   (table, suppressed, unlinked, order))


def _finish(df, prep: Prepared, thresholds: Thresholds, before: Measures, outcome: Outcome,
            node, built) -> Release:
    table, suppressed, unlinked, order = built
    measured, household = table, None
    if prep.linked:
        household = prep.household
    elif prep.household:
        household = "\x00household"  # measured beside the release, never published
        measured = table.assign(**{household: df[prep.household].to_numpy()[order]})
    after = measure(measured, prep.quasi, prep.sensitive, k=thresholds.effective_k,
                    risk_threshold=thresholds.max_risk, household=household,
                    linked=prep.linked)
    loss = _column_loss(df, prep, node, table, suppressed)
    evaluation = outcome.best or prep.evaluator.evaluate(node)
    exact = [c for c, x in prep.codings.items() if x is None]
    result = Release(
        table=table, before=before, after=after, dropped=list(prep.dropped), loss=loss,
        records_changed=int((suppressed | _recoded_rows(loss, df, prep, node)).sum()),
        effective_k=thresholds.effective_k, pseudonymised=prep.household if prep.linked
        else None, codings={c: x for c, x in prep.codings.items() if x is not None},
        exact_numeric=exact, candidate=candidate(prep, evaluation, outcome.optimal),
        suppressed_records=int(suppressed.sum()),
        suppressed_cells=int(suppressed.sum()) * len(prep.quasi), unlinked_households=unlinked,
        optimal=outcome.optimal, search={"evaluated": outcome.evaluated, "nodes": outcome.nodes,
                                         "optimal": outcome.optimal})
    result.problems = problems(result, thresholds, prep, outcome)
    result.failures = failures(result.problems)
    result.flags = flags(result, thresholds)
    return result


def _recoded_rows(loss, df, prep: Prepared, node) -> np.ndarray:
    changed = np.zeros(len(df), dtype=bool)
    for i, h in enumerate(prep.hierarchies):
        changed |= h.recoded(node[i])
    for column in prep.sensitive:
        changed |= prep.changed[column]
    return changed


def _build(df: pd.DataFrame, prep: Prepared, node: tuple[int, ...], rng: np.random.Generator):
    """The release table (categorical columns: 1,000,000 rows stay small), rows shuffled."""
    suppressed, unlink = prep.evaluator.outcome(node)
    out: dict[str, Any] = {}
    for i, h in enumerate(prep.hierarchies):
        out[h.column] = h.published(node[i], suppressed)
    for column in prep.sensitive:
        out[column] = prep.coded[column]
    rowkey = rng.random(len(df))
    if prep.linked and prep.household:
        labels, number = _pseudonyms(keys.household_codes(df[prep.household]), unlink, rng)
        out[prep.household] = labels
        # Members of a household stay together, households in random order.
        rowkey = np.where(number > 0, rng.random(int(number.max()) + 2)[number], rowkey)
    for column in prep.others:
        out[column] = df[column].astype("string").fillna("")
    order = np.argsort(rowkey, kind="stable")
    columns = [c for c in map(str, df.columns) if c in out]
    table = pd.DataFrame({c: _take(out[c], order) for c in columns},
                         index=pd.RangeIndex(len(order)))
    return table, suppressed, len(unlink), order


def _take(values: Any, order: np.ndarray) -> Any:
    if isinstance(values, pd.Series):
        return values.iloc[order].reset_index(drop=True)
    return values.take(order)


def _column_loss(df: pd.DataFrame, prep: Prepared, node, table, suppressed) -> dict:
    """Per column: categories before and after, cells recoded and suppressed, the level
    published and its loss (LM per cell, a suppressed cell losing 1)."""
    loss = {}
    n = max(1, len(df))
    for i, h in enumerate(prep.hierarchies):
        level = node[i]
        cell = h.cell_loss[level][h.codes(level)]
        recoded = h.recoded(level) & ~suppressed
        loss[h.column] = ColumnLoss(
            categories_before=int(df[h.column].nunique(dropna=False)),
            categories_after=int(table[h.column].nunique(dropna=False)),
            cells_recoded=int(recoded.sum()), cells_suppressed=int(suppressed.sum()),
            level=h.levels[level], level_index=level, levels=len(h.levels),
            loss=round(float(cell[~suppressed].sum() + suppressed.sum()) / n, 6),
            erased=h.erased(level))
    for column in prep.sensitive:
        loss[column] = ColumnLoss(int(df[column].nunique()), int(table[column].nunique()),
                                  cells_recoded=int(prep.changed[column].sum()))
    return loss


def alternatives(df: pd.DataFrame, roles: dict[str, str], thresholds: Thresholds | None = None,
                 *, recodes: dict[str, dict[str, Any]] | None = None,
                 household: str | None = None, count: int = 3,
                 prepared: Prepared | None = None) -> list[Candidate]:
    """The best release and up to ``count - 1`` alternatives that keep some column finer;
    ``Candidate.recodes()`` of the editor's pick, passed to ``release``, publishes it."""
    thresholds = thresholds or Thresholds()
    prep = prepared or prepare(df, roles, thresholds, recodes=recodes, household=household)
    return _alternatives(prep, thresholds.search_budget, count)


def column_costs(df: pd.DataFrame, roles: dict[str, str], thresholds: Thresholds | None = None,
                 *, recodes: dict[str, dict[str, Any]] | None = None,
                 household: str | None = None,
                 prepared: Prepared | None = None) -> dict[str, ColumnCost]:
    """Per quasi-identifier: the loss of the best release at each of its finer levels."""
    thresholds = thresholds or Thresholds()
    prep = prepared or prepare(df, roles, thresholds, recodes=recodes, household=household)
    return _costs(prep, thresholds.search_budget)
