"""A reading session never writes: on PostgreSQL (autocommit, where a write would stay) every way
of writing through it is refused, the writers' Core statements (``writing_connection``) as the
ORM's; on SQLite what it wrote is gone with it. Either way the database is left as it was."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.kernel import CommitSequence
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.commit_sequence import commit_seq
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.reading import WriteInReading, writing_connection
from kuznia.services.kernel.unit_of_work import UnitOfWork


def _add_company(session: Session) -> None:
    session.add(db.Company(id="co-read", version=1, name="Read Works", country="UA"))
    session.flush()


def _update_statement(session: Session) -> None:
    session.execute(update(db.Company).values(name="Renamed"))


def _core_statement(session: Session) -> None:
    writing_connection(session).execute(update(db.Company).values(name="Renamed"))


def _commit_sequence(session: Session) -> None:
    commit_seq(UnitOfWork(session, Actor.system("test")))


WRITES: dict[str, Callable[[Session], None]] = {
    "an ORM flush": _add_company,
    "an ORM UPDATE": _update_statement,
    "a Core UPDATE on the writing connection": _core_statement,
    "taking a commit sequence number": _commit_sequence,
}


def _state(database: Database) -> tuple[int, list[str], int | None]:
    with database.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(db.Company)) or 0,
            list(session.scalars(select(db.Company.name))),
            session.scalar(select(CommitSequence.value)),
        )


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_reading_session_writes_nothing(
    database: Database, write: Callable[[Session], None]
) -> None:
    with database.unit_of_work(Actor.system("test")) as uow:
        uow.session.add(db.Company(id="co-kept", version=1, name="Kept Works", country="UA"))
        uow.record("companies", "co-kept", "create", None, {"id": "co-kept"})
    before = _state(database)
    postgres = database.engine.dialect.name == "postgresql"
    if postgres:
        with pytest.raises(WriteInReading), database.reading() as session:
            write(session)
    else:
        with database.reading() as session:
            write(session)
    assert _state(database) == before


def test_a_writer_s_core_statement_comes_after_what_its_use_case_changed(
    database: Database,
) -> None:
    """The rows a use case changed are written (and locked) before the commit sequence's lock is
    taken, as ``session.execute`` would flush them: one lock order for every writer."""
    with database.unit_of_work(Actor.system("test")) as uow:
        uow.session.add(db.Company(id="co-first", version=1, name="First Works", country="UA"))
        writing_connection(uow.session)
        assert not uow.session.new
        uow.record("companies", "co-first", "create", None, {"id": "co-first"})
