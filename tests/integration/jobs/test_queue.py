"""The job queue on both engines: its lifecycle, claims that never hand a job out twice, one
active job per key, lost workers, cancelling, and who may see and cancel what."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from kuznia.db.jobs import Job, JobStatus
from kuznia.errors import Conflict, Forbidden, NotFound
from kuznia.services.jobs import queue, reading
from kuznia.services.kernel.actors import Actor, Role

COORDINATOR = Actor(role=Role.COORDINATOR, user_id="user-c", label="")
OTHER_COORDINATOR = Actor(role=Role.COORDINATOR, user_id="user-c2")
PARTNER = Actor(role=Role.PARTNER, user_id="user-p", partner_id="partner-dk")
AUDITOR = Actor(role=Role.AUDITOR, user_id="user-a")


def _submit(database, actor=COORDINATOR, kind="plan", key=None, **params):
    with database.transaction() as session:
        return queue.submit(session, actor, kind, params, dedupe_key=key).id


def _status(database, job_id):
    with database.reading() as session:
        return session.get(Job, job_id).status


def test_a_job_goes_from_queued_to_running_to_done_with_its_result(database):
    job_id = _submit(database, label="first")
    with database.transaction() as session:
        order = queue.claim(session, "w1", ["plan"])
    assert order is not None
    assert (order.id, order.kind, order.params) == (job_id, "plan", {"label": "first"})
    assert order.actor.role is Role.COORDINATOR
    assert order.actor.user_id == "user-c"
    assert _status(database, job_id) == "running"
    with database.transaction() as session:
        assert queue.heartbeat(session, job_id, 0.5, "half way") is False
        queue.finish(session, job_id, {"plan_id": "plan-1"})
    with database.reading() as session:
        doc = reading.get_job(session, COORDINATOR, job_id)
    assert doc["status"] == "done"
    assert doc["result"] == {"plan_id": "plan-1"}
    assert doc["progress"] == 1.0
    assert doc["finished_at"] is not None


def test_nothing_is_claimed_when_no_job_of_the_kinds_waits(database):
    _submit(database, kind="sweep")
    with database.transaction() as session:
        assert queue.claim(session, "w1", ["plan"]) is None


def test_jobs_are_claimed_oldest_first_and_each_by_exactly_one_of_many_workers(database):
    ids = [_submit(database, n=i) for i in range(12)]
    claimed: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while True:
            with database.transaction() as session:
                order = queue.claim(session, name, ["plan"])
            if order is None:
                return
            with lock:
                claimed.append(order.id)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(ids)
    assert len(set(claimed)) == len(ids)


def test_one_active_job_per_key_and_a_new_one_once_it_ended(database):
    first = _submit(database, key="plan:abc")
    assert _submit(database, key="plan:abc") == first
    with database.transaction() as session:
        queue.claim(session, "w1", ["plan"])
        queue.fail(session, first, "boom")
    assert _submit(database, key="plan:abc") != first


def test_a_job_whose_worker_went_silent_is_queued_again_then_fails_after_three_tries(database):
    job_id = _submit(database)
    for attempt in range(1, queue.MAX_ATTEMPTS + 1):
        with database.transaction() as session:
            assert queue.claim(session, f"w{attempt}", ["plan"]).id == job_id
        old = datetime.now(UTC) - timedelta(minutes=5)
        with database.transaction() as session:
            session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=old))
        with database.transaction() as session:
            assert queue.requeue_lost(session, timedelta(minutes=1)) == [job_id]
        expected = "failed" if attempt == queue.MAX_ATTEMPTS else "queued"
        assert _status(database, job_id) == expected
    with database.reading() as session:
        assert "stopped answering 3 times" in session.get(Job, job_id).error


def test_a_live_worker_keeps_its_job(database):
    job_id = _submit(database)
    with database.transaction() as session:
        queue.claim(session, "w1", ["plan"])
    with database.transaction() as session:
        assert queue.requeue_lost(session, timedelta(minutes=1)) == []
    assert _status(database, job_id) == "running"


def test_cancelling_a_queued_job_ends_it_and_a_running_one_asks_its_worker(database):
    queued = _submit(database)
    running = _submit(database)
    with database.transaction() as session:
        session.execute(update(Job).where(Job.id == queued).values(created_at=datetime.now(UTC)))
    with database.transaction() as session:
        assert queue.claim(session, "w1", ["plan"]).id == running
    with database.transaction() as session:
        assert reading.cancel_job(session, COORDINATOR, queued)["status"] == "cancelled"
        doc = reading.cancel_job(session, COORDINATOR, running)
    assert doc["status"] == "running"
    assert doc["cancel_requested"] is True
    with database.transaction() as session:
        assert queue.heartbeat(session, running, 0.3, "") is True
        queue.stopped(session, running)
    assert _status(database, running) == "cancelled"
    with database.transaction() as session, pytest.raises(Conflict, match=r"status: .* cancelled"):
        reading.cancel_job(session, COORDINATOR, queued)


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (s, e)
        for s in JobStatus
        for e in ("claim", "cancel", "finish", "fail", "stop", "lose")
        if (s, e) not in queue.TRANSITIONS
    ],
)
def test_every_move_the_transition_table_lacks_is_refused(database, status, event):
    job_id = _submit(database)
    with database.transaction() as session:
        session.execute(update(Job).where(Job.id == job_id).values(status=status.value))
    with database.transaction() as session:
        job = session.get(Job, job_id)
        with pytest.raises(Conflict, match=f"is {status.value}: it cannot {event}"):
            queue._move(job, event)
    assert _status(database, job_id) == status.value


def test_users_see_their_own_jobs_the_ministry_and_auditors_see_all(database):
    mine = _submit(database, actor=PARTNER, kind="sweep")
    theirs = _submit(database)
    with database.reading() as session:
        assert [j["id"] for j in reading.list_jobs(session, PARTNER)] == [mine]
        assert {j["id"] for j in reading.list_jobs(session, AUDITOR)} == {mine, theirs}
        with pytest.raises(NotFound):
            reading.get_job(session, PARTNER, theirs)
        assert reading.counts_waiting(session, AUDITOR)["queued"] == 2


def test_only_the_ministry_or_the_submitter_may_cancel(database):
    job_id = _submit(database)
    with database.transaction() as session, pytest.raises(NotFound):
        reading.cancel_job(session, PARTNER, job_id)
    with database.transaction() as session, pytest.raises(Forbidden):
        reading.cancel_job(session, AUDITOR, job_id)
    assert _status(database, job_id) == "queued"
    with database.transaction() as session:
        assert reading.cancel_job(session, OTHER_COORDINATOR, job_id)["status"] == "cancelled"


def test_a_job_keeps_every_field_a_worker_needs_across_a_restart(database_url):
    from kuznia.services.wiring import database_at

    first = database_at(database_url)
    job_id = _submit(first, label="survives")
    first.dispose()
    second = database_at(database_url)
    with second.transaction() as session:
        order = queue.claim(session, "after-restart", ["plan"])
        rows = session.scalars(select(Job.id)).all()
    second.dispose()
    assert order is not None
    assert order.id == job_id
    assert rows == [job_id]
