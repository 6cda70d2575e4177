"""Benchmark of issue 16, item 2: rebuilding the search index of RECORDS records (default
10,000) with CKAN's own ``ckan search-index rebuild`` (one process, what vanilla CKAN does) and
with ``ckan lampangpoverty reindex`` (one worker per core, batched Solr updates, one commit),
alternately, RUNS times (default 3). For each command it separates the fixed cost from the
cost per record: the steady-state rate (records/s over the indexing phase, read from the
command's own progress as it is printed, from the first mark at or past 10% of the records to
the last record), the whole command's rate (records / wall time, start-up, worker start,
commit and check included), and the fixed cost (wall time not explained by the steady rate).
Prints each run and the medians with both ratios. Target: >= 100 records/s on this 2-core
machine (>= 2x vanilla); the issue counts 100,000 records, so measure at 5,000 or more,
where start-up is amortised.

    .venv/bin/python bench/reindex.py [--records 10000] [--runs 3] [--reuse]

Needs the test services (started here if needed); uses its own database (ckan_bench_reindex)
and site id, so the test data are never touched. The records are the demo content
(``seed-demo``) copied in SQL up to RECORDS, each copy with areas of its own (so the derived
extents differ as they do in a real catalogue). ``--reuse`` keeps the database a previous run
prepared (its records as they are), for runs of changed code against the same records.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import load_stack  # noqa: E402

# Tables holding one row per record (or per resource of a record) that the index reads.
CHILD_TABLES = {"resource": True, "package_tag": True, "lampangpoverty_package_quality": False}


def say(message: str) -> None:
    print(message, flush=True)


def bench_ini(stack, env) -> Path:
    db = "ckan_bench_reindex"
    stack.psql(env, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    stack.psql(env, f"CREATE DATABASE {db} OWNER {stack.DB_USER} ENCODING 'UTF8' "
                    "TEMPLATE template0")
    ini = env.var / "bench-reindex.ini"
    ini.write_text(f"""[app:main]
use = config:{env.ini}
sqlalchemy.url = postgresql://{stack.DB_USER}:{stack.DB_PASSWORD}@127.0.0.1:{env.ports['pg']}/{db}
ckan.site_id = lampangpoverty_bench_reindex
""")
    return ini


def ckan(ini: Path, *args: str) -> tuple[float, str]:
    """Run a ckan command; return its wall time and output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    start = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), *args],
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"ckan {' '.join(args)} failed:\n{done.stdout[-3000:]}"
                         f"{done.stderr[-3000:]}")
    return seconds, done.stdout + done.stderr


def copy_records(ini: Path, records: int) -> int:
    """Copy the demo records in SQL until there are about ``records``; return how many."""
    from sqlalchemy import create_engine, text

    from ckanext.lampangpoverty.catalogue import areas

    url = next(line.split("=", 1)[1].strip() for line in ini.read_text().splitlines()
               if line.startswith("sqlalchemy.url"))
    tambons = [a.code for a in areas.areas().values() if a.level == "tambon"]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE FUNCTION pg_temp.bench_id(x text, g int) RETURNS text "
                          "AS $$ SELECT md5(x || ':' || g)::uuid::text $$ LANGUAGE sql"))
        base = conn.execute(text("SELECT count(*) FROM package WHERE state = 'active'")).scalar()
        copies = max(0, records // base - 1)
        conn.execute(text("""
            INSERT INTO package SELECT (jsonb_populate_record(NULL::package, to_jsonb(p)
                || jsonb_build_object('id', pg_temp.bench_id(p.id, g),
                                      'name', left(p.name, 90) || '-b' || g,
                                      'extras', CASE WHEN p.extras ? 'area_codes'
                    THEN jsonb_set(p.extras, '{area_codes}', to_jsonb(
                        '["' || (:tambons)[1 + abs(hashtext(p.id || g)) % :n] || '", "'
                             || (:tambons)[1 + abs(hashtext(g || p.id)) % :n] || '"]'))
                    ELSE p.extras END))).*
            FROM package p CROSS JOIN generate_series(1, :copies) g
            WHERE p.state = 'active'"""), {"tambons": tambons, "n": len(tambons),
                                          "copies": copies})
        for table, has_id in CHILD_TABLES.items():
            ids = ", 'id', pg_temp.bench_id(t.id, g)" if has_id else ""
            conn.execute(text(f"""
                INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, to_jsonb(t)
                    || jsonb_build_object('package_id', pg_temp.bench_id(t.package_id, g)
                                          {ids}))).*
                FROM {table} t JOIN package p ON p.id = t.package_id AND p.state = 'active'
                CROSS JOIN generate_series(1, :copies) g
                """), {"copies": copies})
        return conn.execute(text("SELECT count(*) FROM package WHERE state = 'active'")).scalar()


@dataclass
class Timed:
    """One run of a command: its wall time and the progress marks it printed."""

    seconds: float
    marks: list[tuple[float, int]]  # (seconds since start, records done) as printed
    output: str
    stopped: bool = False  # ended early: its whole-command time is projected

    def whole(self, total: int) -> float:
        """Seconds of the whole command; for a command stopped early, its time to the first
        mark plus the rest at its steady rate (start-up as measured, no closing work)."""
        if not self.stopped:
            return self.seconds
        return self.marks[0][0] + (total - self.marks[0][1]) / self.steady(total)

    def steady(self, total: int) -> float:
        """Records/s from the first mark at or past 10% of ``total`` to the last mark."""
        first = next(((t, n) for t, n in self.marks
                      if n >= min(total / 10, self.marks[-1][1] / 10)), None)
        last = self.marks[-1] if self.marks else None
        if not first or not last or last[0] <= first[0]:
            return float("nan")
        return (last[1] - first[1]) / (last[0] - first[0])

    def fixed(self, total: int) -> float:
        """Seconds of the whole command that the steady rate does not explain."""
        return self.whole(total) - total / self.steady(total)


# "Indexing dataset 12/5000" (CKAN's rebuild, before each record; counted as done = i - 1),
# "indexed 1200/5000 (...)" (ours, after each batch)
MARK = re.compile(r"(Indexing dataset |indexed )(\d+)/(\d+)")


def timed(ini: Path, *args: str, stop_after: float | None = None) -> Timed:
    """Run a ckan command, reading its output as it comes to time its progress marks;
    ``stop_after``: end it (SIGTERM) once it has printed marks for that many seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    start = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    chunks: list[bytes] = []
    marks: list[tuple[float, int]] = []
    tail = b""
    while chunk := os.read(proc.stdout.fileno(), 65536):
        now = time.perf_counter() - start
        chunks.append(chunk)
        *lines, tail = re.split(rb"[\r\n]", tail + chunk)
        for line in lines:
            found = MARK.search(line.decode(errors="replace"))
            if found:
                done = int(found.group(2)) - (found.group(1) == "Indexing dataset ")
                marks.append((now, done))
        if stop_after and marks and now - marks[0][0] > stop_after and proc.poll() is None:
            proc.terminate()
    proc.wait()
    seconds = time.perf_counter() - start
    output = b"".join(chunks).decode(errors="replace")
    if proc.returncode and not (stop_after and proc.returncode == -signal.SIGTERM):
        raise SystemExit(f"ckan {' '.join(args)} failed:\n{output[-3000:]}")
    return Timed(seconds, marks, output, stopped=proc.returncode == -signal.SIGTERM)


def describe(name: str, run: Timed, total: int) -> str:
    projected = (f" projected, stopped after {run.marks[-1][1]} records"
                 if run.stopped else "")
    return (f"{name}: steady {run.steady(total):.1f} records/s, whole command "
            f"{total / run.whole(total):.1f} records/s ({run.whole(total):.1f} s{projected}, "
            f"fixed cost {run.fixed(total):.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the bench database of an earlier run (no new copies)")
    parser.add_argument("--processes", type=int, default=None,
                        help="worker processes of our reindex (default: its own, the cores)")
    parser.add_argument("--vanilla-seconds", type=float, default=None,
                        help="stop search-index rebuild after this many seconds of indexing "
                             "(on a loaded machine it takes hours): its steady rate is "
                             "measured over that window and its whole command projected")
    args = parser.parse_args()

    subprocess.run([sys.executable, str(ROOT / "bin" / "stack"), "up", "test"], check=True)
    stack = load_stack()
    env = stack.Env("test")
    if args.reuse:
        ini = env.var / "bench-reindex.ini"
        total = copy_records(ini, 0)  # copies nothing: counts the records
    else:
        ini = bench_ini(stack, env)
        say("preparing the bench database (migrations, vocabularies, demo content)")
        ckan(ini, "db", "upgrade")
        ckan(ini, "search-index", "clear")
        ckan(ini, "lampangpoverty", "seed-vocabularies")
        ckan(ini, "lampangpoverty", "seed-demo")
        total = copy_records(ini, args.records)
    say(f"{total:,} records; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    ours_args = ["lampangpoverty", "reindex", "--fresh"]
    if args.processes:
        ours_args += ["--processes", str(args.processes)]
    theirs: list[Timed] = []
    ours: list[Timed] = []
    loads: list[float] = []
    for run in range(1, args.runs + 1):
        theirs.append(timed(ini, "search-index", "rebuild", stop_after=args.vanilla_seconds))
        ours.append(timed(ini, *ours_args))
        loads.append(os.getloadavg()[0])
        say(f"  run {run}: {describe('search-index rebuild', theirs[-1], total)}\n"
            f"         {describe('lampangpoverty reindex', ours[-1], total)}; "
            f"load average {loads[-1]:.1f}")
        check = re.search(r"Packages not indexed = (\d+).*\nSolr documents without a record = "
                          r"(\d+)", ours[-1].output)
        if not check or check.groups() != ("0", "0"):
            raise SystemExit(f"the closing check found a difference:\n{ours[-1].output[-2000:]}")

    def median(runs: list[Timed], rate: str) -> float:
        return statistics.median(r.steady(total) if rate == "steady" else total / r.whole(total)
                                 for r in runs)

    say(f"\nreindex of {total:,} records, median of {args.runs} runs, load average "
        f"{min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores:")
    for rate in ("steady", "whole"):
        mine, vanilla = median(ours, rate), median(theirs, rate)
        say(f"  {rate:6} search-index rebuild {vanilla:.1f} records/s, lampangpoverty reindex "
            f"{mine:.1f} records/s ({mine / vanilla:.2f}x vanilla; target >= 100 records/s)")
    say(f"  fixed cost (median): search-index rebuild "
        f"{statistics.median(r.fixed(total) for r in theirs):.1f} s, lampangpoverty reindex "
        f"{statistics.median(r.fixed(total) for r in ours):.1f} s")


if __name__ == "__main__":
    main()
