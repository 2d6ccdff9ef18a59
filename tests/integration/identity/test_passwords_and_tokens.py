"""A one-time password must be changed after the first login."""

from __future__ import annotations

import pytest

from kuznia.errors import InvalidInput
from kuznia.services.identity import sessions, users
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database

POLICY = sessions.SessionPolicy()


def _user(database: Database, *, one_time: bool) -> None:
    with database.unit_of_work(Actor.system("test")) as uow:
        ministry = users.ensure_ministry(uow)
        users.create_user(uow, organisation_id=ministry.id, email="olena@test.kuznia",
                          name="Olena", password="first-password-1", one_time=one_time)  # fmt: skip


def _log_in(database: Database, password: str) -> sessions.LoggedIn:
    return sessions.log_in(database, "olena@test.kuznia", password, client="t", policy=POLICY)


def test_a_user_given_a_password_must_change_it_and_then_need_not(database: Database) -> None:
    _user(database, one_time=True)
    first = _log_in(database, "first-password-1")
    assert first.password_change_required
    sessions.change_password(database, first.actor, "first-password-1", "my-own-password-2",
                             client="t", keep=sessions.Credential(first.token),
                             policy=POLICY)  # fmt: skip
    assert not _log_in(database, "my-own-password-2").password_change_required


def test_a_coordinator_who_chose_their_password_is_not_asked_to_change_it(
    database: Database,
) -> None:
    _user(database, one_time=False)
    assert not _log_in(database, "first-password-1").password_change_required


@pytest.mark.parametrize(
    ("new", "field"), [("short", "new_password"), ("first-password-1", "new_password")]
)
def test_a_short_or_unchanged_password_is_refused_naming_the_field(
    database: Database, new: str, field: str
) -> None:
    _user(database, one_time=True)
    first = _log_in(database, "first-password-1")
    with pytest.raises(InvalidInput) as refused:
        sessions.change_password(database, first.actor, "first-password-1", new, client="t",
                                 keep=sessions.Credential(first.token), policy=POLICY)  # fmt: skip
    assert [p.path for p in refused.value.problems] == [field]
