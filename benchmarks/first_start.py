"""How long a new user waits for the quick start: ``./run.sh`` on a fresh clone, to each point
they see, beside the same command's second start measured in the same run.

Each round clones the checkout's committed HEAD into a new folder (``../shared`` linked beside
it, as CI has it) and times ``./run.sh`` from launch to:

1. the line that says where to open it (the environment installed, the national demo loaded,
   its first plan computed or queued, the logins made);
2. the health endpoint answering (the server up);
3. the first public page ``/`` answered;
4. the demo's first plan stored (what the overview shows: ``kuznia start`` may compute it
   before it serves, or have the server's job worker compute it while it starts).

The baseline is ``./run.sh`` started again in the same clone: nothing is left to install, load
or plan, so what remains is the command's start-up and the server's. uv's package cache is
the machine's own (warm): on a new machine the first ``uv sync`` also downloads the packages,
which this cannot time without the network. Slow (about 25 s a round): kept out of CI.

    uv run python benchmarks/first_start.py [--rounds 2] [--commits OLD HEAD]

With several ``--commits``, each round times each of them in turn (interleaved), for a
before/after figure from the same run.

Prints figures; asserts nothing about them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPEN_LINE = "Open http://"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _watch(
    process: subprocess.Popen[str], seen: dict[str, float], began: float, tail: list[str]
) -> None:
    """Notes when the line saying where to open it is printed; keeps the last lines."""
    assert process.stdout is not None
    for line in process.stdout:
        tail[:] = [*tail[-19:], line]
        if OPEN_LINE in line and "open" not in seen:
            seen["open"] = time.perf_counter() - began


def _free_port() -> int:
    """A port nothing uses: each start has its own, so none waits for the last one's socket."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_a_plan(database: Path, process: subprocess.Popen[str]) -> None:
    """Until the embedded database holds a plan (read-only: the server is the writer)."""
    while process.poll() is None:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            if db.execute("SELECT count(*) FROM plans").fetchone()[0]:
                return
        time.sleep(0.1)
    raise SystemExit(f"./run.sh exited with {process.returncode} before a plan was stored")


def run_sh(clone: Path) -> dict[str, float]:
    """Seconds from launching ``./run.sh`` to each point, then the server stopped."""
    port = _free_port()
    # As a user's shell has it: not this benchmark's own environment (``uv run`` sets it).
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"} | {"COLUMNS": "120"}
    began = time.perf_counter()
    process = subprocess.Popen(
        ["./run.sh", "--port", str(port)], cwd=clone, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    seen: dict[str, float] = {}
    tail: list[str] = []
    watcher = threading.Thread(target=_watch, args=(process, seen, began, tail), daemon=True)
    watcher.start()
    base = f"http://127.0.0.1:{port}"
    try:
        while not _answers(f"{base}/api/v1/health"):
            if process.poll() is not None:
                watcher.join(timeout=10)
                raise SystemExit(f"./run.sh exited with {process.returncode}:\n{''.join(tail)}")
            time.sleep(0.05)
        seen["health"] = time.perf_counter() - began
        _answers(f"{base}/")
        seen["page"] = time.perf_counter() - began
        _wait_for_a_plan(clone / "var" / "kuznia.sqlite3", process)
        seen["plan"] = time.perf_counter() - began
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        watcher.join(timeout=10)
    return seen


def fresh_clone(folder: Path, commit: str) -> Path:
    clone = folder / "kuznia"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (folder / "shared").symlink_to(shared)
    return clone


def report(commit: str, first: list[dict[str, float]], again: list[float]) -> None:
    print(f"./run.sh on a fresh clone of {commit}, {len(again)} round(s), median (min):")
    for key, name in (("open", "says where to open it"), ("health", "serves"),
                      ("page", "first / answered"), ("plan", "first plan stored")):  # fmt: skip
        values = [round_[key] for round_ in first if key in round_]
        if values:
            print(f"  {name:<24} {statistics.median(values):6.1f} s ({min(values):5.1f})")
    print(f"  baseline: ./run.sh again in the same clone, serves after "
          f"{statistics.median(again):5.1f} s ({min(again):4.1f})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--commits", nargs="+", default=["HEAD"])
    args = parser.parse_args()
    first: dict[str, list[dict[str, float]]] = {commit: [] for commit in args.commits}
    again: dict[str, list[float]] = {commit: [] for commit in args.commits}
    for _ in range(args.rounds):
        for commit in args.commits:
            with tempfile.TemporaryDirectory() as directory:
                clone = fresh_clone(Path(directory), commit)
                first[commit].append(run_sh(clone))
                again[commit].append(run_sh(clone)["health"])
    for commit in args.commits:
        report(commit, first[commit], again[commit])


if __name__ == "__main__":
    main()
