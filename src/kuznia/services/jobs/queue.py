"""The job queue: submit, claim, report progress, finish, fail, cancel, and requeue jobs whose
worker stopped answering.

Why a table of our own rather than a task library: kuznia must run the same queue on its
embedded SQLite file and on PostgreSQL through the BSD-licensed pg8000 driver, inside the same
SQLAlchemy transactions as everything else, and show every job's state and progress to the
people who wait for it. Huey's SQL storage needs peewee and its own PostgreSQL driver, and keeps
no progress; Celery and RQ need a broker. A claim is one short transaction: on PostgreSQL
``SELECT ... FOR UPDATE SKIP LOCKED`` (workers never wait for each other's rows), on SQLite under
``BEGIN IMMEDIATE`` (one writer at a time; the claim takes milliseconds).

Lifecycle (the transition table is :data:`TRANSITIONS`)::

    queued -> running -> done | failed        queued -> cancelled
    running -> cancelled (the worker stops it on request)   running -> queued (worker lost)
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kuznia.db.base import as_utc
from kuznia.db.jobs import ACTIVE_STATUSES, Job, JobStatus
from kuznia.errors import Conflict, NotFound
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.locking import write_lock

MAX_ATTEMPTS = 3
"""A job whose worker vanished this many times fails instead of being queued again."""

TRANSITIONS: Mapping[tuple[JobStatus, str], JobStatus] = {
    (JobStatus.QUEUED, "claim"): JobStatus.RUNNING,
    (JobStatus.QUEUED, "cancel"): JobStatus.CANCELLED,
    (JobStatus.RUNNING, "finish"): JobStatus.DONE,
    (JobStatus.RUNNING, "fail"): JobStatus.FAILED,
    (JobStatus.RUNNING, "stop"): JobStatus.CANCELLED,
    (JobStatus.RUNNING, "lose"): JobStatus.QUEUED,
}
"""(status, event) -> next status; every other pair is refused."""


def _move(job: Job, event: str) -> None:
    """Apply ``event`` to ``job`` by the transition table (Conflict naming the state if not)."""
    target = TRANSITIONS.get((JobStatus(job.status), event))
    if target is None:
        raise Conflict(f"job {job.id} is {job.status}: it cannot {event}")
    job.status = target.value
    if target in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED):
        job.finished_at = _now()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class JobOrder:
    """What a worker needs to run a job: its id, kind, parameters and on whose behalf."""

    id: str
    kind: str
    params: Mapping[str, Any]
    actor: Actor


def job_document(job: Job) -> dict[str, Any]:
    """A job as readers see it (its submitter's user id and name, never their organisation ids)."""
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "params": job.params,
        "progress": job.progress,
        "progress_note": job.progress_note,
        "result": job.result,
        "error": job.error,
        "attempts": job.attempts,
        "cancel_requested": job.cancel_requested,
        "submitted_by": job.actor_label,
        "user_id": job.user_id,
        "created_at": as_utc(job.created_at),
        "started_at": None if job.started_at is None else as_utc(job.started_at),
        "finished_at": None if job.finished_at is None else as_utc(job.finished_at),
    }


def submit(
    session: Session,
    actor: Actor,
    kind: str,
    params: Mapping[str, Any],
    *,
    dedupe_key: str | None = None,
) -> Job:
    """Queue a job for ``actor``. With ``dedupe_key``, an active job with that key is returned
    instead of a second one (a unique index over active jobs makes this hold under races)."""
    write_lock(session)
    if dedupe_key is not None:
        existing = _active_with_key(session, dedupe_key)
        if existing is not None:
            return existing
    job = Job(
        id=f"job-{secrets.token_hex(8)}",
        kind=kind,
        status=JobStatus.QUEUED.value,
        params=dict(params),
        dedupe_key=dedupe_key,
        actor_role=actor.role.value,
        actor_label=actor.name[:200],
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        partner_id=actor.partner_id,
        company_id=actor.company_id,
        created_at=_now(),
    )
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:  # another submitter won the race for this key
        found = _active_with_key(session, dedupe_key or "")
        if found is None:
            raise
        return found
    return job


def _active_with_key(session: Session, key: str) -> Job | None:
    active = [s.value for s in ACTIVE_STATUSES]
    stmt = select(Job).where(Job.dedupe_key == key, Job.status.in_(active)).limit(1)
    return session.scalars(stmt).first()


def _order(job: Job) -> JobOrder:
    actor = Actor(
        role=Role(job.actor_role),
        user_id=job.user_id,
        organisation_id=job.organisation_id,
        partner_id=job.partner_id,
        company_id=job.company_id,
        label=job.actor_label if job.user_id is None else "",
    )
    return JobOrder(job.id, job.kind, dict(job.params), actor)


def claim(session: Session, worker: str, kinds: Sequence[str]) -> JobOrder | None:
    """Take the oldest queued job of ``kinds`` for ``worker`` (None if there is none)."""
    write_lock(session)
    stmt = (
        select(Job)
        .where(Job.status == JobStatus.QUEUED.value, Job.kind.in_(list(kinds)))
        .order_by(Job.created_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    job = session.scalars(stmt).first()
    if job is None:
        return None
    _move(job, "claim")
    job.worker = worker[:200]
    job.attempts += 1
    job.started_at = job.heartbeat_at = _now()
    job.progress, job.progress_note, job.error = 0.0, "", None
    return _order(job)


def has_queued(session: Session, kinds: Sequence[str]) -> bool:
    """Whether a job of ``kinds`` waits: a read, so idle workers poll without the write lock."""
    stmt = select(Job.id).where(Job.status == JobStatus.QUEUED.value, Job.kind.in_(list(kinds)))
    return session.scalars(stmt.limit(1)).first() is not None


def _running(session: Session, job_id: str) -> Job:
    job = session.get(Job, job_id, with_for_update=True)
    if job is None:
        raise NotFound(f"no job {job_id!r}")
    return job


def heartbeat(session: Session, job_id: str, progress: float, note: str) -> bool:
    """Record that ``job_id`` is alive and how far it got; True if it should stop (cancelled)."""
    job = _running(session, job_id)
    job.heartbeat_at = _now()
    job.progress = min(1.0, max(0.0, progress))
    job.progress_note = note[:200]
    return job.cancel_requested


def finish(session: Session, job_id: str, result: Mapping[str, Any]) -> None:
    job = _running(session, job_id)
    _move(job, "finish")
    job.progress, job.progress_note, job.result = 1.0, "done", dict(result)


def fail(session: Session, job_id: str, error: str) -> None:
    job = _running(session, job_id)
    _move(job, "fail")
    job.error = error[:4000]


def cancel_queued(job: Job) -> None:
    """A queued job is cancelled at once: no worker has it."""
    _move(job, "cancel")


def stopped(session: Session, job_id: str) -> None:
    """The worker stopped a running job because cancelling it was asked for."""
    _move(_running(session, job_id), "stop")


def release(session: Session, job_id: str) -> None:
    """The worker is stopping: its running job is queued again for another worker."""
    job = _running(session, job_id)
    _move(job, "lose")
    job.progress_note = "queued again: its worker stopped"


def requeue_lost(session: Session, silent_for: timedelta) -> list[str]:
    """Running jobs whose worker has not answered for ``silent_for`` are queued again (or fail
    after :data:`MAX_ATTEMPTS`): a worker that was killed or lost its machine leaves no orphan."""
    write_lock(session)
    cutoff = _now() - silent_for
    stmt = select(Job).where(
        Job.status == JobStatus.RUNNING.value,
        or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < cutoff),
    )
    moved = []
    for job in session.scalars(stmt.with_for_update(skip_locked=True)):
        if job.attempts >= MAX_ATTEMPTS:
            _move(job, "fail")
            job.error = f"its worker stopped answering {job.attempts} times"
        else:
            _move(job, "lose")
            job.progress_note = "queued again: its worker stopped answering"
        moved.append(job.id)
    return moved
