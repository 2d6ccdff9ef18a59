"""Sweeps on an existing Dask cluster: a real ``dask scheduler`` and ``dask worker`` started
here (processes of their own, on the loopback), given by ``--cluster`` or DASK_SCHEDULER_ADDRESS
to ``kuznia risk evaluate``, and to the web's ``risk`` job, whose progress is reported as paths
complete. The cluster's figures are those of a sweep in this process, to the last digit."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from kuznia.allocation import SolverOptions, plan_scenario
from kuznia.cli.main import run
from kuznia.db.planning import StoredPlan
from kuznia.db.resilience import RiskEvaluation
from kuznia.demo import generate
from kuznia.risk.report import Evaluation
from kuznia.risk.runner import SCHEDULER_VARIABLE, dask_client
from kuznia.scenario.io import dump_scenario, scenario_sha256
from kuznia.scenario.plan import dump_plan
from kuznia.services.access.policy import Viewer
from kuznia.services.jobs.queue import JobOrder
from kuznia.services.kernel.actors import Actor
from kuznia.services.planning.runs import run_plan
from kuznia.services.registries.demo import load_world
from kuznia.services.resilience import reading
from kuznia.services.resilience.inputs import load_demo_risk
from kuznia.services.resilience.jobs import RISK_JOB, run_risk_job

pytestmark = pytest.mark.slow
SYSTEM = Actor.system("test")


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)


def _address(scheduler_file: Path, processes: list[subprocess.Popen[bytes]]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert all(p.poll() is None for p in processes), "the scheduler or worker stopped"
        if scheduler_file.exists():
            try:
                return str(json.loads(scheduler_file.read_text())["address"])
            except (ValueError, KeyError):
                pass  # written but not yet whole
        time.sleep(0.2)
    raise AssertionError("the Dask scheduler did not start")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and one worker process (one thread), as an operator would start them."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    cli = [sys.executable, "-m"]
    scheduler = _start(
        [*cli, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
         "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(scheduler_file)],
        folder / "scheduler.log",
    )  # fmt: skip
    worker = _start(
        [*cli, "distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
         "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
         "--dashboard-address", "127.0.0.1:0"],
        folder / "worker.log",
    )  # fmt: skip
    try:
        address = _address(scheduler_file, [scheduler, worker])
        with dask_client(0, address) as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for process in (worker, scheduler):
            process.terminate()
        for process in (worker, scheduler):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _sweeps_held(address: str) -> list[str]:
    """The sweeps whose model the cluster's workers hold (each keeps its latest)."""
    with dask_client(0, address) as client:
        held = client.run(
            lambda: sorted(__import__("kuznia.risk.runner", fromlist=["_SOLVERS"])._SOLVERS)
        )
    return [token for tokens in held.values() for token in tokens]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("risk-files")
    world = generate("small", 1)
    data = dump_scenario(world.scenario)
    plan = plan_scenario(world.scenario, scenario_sha256(data), SolverOptions(threads=1)).plan
    paths = {name: folder / f"{name}.json" for name in ("scenario", "plan", "risk")}
    paths["scenario"].write_bytes(data)
    paths["plan"].write_bytes(dump_plan(plan))
    assert run(["risk", "demo", "--scale", "small", "--out", str(paths["risk"])]) == 0
    return paths


def _evaluate(files: dict[str, Path], out: Path, *extra: str) -> Evaluation:
    args = ["risk", "evaluate", str(files["plan"]), "-s", str(files["scenario"]),
            "-r", str(files["risk"]), "--paths", "12", "--seed", "7",
            "--out", str(out)]  # fmt: skip
    assert run([*args, *extra]) == 0
    return Evaluation.model_validate_json(out.read_text())


def test_cluster_and_the_scheduler_variable_run_the_sweep_there_with_the_same_figures(
    cluster: str, files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SCHEDULER_VARIABLE, raising=False)
    here = _evaluate(files, tmp_path / "here.json", "--workers", "0")
    before = _sweeps_held(cluster)
    given = _evaluate(files, tmp_path / "given.json", "--cluster", cluster)
    after_given = _sweeps_held(cluster)
    assert after_given
    assert after_given != before, "--cluster did not sweep on the cluster"
    monkeypatch.setenv(SCHEDULER_VARIABLE, cluster)
    named = _evaluate(files, tmp_path / "named.json")
    assert _sweeps_held(cluster) != after_given, "DASK_SCHEDULER_ADDRESS was not used"
    assert here == given == named
    assert here.struck_paths > 0


def test_the_web_job_sweeps_on_the_named_cluster_and_reports_its_progress(
    cluster: str, database, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = generate("small", 1)
    with database.unit_of_work(SYSTEM) as uow:
        load_world(uow, world)
        load_demo_risk(uow, world)
    plan = run_plan(database, SYSTEM, label="risk")
    monkeypatch.setenv(SCHEDULER_VARIABLE, cluster)
    before = _sweeps_held(cluster)
    reports: list[tuple[float, str]] = []
    params = {"plan_id": plan["id"], "kind": "evaluate", "paths": 10, "seed": 2,
              "sample_paths": 5}  # fmt: skip
    order = JobOrder(id="job-test", kind=RISK_JOB, params=params, actor=SYSTEM)
    result = run_risk_job(database, order, lambda f, note: reports.append((f, note)))
    assert _sweeps_held(cluster) != before, "the job did not sweep on the cluster"
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions)
    assert fractions[0] > 0
    assert fractions[-1] < 1
    assert "10 of 10 paths" in [note for _, note in reports]
    with database.reading() as session:
        stored = session.scalars(select(RiskEvaluation)).one()
        assert stored.plan_id == session.scalars(select(StoredPlan.id)).one()
        shown = reading.get_evaluation(session, Viewer.of(session, SYSTEM), stored.id)
        assert result == {"evaluation_id": stored.id, "of_plan": plan["id"]}
    assert shown["document"]["paths"] == 10
