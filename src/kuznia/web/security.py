"""Cookies of the web app and protection of its forms against cross-site requests.

Forms use a double-submit token: a random value in a ``SameSite=Strict`` cookie that every form
(field ``csrf_token``) and every htmx request (header ``X-CSRF-Token``) repeats. A page from another
site can neither read the cookie nor send it, so it cannot forge a matching pair. The names are
the API's (``api.deps`` accepts the same pair), so a page may also call the API with them.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

from kuznia.errors import Forbidden

CSRF_COOKIE = "kuznia_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LANGUAGE_COOKIE = "kuznia_lang"
YEAR = 365 * 24 * 3600


def csrf_token(request: Request) -> str:
    """The request's token: the cookie's value, or a new one that :func:`set_csrf` will store."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) < 32:
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def set_csrf(request: Request, response: Response, *, secure: bool) -> None:
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(
            CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/"
        )


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request whose token does not repeat the cookie's."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not cookie or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise Forbidden("the form expired or came from another site; reload the page and retry")
