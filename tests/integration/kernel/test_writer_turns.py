"""SQLite: a process's writers take turns before SQLite's write lock, holding no connection while
they wait; every one is served, none waits in SQLite's busy handler (``Database._writer_turn``)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from kuznia.db import registries as db
from kuznia.services.kernel.actors import Actor
from kuznia.services.wiring import database_at


def test_writers_take_turns_holding_no_connection_while_they_wait(tmp_path: Path) -> None:
    database = database_at(f"sqlite:///{tmp_path / 'turns.sqlite3'}")
    database.upgrade()
    inside, most, checked_out = [0], [0], []
    count = threading.Lock()

    def write(i: int) -> None:
        with database.unit_of_work(Actor.system("test")) as uow:
            with count:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                checked_out.append(database.engine.pool.checkedout())  # type: ignore[attr-defined]
            uow.session.add(db.Company(id=f"co-{i}", version=1, name=f"Works {i}", country="UA"))
            time.sleep(0.01)
            with count:
                inside[0] -= 1

    threads = [threading.Thread(target=write, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(db.Company)) == 12
    assert most[0] == 1
    assert max(checked_out) == 1  # the waiting writers held none
    database.dispose()


def test_a_writer_inside_a_writer_of_the_same_thread_is_not_stopped_by_its_turn(
    tmp_path: Path,
) -> None:
    database = database_at(f"sqlite:///{tmp_path / 'nested.sqlite3'}")
    database.upgrade()
    with database.transaction():
        assert database._writers is not None
        assert database._writers.acquire(timeout=0.1)  # the turn is the thread's own
        database._writers.release()
    database.dispose()
