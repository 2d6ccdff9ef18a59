"""Logging in and out of the web app through the identity service's browser sessions.

The cookie holds the session token of ``services.sessions`` (only its digest is stored); it is
``HttpOnly`` and ``SameSite=Strict`` (as the API sets it), and ``Secure`` in production.
"""

from __future__ import annotations

from fastapi import Request, Response

from kuznia.services.identity import sessions
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database

SESSION_COOKIE = "kuznia_session"


def actor_from_request(database: Database, request: Request) -> Actor | None:
    """The actor of the request's session cookie, or None (a public visitor)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with database.reading() as session:
        actor = sessions.actor_from_session(session, token)
    if actor is not None:
        request.state.user_id = actor.user_id  # for the access log
    return actor


def sign_in(
    database: Database, response: Response, email: str, password: str, *, client: str,
    secure: bool, policy: sessions.SessionPolicy,
) -> sessions.LoggedIn:  # fmt: skip
    """Check the password (throttled by the service), open a session, set its cookie."""
    logged_in = sessions.log_in(database, email, password, client=client, policy=policy)
    response.set_cookie(
        SESSION_COOKIE, logged_in.token, max_age=policy.session_hours * 3600,
        httponly=True, samesite="strict", secure=secure, path="/",
    )  # fmt: skip
    return logged_in


def sign_out(database: Database, request: Request, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        sessions.log_out(database, token)
    response.delete_cookie(SESSION_COOKIE, path="/")
