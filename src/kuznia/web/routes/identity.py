"""Logging in and out, and choosing the language."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, Query, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from kuznia.errors import Unauthorized
from kuznia.services.identity.throttle import Throttled
from kuznia.web.i18n import LANGUAGE_CODES
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import LANGUAGE_COOKIE, YEAR, check_csrf
from kuznia.web.signin import sign_in, sign_out

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]


def safe_next(target: str | None) -> str:
    """Only paths on this site: never an absolute URL another site could slip in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/language/{code}")
def choose_language(
    code: str, current: CurrentPage, next_: Annotated[str | None, Query(alias="next")] = None
) -> RedirectResponse:
    response = RedirectResponse(safe_next(next_), status_code=303)
    if code in LANGUAGE_CODES:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=YEAR, samesite="lax", path="/",
            secure=current.web.secure_cookies,
        )  # fmt: skip
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(
    current: CurrentPage, next_: Annotated[str | None, Query(alias="next")] = None
) -> HTMLResponse:
    return current.render(
        "login.html", title=current._("Log in"), next=safe_next(next_), email="", error=None
    )


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def login(
    current: CurrentPage,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next_: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    response = RedirectResponse(safe_next(next_), status_code=303)
    client = current.request.client.host if current.request.client else "unknown"
    try:
        signed = sign_in(current.web.database, response, email, password, client=client,
                         secure=current.web.secure_cookies, policy=current.web.policy)  # fmt: skip
    except Unauthorized:
        error = current._("Wrong email or password.")
    except Throttled:
        error = current._("Too many failed logins. Wait a few minutes and try again.")
    else:
        if signed.password_change_required:  # a one-time password: choose one's own first
            target = "/account/password?" + urlencode({"first": "1", "next": safe_next(next_)})
            response.headers["location"] = target
        return response
    return current.render(
        "login.html", status_code=401, title=current._("Log in"), next=safe_next(next_),
        email=email, error=error,
    )  # fmt: skip


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(current: CurrentPage) -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    sign_out(current.web.database, current.request, response)
    return response
