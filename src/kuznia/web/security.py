"""Cookies of the web app and protection of its forms against cross-site requests.

Every form (field ``csrf_token``) and every htmx request (header ``X-CSRF-Token``) carries a
token that only this server can make:

* signed in: the session's own CSRF token, an HMAC of the session cookie under the server's
  secret key (the one the API checks, so a page may call the API with it). A cookie planted by
  another site or a subdomain cannot produce it, and it dies with the session;
* not signed in (the login form): a random nonce with its HMAC in a ``SameSite=Strict`` cookie
  (``kuznia_csrf``) that the form repeats; a planted cookie of any other shape is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from kuznia.errors import Forbidden
from kuznia.services.identity.sessions import csrf_token as session_csrf_token
from kuznia.web.signin import SESSION_COOKIE
from kuznia.web.state import WebState

CSRF_COOKIE = "kuznia_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LANGUAGE_COOKIE = "kuznia_lang"
YEAR = 365 * 24 * 3600


def _secret(request: Request) -> str:
    web: WebState = request.app.state.web
    return web.settings.secret_key.get_secret_value()


def _signed(secret: str, nonce: str) -> str:
    mac = hmac.new(secret.encode(), b"pre-session-csrf:" + nonce.encode(), hashlib.sha256)
    return f"{nonce}.{mac.hexdigest()}"


def _valid_pre_session(secret: str, token: str) -> bool:
    nonce, dot, _mac = token.partition(".")
    return bool(dot and nonce) and hmac.compare_digest(_signed(secret, nonce), token)


def csrf_token(request: Request) -> str:
    """The token the request's pages must repeat (a new pre-session one is stored by
    :func:`set_csrf`)."""
    secret = _secret(request)
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return session_csrf_token(secret, session)
    token = request.cookies.get(CSRF_COOKIE, "")
    if not _valid_pre_session(secret, token):
        token = getattr(request.state, "new_csrf", None) or _signed(
            secret, secrets.token_urlsafe(24)
        )
        request.state.new_csrf = token
    return token


def set_csrf(request: Request, response: Response, *, secure: bool) -> None:
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(
            CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/"
        )


def _expected(request: Request) -> str | None:
    secret = _secret(request)
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return session_csrf_token(secret, session)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return cookie if _valid_pre_session(secret, cookie) else None


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request without this server's token for this session."""
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        sent = value if isinstance(value, str) else ""
    expected = _expected(request)
    if expected is None or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise Forbidden("the form expired or came from another site; reload the page and retry")
