"""Plans as background jobs: the ministry's plan runs, and the current plan the pages show.

A ``plan`` job computes and stores a plan exactly as ``POST /api/v1/plans`` does
(:mod:`kuznia.services.planning.runs`), in a worker's child process, reporting its phases. The
pages never solve: when the inputs have no stored plan yet, they queue one ``plan`` job per
scenario digest (on behalf of the system planner) and show the last plan with a notice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.allocation import plan_scenario
from kuznia.db.base import as_utc
from kuznia.db.jobs import Job, JobStatus
from kuznia.services.access.policy import Action, scope_of
from kuznia.services.jobs import queue
from kuznia.services.jobs.queue import JobOrder
from kuznia.services.jobs.worker import ProgressReport
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.planning.runs import PLAN_OPTIONS, ComputedPlan, canonical_export, store_plan

PLAN_JOB = "plan"
RETRY_AFTER = timedelta(minutes=10)
PLANNER = Actor.system("planner")
"""Who stores the pages' current plan: the system, with the ministry's rights."""


def submit_plan_job(
    session: Session, actor: Actor, *, label: str | None = None, include_unreviewed: bool = False
) -> Job:
    """Queue a plan run for ``actor`` (the ministry only: whoever may create plans)."""
    scope_of(actor, "plans", Action.CREATE)
    params = {"label": label, "include_unreviewed": include_unreviewed}
    return queue.submit(session, actor, PLAN_JOB, params)


def ensure_current_plan_job(session: Session, sha256: str) -> Job:
    """The job computing the plan of scenario ``sha256``, queued now if none is active. If such
    a job failed in the last :data:`RETRY_AFTER`, that job is returned (with its reason)
    instead of queueing the same failure again on every page view."""
    key = f"plan:{sha256}"
    newest = session.scalars(
        select(Job).where(Job.dedupe_key == key).order_by(Job.created_at.desc()).limit(1)
    ).first()
    if newest is not None and newest.status == JobStatus.FAILED.value:
        finished = newest.finished_at
        if finished is not None and datetime.now(UTC) - as_utc(finished) < RETRY_AFTER:
            return newest
    params = {"label": "current plan", "include_unreviewed": False, "sha256": sha256}
    return queue.submit(session, PLANNER, PLAN_JOB, params, dedupe_key=key)


@contextmanager
def _solve_ticker(report: ProgressReport, lines: int) -> Iterator[None]:
    """While HiGHS solves (it reports nothing to Python), say every second how long it has run
    against the time limit: the progress of a solve is its elapsed share of the limit."""
    done = threading.Event()
    started = time.monotonic()
    limit = PLAN_OPTIONS.time_limit

    def tick() -> None:
        while not done.wait(1.0):
            elapsed = time.monotonic() - started
            share = min(elapsed / limit, 1.0)
            note = f"solving {lines} lines: {elapsed:.0f} s (limit {limit:.0f} s)"
            report(0.05 + 0.85 * share, note)

    report(0.05, f"solving {lines} lines")
    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def run_plan_job(database: Database, order: JobOrder, report: ProgressReport) -> Mapping[str, Any]:
    """The ``plan`` handler: export, solve (reporting elapsed time against the limit), store."""
    include = bool(order.params.get("include_unreviewed", False))
    report(0.02, "exporting the scenario")
    with database.reading() as session:
        inputs = canonical_export(session, include_unreviewed=include)
    started = time.monotonic()
    with _solve_ticker(report, len(inputs.scenario.proposals)):
        plan = plan_scenario(inputs.scenario, inputs.sha256, PLAN_OPTIONS).plan
    report(0.95, f"storing the plan (solved in {time.monotonic() - started:.1f} s)")
    computed = ComputedPlan(inputs, plan, include)
    with database.unit_of_work(order.actor) as uow:
        stored = store_plan(uow, computed, label=order.params.get("label"))
    return {"plan_id": stored["id"], "status": stored["status"], "sha256": inputs.sha256}
