"""The per-request view of a page: who is looking, in which language, and how to render.

Routes take a :class:`Page` (a FastAPI dependency) and hand its ``actor`` to the services, which
decide what that actor may see; anonymous visitors act as the ``public`` role.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from kuznia.db.failures import RETRY_AFTER_BUSY, report_failure
from kuznia.errors import Forbidden, InvalidInput, KuzniaError, NotFound, Unauthorized
from kuznia.services.contracting.inbox import total_waiting
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.planning.views import PlannedScenario
from kuznia.web.i18n import LANGUAGES, negotiate
from kuznia.web.navigation import N_, ROLE_LABELS, NavItem, navigation
from kuznia.web.security import LANGUAGE_COOKIE, csrf_token, set_csrf
from kuznia.web.signin import actor_from_request
from kuznia.web.state import WebState

PUBLIC = Actor(role=Role.PUBLIC, label="public")
log = logging.getLogger(__name__)


class LoginRequired(Exception):
    """The page needs a logged-in user; the visitor is sent to the login form."""


class PlanPending(Exception):
    """No plan is stored yet and the first one is being computed (``job``): the page says so,
    with the job's progress, and refreshes itself."""

    def __init__(self, job: Mapping[str, Any] | None) -> None:
        super().__init__("the first plan is being computed")
        self.job = job


@dataclass
class Page:
    request: Request
    web: WebState
    actor: Actor | None
    lang: str
    plan_job: Mapping[str, Any] | None = None
    """The job computing a newer plan than the one shown, if any (a notice on the page)."""

    @property
    def viewer(self) -> Actor:
        """The actor the services see: the user, or the public when nobody is logged in."""
        return self.actor or PUBLIC

    @property
    def role(self) -> Role:
        return self.viewer.role

    @property
    def role_label(self) -> str:
        return self._(ROLE_LABELS[self.role])

    def _(self, message: str) -> str:
        return self.web.templates.gettext(self.lang)(message)

    def user(self) -> Actor:
        """The logged-in actor, or :class:`LoginRequired`."""
        if self.actor is None:
            raise LoginRequired
        return self.actor

    def require(self, *roles: Role) -> Actor:
        actor = self.user()
        if actor.role not in roles:
            raise Forbidden(self._("Your role may not open this page."))
        return actor

    def current_plan(self, session: Session) -> PlannedScenario:
        """The plan to show: the current one, or while it is computed in the background the
        last stored one (``plan_job`` then says so on the page), or :class:`PlanPending`."""
        current = self.web.plans.current(session, self.web.database)
        if current.planned is None:
            raise PlanPending(current.job)
        self.plan_job = None if current.up_to_date else current.job
        return current.planned

    @property
    def is_htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    def nav(self) -> list[NavItem]:
        return navigation(self.actor, self.request.url.path, self.waiting())

    def waiting(self) -> int | None:
        """How many things wait for the user (the inbox's count; one query per kind)."""
        if self.actor is None:
            return None
        with self.web.database.reading() as session:
            return total_waiting(self.web.inbox.counts(session, self.actor))

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        base = {
            "page": self,
            "lang": self.lang,
            "languages": LANGUAGES,
            "csrf": csrf_token(self.request),
            "path": self.request.url.path,
            "query": self.request.url.query,
        }
        html = self.web.templates.render(self.lang, template, {**base, **context})
        response = HTMLResponse(html, status_code=status_code)
        set_csrf(self.request, response, secure=self.web.secure_cookies)
        response.headers["Content-Language"] = self.lang
        response.headers["Vary"] = "Cookie, Accept-Language"
        return response


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def page(request: Request) -> Page:
    web = web_state(request)
    lang = negotiate(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))
    return Page(request, web, actor_from_request(web.database, request), lang)


STATUS = {Unauthorized: 401, Forbidden: 403, NotFound: 404, InvalidInput: 422}


def error_page(request: Request, exc: Exception) -> Response:
    """Domain errors as a page in the user's language; a missing login as a redirect."""
    if isinstance(exc, PlanPending):
        job = exc.job or {}
        failure = job.get("error") if job.get("status") == "failed" else None
        response = page(request).render("pending.html", job=job, failure=failure)
        if failure is None:
            response.headers["Retry-After"] = "3"  # the page refreshes itself too
        return response
    if isinstance(exc, LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    current = page(request)
    status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 409)
    message = exc.message if isinstance(exc, KuzniaError) else str(exc)
    return current.render("error.html", status_code=status, status=status, message=message)


FAILED = N_("The server failed to show this page. The error is logged; try again in a moment.")
BUSY = N_("The database is busy with other changes; try again in a moment.")
PLAIN_FAILURE = "<!doctype html><title>kuznia</title><h1>Something went wrong</h1><p>{}</p>"


def failure_page(request: Request, exc: Exception) -> Response:
    """An unexpected failure as a page (500, or 503 when the database was only busy): what
    went wrong is logged with where it happened, never its message; the page says neither."""
    busy = report_failure(log, request.method, request.url.path, exc)
    status = 503 if busy else 500
    try:
        current = page(request)
        message = current._(BUSY if busy else FAILED)
        response = current.render("error.html", status_code=status, status=status, message=message)
    except Exception:  # the page itself failed (the database is down?)
        response = HTMLResponse(PLAIN_FAILURE.format(BUSY if busy else FAILED), status)
    if busy:
        response.headers["Retry-After"] = str(RETRY_AFTER_BUSY)
    return response


class WebRoute(APIRoute):
    """A route whose domain errors become pages instead of the API's problem documents, and
    whose unexpected failures a page in the user's language, not a problem document."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except (KuzniaError, LoginRequired, PlanPending) as exc:
                return error_page(request, exc)
            except (HTTPException, RequestValidationError):
                raise
            except Exception as exc:  # a page for the person, the log for us
                return failure_page(request, exc)

        return run
