"""Sum the stacks py-spy wrote for `bench/harvest.py --profile DIR`: per consumer stage, the
share of samples spent in each function (inclusive: a function's callees count for it), so
that one can say where a harvested record's time goes.

    .venv/bin/python bench/stacks.py DIR [--top 40] [--match importing,package_create]
"""
from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def frame_key(frame: str) -> str:
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "ckanext-lampangpoverty/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['name']} ({path})"


def load(folder: Path) -> dict[str, collections.Counter]:
    """stage -> function -> samples in which it is on the stack; '' -> all samples."""
    stages: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for file in sorted(folder.glob("*.txt")):
        stage = file.name.split("-", 1)[0]
        for line in file.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            seen = {frame_key(f) for f in stack.split(";") if f}
            counter = stages[stage]
            counter[""] += int(count)
            for key in seen:
                counter[key] += int(count)
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="", help="comma-separated parts of names to keep")
    args = parser.parse_args()
    wanted = [m for m in args.match.split(",") if m]
    for stage, counter in load(args.folder).items():
        total = counter.pop("")
        print(f"== {stage}: {total} samples")
        rows = [(n, k) for k, n in counter.items() if not wanted or any(w in k for w in wanted)]
        for samples, key in sorted(rows, reverse=True)[:args.top]:
            print(f"{100 * samples / total:6.1f}%  {key}")


if __name__ == "__main__":
    main()
