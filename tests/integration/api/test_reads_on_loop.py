"""Where the API's short reads and writes run (``api/deps.run_query``, ``run_write``): on
SQLite on the event loop, a write only while nothing makes it wait (else in the thread pool,
once); on PostgreSQL on the event loop too while the app serves (through asyncpg, each wait an
``await``), and in the thread pool outside a lifespan."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

from kuznia.api import deps
from kuznia.services.registries import records
from tests.integration.api.conftest import TestClient, make_client
from tests.integration.api.world import World


@pytest.fixture
def threads_of(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The name of the thread each use case ran in (the event loop's is the client's portal),
    and (``<name> driver``) the driver its session's statements went through."""
    seen: dict[str, str] = {}
    for name in ("list_records", "get_record", "create_record"):
        original = getattr(records, name)

        def spy(session, *args: object, _original=original, _name=name, **kwargs: object):  # type: ignore[no-untyped-def]
            seen[_name] = threading.current_thread().name
            of = getattr(session, "session", session)  # a create gets the unit of work
            seen[f"{_name} driver"] = of.connection().dialect.driver
            return _original(session, *args, **kwargs)

        monkeypatch.setattr(records, name, spy)
    return seen


def test_reads_and_free_writes_run_on_the_loop_and_on_postgresql_through_asyncpg(
    client: TestClient, world: World, threads_of: dict[str, str]
):
    headers = world.headers("coordinator")
    listed = client.get("/api/v1/capabilities", headers=headers)
    assert listed.status_code == 200
    one = listed.json()["items"][0]["id"]
    assert client.get(f"/api/v1/capabilities/{one}", headers=headers).status_code == 200
    body = {"name": "Where it ran", "unit": "unit"}
    assert client.post("/api/v1/capabilities", json=body, headers=headers).status_code == 201
    loop = client.portal.call(lambda: threading.current_thread().name)  # type: ignore[union-attr]
    driver = "pysqlite" if world.database.embedded else "asyncpg"
    for use_case in ("list_records", "get_record", "create_record"):
        assert threads_of[use_case] == loop
        assert threads_of[f"{use_case} driver"] == driver


def test_outside_a_lifespan_a_postgresql_read_goes_to_the_thread_pool(
    monkeypatch: pytest.MonkeyPatch, world: World
):
    """``run_query`` asks the database, not the route, where a read runs: with no app serving
    on the loop, PostgreSQL's reads go to the pool (through pg8000)."""
    import anyio

    pooled: list[str] = []

    async def in_pool(read):  # type: ignore[no-untyped-def]
        pooled.append("pool")
        return read()

    monkeypatch.setattr(deps, "run_in_threadpool", in_pool)
    answers: list[int] = []  # a thread of its own: another test may leave a loop running here
    runner = threading.Thread(
        target=lambda: answers.append(anyio.run(deps.run_query, world.database, lambda: 7))
    )
    runner.start()
    runner.join(10)
    assert answers == [7]
    assert pooled == ([] if world.database.embedded else ["pool"])


@contextmanager
def held(lock_holder: threading.Thread, release: threading.Event) -> Iterator[None]:
    lock_holder.start()
    try:
        yield
    finally:
        release.set()
        lock_holder.join()


def _turn_held(world: World, taken: threading.Event, release: threading.Event) -> None:
    with world.database._writer_turn():  # another writer of this process
        taken.set()
        release.wait(10)


def _sqlite_lock_held(path: str, taken: threading.Event, release: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)  # another process's writer, say
    other.execute("BEGIN IMMEDIATE")
    taken.set()
    release.wait(10)
    other.execute("ROLLBACK")
    other.close()


def _release_when_pooled(monkeypatch: pytest.MonkeyPatch, release: threading.Event) -> None:
    """The holder lets go once the write has been handed to the thread pool (a write kept on
    the loop would wait until the holder's own timeout, and the test then fails)."""
    pooled = deps.run_in_threadpool

    async def release_then_run(work):  # type: ignore[no-untyped-def]
        release.set()
        return await pooled(work)

    monkeypatch.setattr(deps, "run_in_threadpool", release_then_run)


def test_a_write_that_would_wait_on_the_loop_waits_in_the_pool_and_is_made_once(
    client: TestClient, world: World, threads_of: dict[str, str], monkeypatch: pytest.MonkeyPatch
):
    if not world.database.embedded:
        return  # PostgreSQL: the next test
    headers = world.headers("coordinator")
    loop = client.portal.call(lambda: threading.current_thread().name)  # type: ignore[union-attr]
    path = str(make_url(str(world.database.engine.url)).database)
    holders = [
        lambda taken, release: _turn_held(world, taken, release),
        lambda taken, release: _sqlite_lock_held(path, taken, release),
    ]
    for number, hold in enumerate(holders):
        taken, release = threading.Event(), threading.Event()
        holder = threading.Thread(target=hold, args=(taken, release))
        _release_when_pooled(monkeypatch, release)
        with held(holder, release):
            assert taken.wait(10)
            body = {"name": f"Waited {number}", "unit": "unit"}
            made = client.post("/api/v1/capabilities", json=body, headers=headers)
        assert made.status_code == 201, made.text
        assert threads_of["create_record"] != loop
        listed = client.get("/api/v1/capabilities?limit=200", headers=headers).json()["items"]
        assert [c["name"] for c in listed].count(f"Waited {number}") == 1


def _table_locked(world: World, taken: threading.Event, release: threading.Event) -> None:
    with world.database.engine.connect() as other:  # another writer (pg8000, its own thread)
        other.exec_driver_sql("LOCK TABLE capabilities IN EXCLUSIVE MODE")  # reads still pass
        taken.set()
        release.wait(10)
        other.rollback()


def test_a_postgresql_write_waiting_for_a_lock_leaves_the_loop_serving(
    client: TestClient, world: World, threads_of: dict[str, str]
):
    """The write waits on the loop (in its greenlet), and the loop answers a read meanwhile: a
    blocked loop would answer only after the lock is released and the write is made."""
    if world.database.embedded:
        return  # SQLite: the test above
    headers = world.headers("coordinator")
    taken, release = threading.Event(), threading.Event()
    answers: list[int] = []
    body = {"name": "Waited for the lock", "unit": "unit"}
    writer = threading.Thread(
        target=lambda: answers.append(
            client.post("/api/v1/capabilities", json=body, headers=headers).status_code
        )
    )
    with held(threading.Thread(target=_table_locked, args=(world, taken, release)), release):
        assert taken.wait(10)
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # waiting for the lock, on the loop
        assert client.get("/api/v1/capabilities", headers=headers).status_code == 200
        assert answers == []
    writer.join(10)
    assert answers == [201]
    loop = client.portal.call(lambda: threading.current_thread().name)  # type: ignore[union-attr]
    assert threads_of["create_record"] == loop


def test_a_postgresql_lock_given_up_on_answers_503_on_the_loop_and_in_the_pool(world: World):
    """PostgreSQL giving up on a lock (``lock_timeout``, SQLSTATE 55P03) is a busy database,
    worth a retry: 503 with Retry-After, not a 500, whether the write ran on the loop (asyncpg)
    or in the pool (pg8000). The two drivers report the SQLSTATE differently."""
    if world.database.embedded:
        return  # SQLite: test_operations.py
    engine, headers = world.database.engine, world.headers("coordinator")
    name = make_url(str(engine.url)).database
    with engine.connect() as admin:  # for the connections opened from now on
        admin.exec_driver_sql(f'ALTER DATABASE "{name}" SET lock_timeout = 300')
        admin.commit()
    engine.dispose()
    body = {"name": "Given up", "unit": "unit"}
    taken, release = threading.Event(), threading.Event()
    try:
        with held(threading.Thread(target=_table_locked, args=(world, taken, release)), release):
            assert taken.wait(10)
            with make_client(world.database) as served:  # its lifespan: asyncpg on the loop
                on_loop = served.post("/api/v1/capabilities", json=body, headers=headers)
            in_pool = make_client(world.database).post(
                "/api/v1/capabilities", json=body, headers=headers
            )
    finally:
        with engine.connect() as admin:
            admin.exec_driver_sql(f'ALTER DATABASE "{name}" RESET lock_timeout')
            admin.commit()
        engine.dispose()
    for answer in (on_loop, in_pool):
        assert (answer.status_code, answer.headers.get("Retry-After")) == (503, "1"), answer.text


def test_serving_ends_with_the_loop_engine_closed(world: World):
    """The asyncpg connections belong to the loop they were opened on: closed when the app's
    lifespan ends, and a later lifespan on another loop opens its own."""
    for _ in range(2):
        with make_client(world.database) as client:
            headers = world.headers("coordinator")
            assert client.get("/api/v1/capabilities", headers=headers).status_code == 200
            assert len(world.database._loops) == (0 if world.database.embedded else 1)
        assert world.database._loops == {}
