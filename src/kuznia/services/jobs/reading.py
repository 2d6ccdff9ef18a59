"""Who may see and cancel which jobs, and the lists the pages and the API show.

The coordinator and auditors see every job (a job carries no secret: its kind, parameters,
progress and outcome); everyone else sees the jobs they submitted. The coordinator may cancel
any job, a user their own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from kuznia.db.jobs import Job, JobStatus
from kuznia.errors import Conflict, Forbidden, NotFound
from kuznia.services.jobs.queue import cancel_queued, job_document
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.locking import locked

ALL_READERS = (Role.COORDINATOR, Role.AUDITOR)


def _readable(actor: Actor) -> ColumnElement[bool]:
    if actor.role in ALL_READERS:
        return true()
    if actor.user_id is None:
        raise Forbidden("log in to see your jobs")
    return Job.user_id == actor.user_id


def list_jobs(
    session: Session, actor: Actor, *, status: JobStatus | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The jobs ``actor`` may see, newest first."""
    stmt = select(Job).where(_readable(actor)).order_by(Job.created_at.desc(), Job.id.desc())
    if status is not None:
        stmt = stmt.where(Job.status == status.value)
    return [job_document(j) for j in session.scalars(stmt.limit(limit))]


def get_job(session: Session, actor: Actor, job_id: str) -> dict[str, Any]:
    """One job; a job ``actor`` may not see does not exist for it (404)."""
    job = session.scalars(select(Job).where(Job.id == job_id, _readable(actor))).first()
    if job is None:
        raise NotFound(f"no job {job_id!r}")
    return job_document(job)


def cancel_job(session: Session, actor: Actor, job_id: str) -> dict[str, Any]:
    """Cancel a queued job at once; ask its worker to stop a running one."""
    job = locked(session, Job, job_id)
    visible = job is not None and (
        actor.role in ALL_READERS or (actor.user_id is not None and job.user_id == actor.user_id)
    )
    if job is None or not visible:
        raise NotFound(f"no job {job_id!r}")
    if actor.role is not Role.COORDINATOR and job.user_id != actor.user_id:
        raise Forbidden("only the coordinator or whoever submitted a job may cancel it")
    if job.status == JobStatus.QUEUED.value:
        cancel_queued(job)
    elif job.status == JobStatus.RUNNING.value:
        job.cancel_requested = True
    else:
        raise Conflict(f"status: job {job_id} is {job.status} already; nothing to cancel")
    return job_document(job)


def counts_waiting(session: Session, actor: Actor) -> dict[str, int]:
    """How many of the jobs ``actor`` may see are queued, running, or failed (for the inbox)."""
    counts = {s.value: 0 for s in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED)}
    stmt = select(Job.status).where(_readable(actor), Job.status.in_(list(counts)))
    for status in session.scalars(stmt):
        counts[status] += 1
    return counts
