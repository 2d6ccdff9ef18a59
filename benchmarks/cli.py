"""How long the ``kuznia`` command takes before and around its own work, beside its baselines.

Every figure is printed beside a baseline measured in the same run, the two interleaved
(A B A B ...), several times, so a comparison holds on a shared, noisy machine:

1. Start-up: ``kuznia --help`` and ``kuznia plan --help`` against ``python -c pass`` (the
   interpreter's own start-up: what no command can go below).
2. Log commands on the small demo: ``kuznia log proof`` and ``kuznia log audit`` (wall, whole
   process) against the same work in this process (the proof, the audit), so what is left is
   start-up; and the proof against importing only the libraries any database command needs
   (SQLAlchemy's ORM, pydantic, typer), the floor of that start-up.
3. With ``--national``: ``kuznia plan`` of the national demo (wall) against the total the plan
   file itself reports, and ``kuznia export plan-xlsx`` (wall) against the same export in this
   process. Slow (a minute or more): kept out of CI.

    uv run python benchmarks/cli.py [--runs 7] [--national]

Prints figures; asserts nothing about them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

KUZNIA = [str(Path(sys.executable).parent / "kuznia")]  # the installed entry point, as users run it


def wall(command: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from start to exit of one run of ``command`` (its output thrown away)."""
    began = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - began


def paired(
    runs: int, first: Callable[[], float], second: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Both measured in turn, after one warm-up each."""
    first(), second()
    a, b = [], []
    for _ in range(runs):
        a.append(first())
        b.append(second())
    return a, b


def show(name: str, a: list[float], baseline: str, b: list[float]) -> None:
    ratio = statistics.median(x / y for x, y in zip(a, b, strict=True))
    print(
        f"  {name:<34} median {statistics.median(a):7.3f} s (min {min(a):6.3f})   "
        f"{baseline:<30} median {statistics.median(b):7.3f} s   ratio {ratio:5.2f}"
    )


def in_process(action: Callable[[], object]) -> Callable[[], float]:
    def timed() -> float:
        began = time.perf_counter()
        action()
        return time.perf_counter() - began

    return timed


def bytecode_state() -> str:
    """Whether the modules a command imports have compiled bytecode: with
    ``PYTHONDONTWRITEBYTECODE=1`` and none, every start compiles them (about 1 s of each
    command; ``run.sh``, ``test.sh`` and CI let Python write them at the first import)."""
    import importlib.util

    import sqlalchemy

    import kuznia.cli.main

    compiled = [
        Path(importlib.util.cache_from_source(module.__file__ or "")).exists()
        for module in (sqlalchemy, kuznia.cli.main)
    ]
    state = "compiled" if all(compiled) else "NOT compiled (each start compiles them)"
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return f"bytecode of the environment and of kuznia: {state}; PYTHONDONTWRITEBYTECODE={flag}"


def start_up(runs: int, env: dict[str, str]) -> None:
    print(bytecode_state())
    print("start-up (whole process) against the interpreter's own start-up:")
    python = in_process(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    for args in (["--help"], ["plan", "--help"]):
        a, b = paired(runs, lambda args=args: wall([*KUZNIA, *args], env), python)
        show("kuznia " + " ".join(args), a, "python -c pass", b)


def log_commands(runs: int, env: dict[str, str], folder: Path) -> None:
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.transparency import store
    from kuznia.services.transparency.checkpoints import prove_leaf
    from kuznia.services.wiring import database_at

    subprocess.run([*KUZNIA, "demo", "load", "--scale", "small"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([*KUZNIA, "log", "checkpoint"], env=env, check=True, stdout=subprocess.DEVNULL)
    database = database_at(env["KUZNIA_DATABASE_URL"])

    def proof() -> None:
        with database.reading() as session:
            prove_leaf(session, Actor.system("benchmark"), 5)

    def audit() -> None:
        with database.reading() as session:
            store.audit(session)

    print("log commands on the small demo (whole process) against the same work in-process:")
    out = str(folder / "proof")
    a, b = paired(runs, lambda: wall([*KUZNIA, "log", "proof", "--seq", "5", "--out", out], env),
                  in_process(proof))  # fmt: skip
    show("kuznia log proof --seq 5", a, "the proof in-process", b)
    a, b = paired(runs, lambda: wall([*KUZNIA, "log", "audit"], env), in_process(audit))
    show("kuznia log audit", a, "the audit in-process", b)
    # What any command that reads the database imports at least, whatever it does.
    floor = [sys.executable, "-c", "import sqlalchemy.orm, pydantic, typer"]
    a, b = paired(runs, lambda: wall([*KUZNIA, "log", "proof", "--seq", "5", "--out", out], env),
                  lambda: wall(floor, env))  # fmt: skip
    show("kuznia log proof --seq 5", a, "import sqlalchemy.orm+pydantic+typer", b)
    database.dispose()


def national(env: dict[str, str], folder: Path) -> None:
    from kuznia.spreadsheets.plan_files import export_plan_workbook

    scenario, plan, sheet = folder / "national.json", folder / "plan.json", folder / "plan.xlsx"
    subprocess.run([*KUZNIA, "demo", "scenario", "--scale", "national", "--out", str(scenario)],
                   env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    print("national demo (whole process) against the work it reports or does in-process:")
    walls, totals = [], []
    for _ in range(2):
        walls.append(wall([*KUZNIA, "plan", str(scenario), "--out", str(plan)], env))
        totals.append(float(json.loads(plan.read_bytes())["timings_s"]["total"]))
    show("kuznia plan (national)", walls, "the plan file's own total", totals)
    data, plan_data = scenario.read_bytes(), plan.read_bytes()
    command = [*KUZNIA, "export", "plan-xlsx", str(scenario), str(plan), "--out", str(sheet)]
    a, b = paired(2, lambda: wall(command, env),
                  in_process(lambda: export_plan_workbook(data, plan_data)))  # fmt: skip
    show("kuznia export plan-xlsx (national)", a, "the export in-process", b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--national", action="store_true", help="also plan and export national")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        env = {**os.environ, "KUZNIA_DATABASE_URL": f"sqlite:///{folder / 'cli.sqlite3'}"}
        os.chdir(folder)  # the development log key is made under ./var
        start_up(args.runs, env)
        log_commands(args.runs, env, folder)
        if args.national:
            national(env, folder)


if __name__ == "__main__":
    main()
