"""Workers run each job in a child process: a plan job stores its plan and inputs; a running
job is cancelled within seconds; a crash or an error fails the job with its cause; a worker
that stops hands its job back."""

from __future__ import annotations

import threading
import time
import zlib
from types import SimpleNamespace

from sqlalchemy import select

from kuznia.db.jobs import Job
from kuznia.db.planning import PlanScenario, StoredPlan
from kuznia.scenario.io import scenario_sha256
from kuznia.services.jobs import queue
from kuznia.services.jobs.worker import Worker, WorkerConfig, start_in_thread
from kuznia.services.kernel.actors import Actor
from kuznia.services.planning.jobs import submit_plan_job
from kuznia.services.registries.scenarios import import_scenario
from kuznia.services.wiring import make_worker, open_database
from kuznia.settings import load_settings
from tests.factories import scenario_bytes
from tests.support import jobs as handlers

FAST = WorkerConfig(name="test-worker", poll_seconds=0.1, heartbeat_seconds=0.2)


def _worker(database, url, **kinds):
    settings = load_settings(database_url=url)
    return Worker(database, settings, kinds, open_database, FAST)


def _job(database, job_id):
    """A snapshot of the job (the reading session expires its rows when it ends)."""
    with database.reading() as session:
        return SimpleNamespace(**queue.job_document(session.get(Job, job_id)))


def _submit(database, kind, **params):
    with database.transaction() as session:
        return queue.submit(session, Actor.system("test"), kind, params).id


def test_a_plan_job_stores_the_plan_and_the_exact_scenario_it_solved(database, database_url):
    from kuznia.scenario.io import parse_scenario

    with database.unit_of_work(Actor.system("test")) as uow:
        import_scenario(uow, parse_scenario(scenario_bytes()))
    with database.transaction() as session:
        job_id = submit_plan_job(session, Actor.system("test"), label="from a job").id
    worker = make_worker(database, load_settings(database_url=database_url), FAST)
    assert worker.run_once() is True
    job = _job(database, job_id)
    assert job.status == "done", job.error
    with database.reading() as session:
        plan = session.get(StoredPlan, job.result["plan_id"])
        label, by, digest = plan.label, plan.created_by, plan.scenario_sha256
        inputs = zlib.decompress(session.get(PlanScenario, digest).compressed)
    assert label == "from a job"
    assert by == "system:test"
    assert scenario_sha256(inputs) == digest == job.result["sha256"]
    assert worker.run_once() is False


def test_a_running_job_is_cancelled_within_seconds(database, database_url):
    job_id = _submit(database, "slow", seconds=120)
    worker = _worker(database, database_url, slow=handlers.slow)
    thread = threading.Thread(target=worker.run_once)
    thread.start()
    deadline = time.monotonic() + 60
    while _job(database, job_id).progress == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _job(database, job_id).status == "running"
    with database.transaction() as session:
        session.get(Job, job_id).cancel_requested = True
    started = time.monotonic()
    thread.join(30)
    assert not thread.is_alive()
    assert time.monotonic() - started < 15  # heartbeats every 0.2 s; generous for a loaded CI
    assert _job(database, job_id).status == "cancelled"


def test_a_job_whose_process_dies_fails_with_its_exit_code(database, database_url):
    job_id = _submit(database, "crash")
    assert _worker(database, database_url, crash=handlers.crash).run_once()
    job = _job(database, job_id)
    assert job.status == "failed"
    assert "exit code 3" in job.error


def test_a_job_that_raises_fails_with_the_error(database, database_url):
    job_id = _submit(database, "refuse")
    assert _worker(database, database_url, refuse=handlers.refuse).run_once()
    assert _job(database, job_id).error == "ValueError: no such thing"


def test_a_stopping_worker_hands_its_running_job_back_to_the_queue(database, database_url):
    job_id = _submit(database, "slow", seconds=120)
    worker = _worker(database, database_url, slow=handlers.slow)
    thread = start_in_thread(worker)
    deadline = time.monotonic() + 60
    while _job(database, job_id).status != "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    worker.stopping.set()
    thread.join(30)
    job = _job(database, job_id)
    assert job.status == "queued"
    assert job.attempts == 1
    with database.reading() as session:
        assert session.scalars(select(Job.worker)).all() == ["test-worker"]
