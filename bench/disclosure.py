"""Benchmark of the disclosure engine on synthetic BMN-style person rows.

    .venv/bin/python bench/disclosure.py [ROWS]     (default 1,000,000)

Prints the time to generate, detect identifiers, measure (k, l, individual/global/household
risk over 10 quasi-identifiers) and transform to a passing release, and the peak memory.
Targets (issue 4, 2-core machine): measure <= 10 s, transform <= 60 s, memory < 2 GB."""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ckanext-lampangpoverty"))

from ckanext.lampangpoverty.disclosure import detect, measure, synthetic, transform


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<34} {time.perf_counter() - start:8.2f} s", flush=True)
    return result


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    df = timed(f"generate {rows:,} rows", lambda: synthetic.households(rows))
    roles = synthetic.roles()
    quasi = [c for c, r in roles.items() if r == "quasi_identifier"]
    print(f"quasi-identifiers ({len(quasi)}): {', '.join(quasi)}")
    m = timed("measure (raw table)", lambda: measure.measure(
        df, quasi, synthetic.SENSITIVE, k=5, risk_threshold=0.2, household="household_id"))
    print(f"  k={m.k} classes={m.classes:,} global risk={m.global_risk:.3f}")
    findings = timed("detect identifiers (all cells)", lambda: detect.find_identifiers(df))
    print(f"  {', '.join(sorted({f.column for f in findings}))}")
    result = timed("transform to a release", lambda: transform.release(
        df, roles, transform.Thresholds(), recodes=synthetic.RECODES, household="household_id"))
    a = result.after
    print(f"  passed={result.passed} k={a.k} l={a.l_diversity} max risk={a.max_risk:.3f} "
          f"global risk={a.global_risk:.4f} effective k={result.effective_k} "
          f"cells suppressed={sum(x.cells_suppressed for x in result.loss.values()):,}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory':<34} {peak:8.0f} MB")


if __name__ == "__main__":
    main()
