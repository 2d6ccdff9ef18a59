"""Who may see and cancel which jobs (the access policy's ``jobs`` rules: the ministry and
auditors see every job, everyone else the jobs they submitted; the ministry may cancel any,
everyone else their own), and the lists the pages and the API show. A job carries no secret:
its kind, parameters, progress and outcome.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.jobs import Job, JobStatus
from kuznia.errors import Conflict, Forbidden, NotFound
from kuznia.services.access.policy import Action, Viewer, columns_of
from kuznia.services.jobs.queue import cancel_queued, job_document
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.locking import locked


def list_jobs(
    session: Session, actor: Actor, *, status: JobStatus | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The jobs ``actor`` may see, newest first."""
    readable = Viewer(actor).condition("jobs")
    stmt = select(Job).where(readable).order_by(Job.created_at.desc(), Job.id.desc())
    if status is not None:
        stmt = stmt.where(Job.status == status.value)
    return [job_document(j) for j in session.scalars(stmt.limit(limit))]


def get_job(session: Session, actor: Actor, job_id: str) -> dict[str, Any]:
    """One job; a job ``actor`` may not see does not exist for it (404)."""
    readable = Viewer(actor).condition("jobs")
    job = session.scalars(select(Job).where(Job.id == job_id, readable)).first()
    if job is None:
        raise NotFound(f"no job {job_id!r}")
    return job_document(job)


def may_cancel(actor: Actor, job: dict[str, Any] | Job) -> bool:
    """Whether ``actor`` may cancel ``job`` (a job document or row)."""
    row = columns_of(job) if isinstance(job, Job) else {"user_id": job.get("user_id")}
    return Viewer(actor).may("jobs", row, Action.UPDATE)


def cancel_job(session: Session, actor: Actor, job_id: str) -> dict[str, Any]:
    """Cancel a queued job at once; ask its worker to stop a running one."""
    job = locked(session, Job, job_id)
    if job is None or not Viewer(actor).may("jobs", columns_of(job)):
        raise NotFound(f"no job {job_id!r}")
    if not may_cancel(actor, job):
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
    readable = Viewer(actor).condition("jobs")
    stmt = select(Job.status).where(readable, Job.status.in_(list(counts)))
    for status in session.scalars(stmt):
        counts[status] += 1
    return counts
