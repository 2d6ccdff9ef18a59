"""The one place where errors become HTTP responses: RFC 9457 ``application/problem+json``.

Domain errors (``kuznia.errors``) map to a status by class; request validation errors name
each offending field and never echo the value sent (it could be a password or a site's
location); anything unexpected is a 500 that says nothing about its cause (the cause goes to the
server log, without the request body).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from kuznia.db.failures import RETRY_AFTER_BUSY, report_failure
from kuznia.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    KuzniaError,
    NotFound,
    PreconditionFailed,
    Unauthorized,
)
from kuznia.scenario.io import json_path
from kuznia.services.identity.throttle import Throttled
from kuznia.transparency.errors import VerificationFailed

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("kuznia.api")


class PreconditionRequired(PreconditionFailed):
    """A change was sent without ``If-Match``: read the record first, then send its ETag."""

    title = "Precondition required"


class PayloadTooLarge(KuzniaError):
    title = "Payload too large"


STATUS: Sequence[tuple[type[KuzniaError], int]] = (
    (InvalidInput, 422),
    (NotFound, 404),
    (Unauthorized, 401),
    (Forbidden, 403),
    (Conflict, 409),
    # No route takes a note or proof from the client: what fails to verify is stored (a
    # checkpoint whose signature the log's key does not verify), so it conflicts with the store.
    (VerificationFailed, 409),
    (PreconditionRequired, 428),
    (PreconditionFailed, 412),
    (Throttled, 429),
    (PayloadTooLarge, 413),
)


class FieldProblem(BaseModel):
    field: str = Field(description="where: a JSON path such as body.company_id or query.limit")
    detail: str


class Problem(BaseModel):
    """An error (RFC 9457)."""

    type: str = Field(description="a URI naming the kind of problem")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldProblem] = Field(default_factory=list)


def status_of(exc: KuzniaError) -> int:
    for kind, status in STATUS:
        if isinstance(exc, kind):
            return status
    return 400


def _slug(title: str) -> str:
    return "urn:kuznia:problem:" + title.lower().replace(" ", "-")


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: Sequence[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": _slug(title),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "errors": list(errors),
    }
    return JSONResponse(body, status, dict(headers or {}), media_type=PROBLEM_MEDIA_TYPE)


def domain_problem(exc: KuzniaError, instance: str | None = None) -> JSONResponse:
    status = status_of(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="kuznia"'
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(exc.retry_after)
    errors = []
    detail = exc.message
    if isinstance(exc, InvalidInput):
        errors = [{"field": p.path, "detail": p.message} for p in exc.problems]
        detail = detail.split(":\n", 1)[0]
    elif ": " in detail and detail.split(": ", 1)[0].isidentifier():
        errors = [{"field": detail.split(": ", 1)[0], "detail": detail.split(": ", 1)[1]}]
    return problem_response(
        status, exc.title, detail, instance=instance, errors=errors, headers=headers
    )


def _field(loc: Sequence[int | str]) -> str:
    return json_path([str(p) if not isinstance(p, int) else p for p in loc])


def _validation_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _field(e.get("loc", ())), "detail": _validation_message(e)} for e in exc.errors()
    ]
    summary = ", ".join(sorted({e["field"] for e in errors})) or "the request"
    return problem_response(
        422, "Invalid input", f"check {summary}", instance=request.url.path, errors=errors
    )


async def _on_domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KuzniaError)
    return domain_problem(exc, request.url.path)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    title = {400: "Bad request", 404: "Not found", 405: "Method not allowed"}.get(
        exc.status_code, "Error"
    )
    return problem_response(
        exc.status_code,
        title,
        str(exc.detail),
        instance=request.url.path,
        headers=getattr(exc, "headers", None),
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    if report_failure(log, request.method, request.url.path, exc):
        return problem_response(
            503,
            "Service unavailable",
            "the database is busy with other writers; retry after a moment",
            instance=request.url.path,
            headers={"Retry-After": str(RETRY_AFTER_BUSY)},
        )
    return problem_response(
        500, "Internal error", "the server failed; the error is logged", instance=request.url.path
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(KuzniaError, _on_domain)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(DBAPIError, _on_unexpected)  # a busy database: 503
    app.add_exception_handler(Exception, _on_unexpected)


def _documented(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("the request body cannot be parsed (not JSON, or not a form)"),
    401: _documented("not logged in, or the token is unknown, expired or revoked"),
    403: _documented("your role or organisation may not do this"),
    404: _documented("no such record, or not one you may see"),
    409: _documented("conflicts with the records stored"),
    412: _documented("If-Match does not match the record's current ETag"),
    413: _documented("the request body is too large"),
    422: _documented("the input is not valid; errors name each field"),
    428: _documented("send If-Match with the ETag you read"),
    429: _documented("too many failed logins; see Retry-After"),
    503: _documented("the database is busy or unreachable; see Retry-After"),
}
"""Documented on every route, so that clients (and schemathesis) know every answer's shape."""
