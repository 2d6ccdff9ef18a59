"""Logging in and out, who am I, and personal API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Request, Response
from pydantic import BaseModel, ConfigDict, Field

from kuznia.api.deps import (
    SESSION_COOKIE,
    CurrentActor,
    api_state,
    client_address,
    credential_of,
    database,
)
from kuznia.services.identity import sessions
from kuznia.services.kernel.actors import Actor
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["identity"])


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(_Strict):
    email: Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^\x00-\x1f\x7f]*$")]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class Me(BaseModel):
    user_id: str | None
    email: str
    role: str
    organisation_id: str | None
    partner_id: str | None
    company_id: str | None


class LoginAnswer(Me):
    csrf_token: str = Field(description="send as X-CSRF-Token on changes made with the cookie")
    expires_at: datetime
    password_change_required: bool = Field(
        description="the password was given (one-time): change it (POST /api/v1/me/password) "
        "before working; the web sends such a user to the password page"
    )


class PasswordChange(_Strict):
    current_password: Annotated[str, Field(min_length=1, max_length=1000)]
    new_password: Annotated[str, Field(min_length=12, max_length=1000)]


class TokenRequest(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")]
    expires_in_days: Annotated[int, Field(ge=1, le=365)] = 90


class Token(BaseModel):
    id: str
    name: str
    user_id: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class NewToken(Token):
    token: str = Field(description="the token itself: shown this once, store it now")


def _me(actor: Actor) -> dict[str, Any]:
    return {
        "user_id": actor.user_id,
        "email": actor.label,
        "role": actor.role.value,
        "organisation_id": actor.organisation_id,
        "partner_id": actor.partner_id,
        "company_id": actor.company_id,
    }


@router.post("/session", response_model=LoginAnswer, operation_id="log_in")
def log_in(body: LoginRequest, request: Request, response: Response) -> Any:
    """Log in with email and password: sets the session cookie, returns the CSRF token."""
    state = api_state(request)
    client = client_address(request)
    result = sessions.log_in(
        state.database, body.email, body.password, client=client, policy=state.policy
    )
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        max_age=state.policy.session_hours * 3600,
        httponly=True,
        secure=state.secure_cookies,
        samesite="strict",
        path="/",
    )
    return {
        **_me(result.actor),
        "csrf_token": state.csrf_token(result.token),
        "expires_at": result.expires_at,
        "password_change_required": result.password_change_required,
    }


@router.delete("/session", status_code=204, response_class=Response, operation_id="log_out")
def log_out(request: Request, _actor: CurrentActor) -> Response:
    """End the browser session."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        sessions.log_out(database(request), token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", response_model=Me, operation_id="who_am_i")
def who_am_i(actor: CurrentActor) -> Any:
    return _me(actor)


@router.post(
    "/me/password", status_code=204, response_class=Response, operation_id="change_password"
)
def change_my_password(body: PasswordChange, request: Request, actor: CurrentActor) -> Response:
    """Change your password (throttled like a login). Every other session and API token of
    yours ends; the one this request was made with stays."""
    state = api_state(request)
    sessions.change_password(
        state.database,
        actor,
        body.current_password,
        body.new_password,
        client=client_address(request),
        keep=credential_of(request),
        policy=state.policy,
    )
    return Response(status_code=204)


@router.get("/tokens", response_model=list[Token], operation_id="list_tokens")
def list_tokens(request: Request, actor: CurrentActor) -> Any:
    """Your API tokens (never the tokens themselves)."""
    with database(request).reading() as session:
        return sessions.list_tokens(session, actor)


@router.post("/tokens", response_model=NewToken, status_code=201, operation_id="create_token")
def create_token(body: TokenRequest, request: Request, actor: CurrentActor) -> Any:
    """A new personal API token; the answer holds it this once (only its digest is stored)."""
    state = api_state(request)
    with state.database.unit_of_work(actor) as uow:
        doc, plain = sessions.issue_token(uow, body.name, body.expires_in_days, state.policy)
    return {**doc, "token": plain}


@router.delete("/tokens/{token_id}", response_model=Token, operation_id="revoke_token")
def revoke_token(token_id: str, request: Request, actor: CurrentActor) -> Any:
    """Revoke one of your tokens at once."""
    with database(request).unit_of_work(actor) as uow:
        return sessions.revoke_token(uow, token_id)
