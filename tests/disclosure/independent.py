"""An independent re-implementation, for the tests, of what the engine measures and optimises:
plain Python on lists and ``collections.Counter``, no pandas, nothing imported from the
engine. ``pycanon`` (PyPI, in its own venv under var/: its pins clash with ours) is a second,
third-party opinion on k and l."""
from __future__ import annotations

import json
import math
import subprocess
import sys
import venv
from collections import Counter, defaultdict
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYCANON = ROOT / "var" / "pycanon"


def columns(table) -> dict[str, list[str]]:
    """A table (anything with ``.columns`` and ``[name]`` iterable) as lists of strings."""
    def text(v) -> str:
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
    return {str(c): [text(v) for v in list(table[c])] for c in table.columns}


def measures(cols: dict[str, list[str]], quasi: list[str], sensitive: list[str]) -> dict:
    n = len(next(iter(cols.values())))
    keys = list(zip(*(cols[q] for q in quasi), strict=False)) if quasi else [()] * n
    counts = Counter(keys)
    held = {s: defaultdict(set) for s in sensitive}
    for i, key in enumerate(keys):
        for s in sensitive:
            held[s][key].add(cols[s][i])
    risks = [1 / counts[key] for key in keys]
    return {"k": min(counts.values()), "classes": len(counts),
            "l": {s: min(len(v) for v in held[s].values()) for s in sensitive},
            "max_risk": max(risks), "global_risk": sum(risks) / n}


def household_risk(cols: dict[str, list[str]], household: str, quasi: list[str]) -> dict:
    """Households (non-empty key) grouped by composition: the multiset of their members'
    quasi-identifier values."""
    members = defaultdict(list)
    for i, h in enumerate(cols[household]):
        if h:
            members[h].append(tuple(cols[q][i] for q in quasi))
    comps = {h: tuple(sorted(m)) for h, m in members.items()}
    counts = Counter(comps.values())
    sizes = [counts[c] for c in comps.values()]
    return {"households": len(comps), "max_risk": max(1 / s for s in sizes) if sizes else 0.0,
            "unique": sum(1 for s in sizes if s == 1)}


def _suppressed(keys, sens, k, l):
    """The classes suppressed under the documented rule, or None if the suppressed group can
    never meet k and l."""
    counts = Counter(keys)
    held = defaultdict(lambda: defaultdict(set))
    first = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
        for s, values in sens.items():
            held[key][s].add(values[i])
    failing = {c for c, n in counts.items()
               if n < k or any(len(held[c][s]) < l for s in sens)}
    chosen = set(failing)
    union = {s: set().union(*(held[c][s] for c in chosen)) for s in sens}
    def ok():
        total = sum(counts[c] for c in chosen)
        return total == 0 or (total >= k and all(len(v) >= l for v in union.values()))
    for c in sorted((c for c in counts if c not in chosen), key=lambda c: (counts[c], first[c])):
        if ok():
            break
        chosen.add(c)
        for s in sens:
            union[s] |= held[c][s]
    return (chosen, failing, counts) if ok() else (None, failing, counts)


def brute_force(levels: dict[str, list[list[str]]], original: dict[str, list[str]],
                sens: dict[str, list[str]], *, k: int, l: int, global_risk: float,
                budget: float, household: list[str] | None = None, household_k: int = 0):
    """The best node of the lattice by exhaustive search: fewest erased columns, then least
    loss (LM per cell, a suppressed cell losing 1), among the nodes that meet every
    threshold. ``levels[q][j]`` are the labels of column q at level j, one per record."""
    quasi = list(levels)
    n = len(original[quasi[0]])
    cell = {q: [_lm(levels[q][j], original[q]) for j in range(len(levels[q]))] for q in quasi}
    best = None
    for node in product(*(range(len(levels[q])) for q in quasi)):
        keys = list(zip(*(levels[q][j] for q, j in zip(quasi, node, strict=False)), strict=False))
        chosen, _failing, counts = _suppressed(keys, sens, k, l)
        if chosen is None:
            continue
        suppressed = [key in chosen for key in keys]
        if sum(suppressed) > budget * n:
            continue
        classes = len(counts) - len(chosen) + (1 if any(suppressed) else 0)
        if not classes / n < global_risk:
            continue
        if household_k and not _households_ok(keys, suppressed, household, household_k, budget):
            continue
        lost = sum(len(quasi) if suppressed[i]
                   else sum(cell[q][j][i] for q, j in zip(quasi, node, strict=False))
                   for i in range(n))
        erased = sum(len(set(levels[q][j])) <= 1 < len(set(levels[q][0]))
                     for q, j in zip(quasi, node, strict=False))
        objective = 2 * erased + lost / (n * len(quasi))
        if best is None or objective < best[0] - 1e-12:
            best = (objective, node, erased, lost / (n * len(quasi)))
    return best


def exhaustive(df, thresholds, prepared, household: str | None = None):
    """``brute_force`` over the engine's hierarchies of ``df`` (each record's label at each
    level: the lattice the engine searches) and its coded sensitive columns; the search and
    every measure are this module's own. ``household``: the household key kept, whose
    composition risk is then a threshold too."""
    levels = {h.column: [list(h.publish(j)) for j in range(h.top + 1)]
              for h in prepared.hierarchies}
    original = {h.column: [str(v).strip() for v in df[h.column]] for h in prepared.hierarchies}
    sens = {s: [str(v) for v in prepared.coded[s]] for s in prepared.sensitive}
    hk = ceil_inverse(thresholds.household_risk) if household else 0
    return brute_force(
        levels, original, sens, k=thresholds.effective_k, l=thresholds.l,
        global_risk=thresholds.global_risk, budget=thresholds.suppression_budget,
        household=[str(v) for v in df[household]] if household else None, household_k=hk)


def _lm(labels: list[str], original: list[str]) -> list[float]:
    values = defaultdict(set)
    for label, value in zip(labels, original, strict=False):
        values[label].add(value)
    d = len(set(original))
    if len(set(labels)) == 1 and d > 1:
        return [1.0] * len(labels)
    return [(len(values[x]) - 1) / (d - 1) if d > 1 else 0.0 for x in labels]


def _households_ok(keys, suppressed, household, household_k, budget) -> bool:
    members = defaultdict(list)
    for key, gone, h in zip(keys, suppressed, household, strict=False):
        if h:
            members[h].append(("*",) if gone else key)
    comps = Counter(tuple(sorted(m)) for m in members.values())
    failing = sum(1 for m in members.values() if comps[tuple(sorted(m))] < household_k)
    return failing <= budget * len(members)


def pycanon(table, quasi: list[str], sensitive: list[str]) -> dict | None:
    """k and l by pycanon 1.3.6 in its own venv (made on first use); None if it cannot be
    installed here."""
    python = PYCANON / "bin" / "python"
    if not python.exists():
        try:
            venv.create(PYCANON, with_pip=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", "pycanon==1.3.6"],
                           check=True, capture_output=True, timeout=600)
        except (subprocess.SubprocessError, OSError):
            return None
    script = ("import json, sys, pandas as pd\n"
              "from pycanon import anonymity\n"
              "a = json.load(sys.stdin)\n"
              "df = pd.DataFrame(a['cols'])\n"
              "print(json.dumps({'k': int(anonymity.k_anonymity(df, a['quasi'])),"
              " 'l': {s: int(anonymity.l_diversity(df, a['quasi'], [s])) for s in a['sens']}}))")
    cols = columns(table)
    payload = json.dumps({"cols": {c: cols[c] for c in quasi + sensitive}, "quasi": quasi,
                          "sens": sensitive})
    done = subprocess.run([str(python), "-c", script], input=payload, text=True,
                          capture_output=True, timeout=600, check=False)
    if done.returncode:
        raise AssertionError(done.stderr)
    return json.loads(done.stdout)


def ceil_inverse(risk: float) -> int:
    return math.ceil(1 / risk - 1e-9)


assert sys.version_info >= (3, 10)
