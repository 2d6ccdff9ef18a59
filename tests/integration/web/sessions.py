"""A coordinator of a new ministry and its session token, for web tests that start from an
empty database (the demo's logins are not there)."""

from __future__ import annotations

from kuznia.services.identity import users
from kuznia.services.identity.sessions import SessionPolicy, log_in
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database

PASSWORD = "a long test password 1"


def coordinator_token(database: Database) -> str:
    """Create the ministry ``org-c`` and its coordinator ``c@test.kuznia``; log in as it."""
    with database.unit_of_work(Actor.system("test")) as uow:
        users.create_organisation(uow, name="Ministry", kind="ministry", organisation_id="org-c")
        users.create_user(uow, organisation_id="org-c", email="c@test.kuznia", name="c",
                          password=PASSWORD)  # fmt: skip
    return log_in(database, "c@test.kuznia", PASSWORD, client="t", policy=SessionPolicy()).token
