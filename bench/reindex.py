"""Benchmark of issue 16, item 2: rebuilding the search index of RECORDS records (default
10,000) with CKAN's own ``ckan search-index rebuild`` (one process, what vanilla CKAN does) and
with ``ckan lampangpoverty reindex`` (one worker per core, batched Solr updates, one commit),
alternately, RUNS times (default 3). Prints each run and the medians: records/s of each (the
time of the whole command less CKAN's start-up, measured alone) and the ratio. Target:
>= 100 records/s on this 2-core machine.

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
import statistics
import subprocess
import sys
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the bench database of an earlier run (no new copies)")
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

    startup = statistics.median(ckan(ini, "search-index", "check")[0] for _ in range(3))
    say(f"ckan start-up (and check) alone: {startup:.1f} s, subtracted below")
    theirs, ours = [], []
    for run in range(1, args.runs + 1):
        seconds, _out = ckan(ini, "search-index", "rebuild")
        theirs.append(total / max(seconds - startup, 0.001))
        seconds, out = ckan(ini, "lampangpoverty", "reindex", "--fresh")
        ours.append(total / max(seconds - startup, 0.001))
        own = re.search(r"\(([\d.]+) records/s\)\n", out)
        say(f"  run {run}: search-index rebuild {theirs[-1]:.1f} records/s, lampangpoverty "
            f"reindex {ours[-1]:.1f} records/s (its own count: {own.group(1) if own else '?'}); "
            f"load average {os.getloadavg()[0]:.1f}")
        check = re.search(r"Packages not indexed = (\d+).*\nSolr documents without a record = "
                          r"(\d+)", out)
        if not check or check.groups() != ("0", "0"):
            raise SystemExit(f"the closing check found a difference:\n{out[-2000:]}")
    mine, vanilla = statistics.median(ours), statistics.median(theirs)
    say(f"\nreindex of {total:,} records (median of {args.runs}): search-index rebuild "
        f"{vanilla:.1f} records/s, lampangpoverty reindex {mine:.1f} records/s "
        f"({mine / vanilla:.2f}x; target >= 100 records/s)")


if __name__ == "__main__":
    main()
