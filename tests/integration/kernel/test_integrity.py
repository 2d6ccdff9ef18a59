"""Create conflicts that reveal nothing (issue 18, finding 8 for creates): a clash on an id says
the same whoever holds the record, and never names the stored record."""

from __future__ import annotations

import pytest

from kuznia.db import registries as db
from kuznia.errors import Conflict
from kuznia.services.kernel.integrity import (
    ID_NOT_AVAILABLE,
    flush_or_conflict,
    insert_new,
    refuse_taken_id,
)


def _company(database, company_id: str) -> None:
    with database.transaction() as session:
        session.add(db.Company(id=company_id, version=1, name="Hidden Works", country="UA"))


def test_a_concurrent_duplicate_create_answers_that_the_id_is_not_available(database):
    _company(database, "co-hidden")
    with database.transaction() as session:
        session.add(db.Company(id="co-hidden", version=1, name="Probe", country="UA"))
        with pytest.raises(Conflict) as caught:
            flush_or_conflict(session, "the new company 'co-hidden'", creating=True)
        session.rollback()
    assert caught.value.message == ID_NOT_AVAILABLE
    assert "exists" not in caught.value.message
    assert "Hidden" not in caught.value.message


def test_a_taken_id_is_refused_with_the_same_answer(database):
    _company(database, "co-hidden")
    with database.transaction() as session:
        with pytest.raises(Conflict) as caught:
            refuse_taken_id(session, db.Company, "co-hidden")
        refuse_taken_id(session, db.Company, "co-free")  # a free id passes
    assert caught.value.message == ID_NOT_AVAILABLE


def _works(company_id: str, name: str) -> dict[str, object]:
    return {"id": company_id, "version": 1, "name": name, "country": "UA"}


def test_a_new_row_inserted_directly_answers_as_stored_or_that_the_id_is_not_available(database):
    """``insert_new``, the registry create's INSERT: the row comes back as a read gives it (the
    defaults filled in, every column by name), and a duplicate id gets the same answer as a
    flush, with nothing written."""
    _company(database, "co-hidden")
    with database.transaction() as session:
        stored = insert_new(session, db.Company, _works("co-new", "New Works"))
        assert list(stored) == [c.name for c in db.Company.__table__.columns]
        assert stored["name"] == "New Works"
        read = session.get(db.Company, "co-new")
        assert read is not None
        assert read.created_at == stored["created_at"]
    with database.transaction() as session:
        with pytest.raises(Conflict) as caught:
            insert_new(session, db.Company, _works("co-hidden", "Probe"))
        session.rollback()
    assert caught.value.message == ID_NOT_AVAILABLE
    with database.reading() as session:
        assert session.get(db.Company, "co-hidden").name == "Hidden Works"
