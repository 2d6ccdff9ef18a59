"""``kuznia worker``: run queued jobs (plans) in the background, against the configured database."""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Annotated

import typer

from kuznia.cli.common import console, state


def worker_command(
    ctx: typer.Context,
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Jobs run at once (each in its own process).")
    ] = 1,
    poll: Annotated[float, typer.Option(min=0.1, max=60, help="Seconds between polls.")] = 1.0,
) -> None:
    """Run queued jobs until stopped (Ctrl-C or SIGTERM); start as many as you like, on one
    machine or several: each job is claimed by exactly one worker.

    Example: KUZNIA_DATABASE_URL=postgresql://kuznia@db/kuznia kuznia worker --concurrency 2
    """
    from kuznia.services.jobs.worker import WorkerConfig, start_in_thread
    from kuznia.services.wiring import make_worker

    database = state(ctx).database()
    settings = state(ctx).settings
    workers = [
        make_worker(database, settings, WorkerConfig(poll_seconds=poll)) for _ in range(concurrency)
    ]
    stop = threading.Event()

    def request_stop(*_: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    threads = [start_in_thread(w) for w in workers]
    console.print(
        f"kuznia worker: {concurrency} job(s) at a time; Ctrl-C stops (jobs are queued again)"
    )
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    for w in workers:
        w.stopping.set()
    for thread in threads:
        thread.join(30)
    state(ctx).close()
