"""CPU accounting for the benchmarks: CPU seconds (utime + stime from /proc/<pid>/stat) spent
by each component of a site, a component being one or more process trees (a root pid and all
its descendants, including the CPU of descendants that exited and were reaped inside the tree).

CPU time per request survives a loaded machine much better than requests/s: other processes
on the machine slow a round down but do not make a request cost more CPU (bench/cluster.py).
"""
from __future__ import annotations

import os
import resource
import statistics
from collections.abc import Callable
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")
# Pseudo-root: this benchmark process itself (its client threads), read from getrusage.
SELF = -1


def process_table() -> dict[int, tuple[int, float]]:
    """pid -> (ppid, CPU seconds of the process plus its reaped children)."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt
        # cmajflt utime stime cutime cstime ...
        ticks = sum(int(f) for f in fields[11:15])
        table[int(stat.parent.name)] = (int(fields[1]), ticks / CLK_TCK)
    return table


def tree_cpu(table: dict[int, tuple[int, float]], root: int) -> float:
    """CPU seconds of ``root`` and every descendant (0 when ``root`` is gone)."""
    if root == SELF:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    if root not in table:
        return 0.0
    children: dict[int, list[int]] = {}
    for pid, (ppid, _cpu) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += table[pid][1]
        todo.extend(children.get(pid, ()))
    return total


class CpuAccount:
    """``components``: name -> a function returning the root pids of that component now (pids
    are looked up at each snapshot, so that a restarted process is still found)."""

    def __init__(self, components: dict[str, Callable[[], list[int]]]):
        self.components = components

    def snapshot(self) -> dict[str, dict[int, float]]:
        table = process_table()
        return {name: {root: tree_cpu(table, root) for root in roots()}
                for name, roots in self.components.items()}

    @staticmethod
    def spent(before: dict[str, dict[int, float]],
              after: dict[str, dict[int, float]]) -> dict[str, float]:
        """CPU seconds per component between two snapshots (a root missing from either side
        counts from zero: a process started in between, or ended: its CPU is then lost)."""
        return {name: sum(cpu - before.get(name, {}).get(root, 0.0)
                          for root, cpu in roots.items())
                for name, roots in after.items()}


def per_request_ms(spent: dict[str, float], requests: int) -> dict[str, float]:
    return {name: seconds * 1000 / max(requests, 1) for name, seconds in spent.items()}


def median_table(rounds: list[dict[str, float]]) -> dict[str, float]:
    names = list(rounds[0]) if rounds else []
    return {name: statistics.median(r.get(name, 0.0) for r in rounds) for name in names}


def format_table(columns: dict[str, dict[str, float]], unit: str = "CPU ms/request") -> str:
    """Rows = components, one column per entry of ``columns``."""
    names: list[str] = []
    for column in columns.values():
        names.extend(n for n in column if n not in names)
    width = max(len(n) for n in [*names, "component"]) + 2
    lines = [f"{'component':{width}}" + "".join(f"{c:>14}" for c in columns) + f"   ({unit})"]
    for name in names:
        lines.append(f"{name:{width}}" + "".join(f"{col.get(name, 0.0):14.1f}"
                                                  for col in columns.values()))
    return "\n".join(lines)
