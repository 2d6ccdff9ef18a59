"""One's own account: changing the password (a one-time one first of all) and API tokens, all
through ``services.identity.sessions`` as the API does it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuznia.errors import InvalidInput, NotFound
from kuznia.services.identity import sessions
from kuznia.services.identity.throttle import Throttled
from kuznia.web.navigation import N_
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routes.identity import safe_next
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf
from kuznia.web.signin import SESSION_COOKIE

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
Text = Annotated[str, Form(max_length=1000)]

PASSWORD_MESSAGES = {
    "not your current password": N_("This is not your current password."),
    "choose a password other than the current one": N_(
        "Choose a password other than the current one."
    ),
}
TOKEN_DAYS = (30, 90, 180, 365)
TOKEN_PAGE_DEFAULTS: dict[str, Any] = {
    "errors": {}, "new_token": None, "name": "", "chosen_days": 90, "revoked": None,
}  # fmt: skip


@router.get("/account", response_class=HTMLResponse)
def account(current: CurrentPage) -> Response:
    current.user()
    return RedirectResponse("/account/password", status_code=303)


def _password_page(
    current: Page, errors: dict[str, str], *, first: bool, next_: str, status: int = 200
) -> HTMLResponse:
    labels = {
        "current_password": current._("Current password"),
        "new_password": current._("New password"),
        "repeat_password": current._("New password again"),
    }
    return current.render(
        "account_password.html",
        status_code=status,
        title=current._("Change your password"),
        first=first,
        next=next_,
        errors=errors,
        summary=[(k, labels[k], v) for k, v in errors.items() if k in labels],
        general=errors.get(""),
        minimum=sessions.MIN_PASSWORD,
        done=current.request.query_params.get("done") == "1",
    )


@router.get("/account/password", response_class=HTMLResponse)
def password_form(
    current: CurrentPage,
    first: Annotated[str, Query()] = "",
    next_: Annotated[str | None, Query(alias="next")] = None,
) -> HTMLResponse:
    current.user()
    return _password_page(current, {}, first=first == "1", next_=safe_next(next_))


def _form_problems(current: Page, old: str, new: str, repeat: str) -> dict[str, str]:
    """What the form itself can tell, all at once (the service checks the rest)."""
    errors: dict[str, str] = {}
    if not old:
        errors["current_password"] = current._("Enter your current password.")
    if not sessions.MIN_PASSWORD <= len(new) <= sessions.MAX_PASSWORD:
        errors["new_password"] = current._("Choose a password of at least %(n)s characters.") % {
            "n": sessions.MIN_PASSWORD
        }
    if new != repeat:
        errors["repeat_password"] = current._("The two new passwords differ.")
    return errors


@router.post("/account/password", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def change_password(
    current: CurrentPage,
    current_password: Text = "",
    new_password: Text = "",
    repeat_password: Text = "",
    first: Annotated[str, Form()] = "",
    next_: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    actor = current.user()
    errors = _form_problems(current, current_password, new_password, repeat_password)
    if not errors:
        client = current.request.client.host if current.request.client else "unknown"
        keep = sessions.Credential(session_token=current.request.cookies.get(SESSION_COOKIE))
        try:
            sessions.change_password(current.web.database, actor, current_password,
                                     new_password, client=client, keep=keep,
                                     policy=current.web.policy)  # fmt: skip
        except InvalidInput as exc:
            errors = {p.path: current._(PASSWORD_MESSAGES.get(p.message, p.message))
                      for p in exc.problems}  # fmt: skip
        except Throttled:
            errors = {"": current._("Too many failed attempts. Wait a few minutes and retry.")}
    if errors:
        return _password_page(current, errors, first=first == "1", next_=safe_next(next_),
                              status=422)  # fmt: skip
    target = safe_next(next_) if first == "1" else "/account/password?done=1"
    return RedirectResponse(target, status_code=303)


def _tokens_page(current: Page, status: int = 200, **extra: Any) -> HTMLResponse:
    with current.web.database.reading() as session:
        tokens = sessions.list_tokens(session, current.user())
    response = current.render(
        "account_tokens.html",
        status_code=status,
        title=current._("API tokens"),
        tokens=tokens,
        days=TOKEN_DAYS,
        **{**TOKEN_PAGE_DEFAULTS, **extra},
    )
    response.headers["Cache-Control"] = "no-store"  # a new token is shown this once
    return response


@router.get("/account/tokens", response_class=HTMLResponse)
def tokens(current: CurrentPage) -> HTMLResponse:
    return _tokens_page(current, revoked=current.request.query_params.get("revoked"))


@router.post("/account/tokens", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def create_token(
    current: CurrentPage,
    name: Annotated[str, Form(max_length=200)] = "",
    days: Annotated[str, Form()] = "90",
) -> HTMLResponse:
    actor = current.user()
    chosen = int(days) if days.isdigit() and int(days) in TOKEN_DAYS else 90
    text = name.strip()
    errors: dict[str, str] = {}
    if not text or len(text) > 100 or "\x00" in text:
        errors["name"] = current._("Name the token (at most 100 characters), e.g. the script.")
    if not errors and _live_token_named(current, text):
        # one live token per name on this page: a form sent twice makes one token
        errors["name"] = current._(
            "You have a live token of this name: revoke it or choose another name."
        )
    if not errors:
        with current.web.database.unit_of_work(actor) as uow:
            doc, plain = sessions.issue_token(uow, text, chosen, current.web.policy)
    if errors:
        return _tokens_page(current, 422, errors=errors, name=name, chosen_days=chosen)
    return _tokens_page(current, 201, new_token={**doc, "token": plain})


def _live_token_named(current: Page, name: str) -> bool:
    with current.web.database.reading() as session:
        tokens = sessions.list_tokens(session, current.user())
    now = sessions.now()
    return any(t["name"] == name and t["revoked_at"] is None and t["expires_at"] > now
               for t in tokens)  # fmt: skip


@router.post(
    "/account/tokens/{token_id}/revoke",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
def revoke_token(token_id: str, current: CurrentPage) -> Response:
    actor = current.user()
    with current.web.database.reading() as session:
        mine = {t["id"] for t in sessions.list_tokens(session, actor)}
    if token_id not in mine:  # the page revokes one's own tokens only
        raise NotFound(current._("There is no such token."))
    with current.web.database.unit_of_work(actor) as uow:
        sessions.revoke_token(uow, token_id)
    return RedirectResponse(f"/account/tokens?revoked={token_id}", status_code=303)
