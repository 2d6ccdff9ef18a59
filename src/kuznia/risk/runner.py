"""Sweeps of disruption paths on Dask distributed, or in this process.

A sweep scatters the plan's plain data to every worker once, submits chunks of path indices,
and aggregates results as they complete (``as_completed``); each worker builds its HiGHS model
from the plain data the first time it sees a sweep and keeps it for that sweep's later chunks
(solver objects never pickle). ``workers=0`` runs in this process without Dask (a background job
of the web, whose worker process may not start processes of its own).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from kuznia.risk.disruption import Disruption
from kuznia.risk.paths import PathResult, PathSolver
from kuznia.risk.plandata import PlanData
from kuznia.risk.report import Evaluation
from kuznia.risk.statistics import Collector

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
CHUNKS_PER_WORKER = 8
Progress = Callable[[int, int], None]

_SOLVERS: dict[str, PathSolver] = {}  # per worker process: the model of the current sweep


def run_chunk(
    sweep: str, data: PlanData, disruption: Disruption, seed: int, indices: list[int]
) -> list[PathResult]:
    """A task: paths ``indices`` of ``seed``, on this worker's model of the sweep."""
    solver = _SOLVERS.get(sweep)
    if solver is None:
        _SOLVERS.clear()  # one sweep's model at a time per worker
        solver = _SOLVERS[sweep] = PathSolver(data, disruption)
    return [solver.evaluate(seed, i) for i in indices]


@contextmanager
def dask_client(workers: int, address: str | None = None) -> Iterator[Any]:
    """A client of the cluster at ``address`` (or ``DASK_SCHEDULER_ADDRESS``), else of a new
    LocalCluster of ``workers`` processes with one thread each, closed afterwards."""
    from distributed import Client, LocalCluster

    address = address or os.environ.get(SCHEDULER_VARIABLE) or None
    if address:
        with Client(address) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # the scheduler serves HTTP even without a dashboard: any free port
        silence_logs=50,  # logging.CRITICAL: a closing worker's lost heartbeat is no news
    )
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def chunks(paths: int, workers: int) -> list[list[int]]:
    size = max(1, -(-paths // max(1, workers * CHUNKS_PER_WORKER)))
    return [list(range(i, min(i + size, paths))) for i in range(0, paths, size)]


def sweep(
    data: PlanData,
    disruption: Disruption,
    *,
    seed: int,
    paths: int,
    client: Any | None = None,
    progress: Progress | None = None,
) -> Collector:
    """Evaluate paths ``0 .. paths-1`` of ``seed``: on ``client``'s cluster, or here."""
    collector = Collector(data, disruption, paths, seed)
    if client is None:
        solver = PathSolver(data, disruption)
        for i in range(paths):
            collector.add(solver.evaluate(seed, i))
            if progress:
                progress(collector.done, paths)
        return collector
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info()["workers"]))
    data_f, disruption_f = client.scatter([data, disruption], broadcast=True, hash=False)
    token = uuid.uuid4().hex
    futures = [
        client.submit(run_chunk, token, data_f, disruption_f, seed, part, pure=False)
        for part in chunks(paths, workers)
    ]
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        for result in future.result():
            collector.add(result)
        if progress:
            progress(collector.done, paths)
        future.release()
    return collector


def evaluate(
    data: PlanData,
    disruption: Disruption,
    *,
    seed: int,
    paths: int,
    client: Any | None = None,
    progress: Progress | None = None,
    production: np.ndarray | None = None,
) -> Evaluation:
    collector = sweep(data, disruption, seed=seed, paths=paths, client=client, progress=progress)
    return collector.report(production)
