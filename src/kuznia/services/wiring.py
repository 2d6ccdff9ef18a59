"""The composition root of the services: a database wired with the change listeners that every
unit of work reports to.

Add a listener here (not at call sites) so that no path that changes state can skip it. The
kernel's :class:`~kuznia.services.kernel.database.Database` knows nothing of the contexts; the
audit trail and the transparency log are wired in here.

Each part is imported by the function that wires it: a command that only reads (``kuznia log
proof``) opens a database without importing the job worker, the listeners or their tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kuznia.services.kernel.database import Database

if TYPE_CHECKING:
    from kuznia.services.jobs.worker import Handler, Worker, WorkerConfig
    from kuznia.services.kernel.unit_of_work import ChangeListener
    from kuznia.settings import Settings


def default_listeners() -> list[ChangeListener]:
    """Listeners run, in this order, inside every unit of work before it commits."""
    from kuznia.services.transparency.recording import record_listener

    return [record_listener]  # the audit trail and the log, prepared before their locks


def job_handlers() -> dict[str, Handler]:
    """Every kind of job a worker runs, and the function that runs it."""
    from kuznia.services.planning.jobs import PLAN_JOB, run_plan_job
    from kuznia.services.resilience.jobs import RISK_JOB, run_risk_job

    return {PLAN_JOB: run_plan_job, RISK_JOB: run_risk_job}


def make_worker(
    database: Database, settings: Settings, config: WorkerConfig | None = None
) -> Worker:
    """A job worker for every kind of job; its jobs' child processes open ``settings``' database
    with every listener wired."""
    from kuznia.services.jobs.worker import Worker

    return Worker(database, settings, job_handlers(), open_database, config)


def open_database(settings: Settings) -> Database:
    """The database ``settings`` name, with every listener wired (at its first unit of work)."""
    return Database.from_engine_settings(settings, default_listeners)


def database_at(url: str) -> Database:
    """The database at ``url``, with every listener wired (at its first unit of work)."""
    return Database.at_url(url, default_listeners)
