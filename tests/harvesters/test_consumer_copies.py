"""The fetch consumer's copies (lib/copies.py): ``harvest.fetch_consumers`` processes from one
command, each started again when it dies, all gone when the command is stopped."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

SCRIPT = """
import os, sys, time
from ckanext.lampangpoverty.lib import copies
copies.RESTART_PAUSE = 0.1

def work():
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    time.sleep(600)

copies.run_copies(2, work, "test consumer")
"""


def started(folder: Path, count: int, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = sorted(int(p.name) for p in folder.iterdir())
        if len(pids) >= count:
            return pids
        time.sleep(0.05)
    raise AssertionError(f"{count} copies did not start: {sorted(folder.iterdir())}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_copies_run_are_restarted_and_stop_with_the_command(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(SCRIPT), str(tmp_path)],
                            start_new_session=True)
    try:
        first = started(tmp_path, 2)
        assert proc.pid not in first and len(set(first)) == 2
        os.kill(first[0], signal.SIGKILL)          # a copy dies: another takes its place
        pids = started(tmp_path, 3)
        assert set(first) < set(pids)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert not any(alive(pid) for pid in pids)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
