"""Benchmark of the disclosure engine on synthetic BMN-style person rows.

    .venv/bin/python bench/disclosure.py [ROWS] [--free] [--bmn] [--detect]

ROWS defaults to 1,000,000. The table is ``synthetic.households`` (10 quasi-identifiers) with
the first gate's recodes as floors (what the gate sends today); ``--free`` lets the search
choose every level; ``--bmn`` releases ``synthetic.bmn`` with every proposal accepted.

Prints the time to generate, propose (what the gate's background job does with an upload
before the editor sees the form: a role, recode and reason for every column, identifiers
matched on a sample of each column's distinct values and confirmed on all of them; then the
best releases and per-column costs for the roles used), measure the raw table (k, l,
individual, global and household risk), release it (code the sensitive numbers, search the
lattice of recodings, suppress, build and measure the release) and, with ``--detect``, detect
identifiers in every cell as the release's final check does; the peak memory; and what the
release chose. Targets (issue 11, 2-core machine): measure <= 10 s, release <= 60 s, peak
memory < 2 GB. The last line is machine-readable: ``RESULT rows=... propose_s=... plan_s=...
measure_s=... release_s=... (and *_cpu_s) peak_mb=... load=...`` (wall and CPU seconds; the
load average says how busy the shared machine was)."""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ckanext-lampangpoverty"))

from ckanext.lampangpoverty.disclosure import detect, measure, propose, synthetic, transform
from ckanext.lampangpoverty.gate import proposal


def timed(label: str, fn):
    """Wall time, and CPU time (what the machine's other users cannot inflate)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<34} {elapsed:8.2f} s (CPU {used:.2f} s)", flush=True)
    return result, (elapsed, used)


def table(rows: int):
    """The table, its roles, recodes and household column."""
    if "--bmn" in sys.argv:  # roles and recodes: the proposals, accepted
        return synthetic.bmn(rows), None, None, synthetic.BMN_KEY
    recodes = {} if "--free" in sys.argv else synthetic.RECODES
    return synthetic.households(rows), synthetic.roles(), recodes, "household_id"


def plan(df, roles, recodes, household):
    """What the proposal job adds to the form: the releases and per-column costs
    (gate/proposal.py: one prepared table, one shared work budget)."""
    return proposal.plan(df, roles, recodes, household, transform.Thresholds())


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    rows = int(numbers[0]) if numbers else 1_000_000
    (df, roles, recodes, household), _ = timed(f"generate {rows:,} rows", lambda: table(rows))
    proposals, propose_s = timed("propose roles and recodes", lambda: propose.propose(df))
    print(f"  {sum(p.role == 'direct_identifier' for p in proposals.values())} columns "
          f"removed, {sum(p.role == 'quasi_identifier' for p in proposals.values())} "
          f"quasi-identifiers, {sum(p.role == 'sensitive' for p in proposals.values())} "
          "sensitive")
    if roles is None:
        roles = {c: p.role for c, p in proposals.items()}
        recodes = {c: p.recode for c, p in proposals.items()}
    planned, plan_s = timed("propose releases and costs", lambda: plan(
        df, roles, recodes, household))
    level_costs = [row for cost in planned["costs"].values() for row in cost["levels"]]
    print(f"  {len(planned['alternatives'])} releases, losses "
          f"{', '.join(str(c['loss']) for c in planned['alternatives'])} (proven best: "
          f"{sum(c['optimal'] for c in planned['alternatives'])}); "
          f"{len(level_costs)} level costs (proven best: "
          f"{sum(r['optimal'] for r in level_costs)})")
    quasi = [c for c, r in roles.items() if r == "quasi_identifier"]
    sensitive = [c for c, r in roles.items() if r == "sensitive"]
    print(f"quasi-identifiers ({len(quasi)}): {', '.join(quasi)}")
    m, measure_s = timed("measure (raw table)", lambda: measure.measure(
        df, quasi, sensitive, k=5, risk_threshold=0.2, household=household))
    print(f"  k={m.k} classes={m.classes:,} global risk={m.global_risk:.3f} "
          f"households unique by composition={m.households_unique:,}")
    result, release_s = timed("release", lambda: transform.release(
        df, roles, transform.Thresholds(), recodes=recodes, household=household, seed=1))
    a = result.after
    print(f"  status={result.status} k={a.k} l={a.l_diversity} max risk={a.max_risk:.3f} "
          f"global risk={a.global_risk:.4f} suppressed records={result.suppressed_records:,} "
          f"loss={result.candidate.loss:.3f} search={result.search}")
    print(f"  levels: {result.levels}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if "--detect" in sys.argv:
        findings, _ = timed("detect identifiers (all cells)", lambda: detect.find_identifiers(df))
        print(f"  {', '.join(sorted({f.column for f in findings}))}")
    print(f"{'peak memory':<34} {peak:8.0f} MB")
    print(f"RESULT rows={rows} propose_s={propose_s[0]:.2f} plan_s={plan_s[0]:.2f} "
          f"measure_s={measure_s[0]:.2f} release_s={release_s[0]:.2f} "
          f"propose_cpu_s={propose_s[1]:.2f} plan_cpu_s={plan_s[1]:.2f} "
          f"measure_cpu_s={measure_s[1]:.2f} release_cpu_s={release_s[1]:.2f} "
          f"peak_mb={peak:.0f} load={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
