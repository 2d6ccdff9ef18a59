"""What the contract, money and delivery routes share: the prefix and idempotent creation."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from kuznia.api.deps import database
from kuznia.api.idempotency import Created, fingerprint, run_create
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.unit_of_work import UnitOfWork

PREFIX = "/api/v1"


def created(
    request: Request,
    actor: Actor,
    key: str | None,
    body: BaseModel,
    create: Callable[[UnitOfWork], Created],
) -> Response:
    """Run ``create`` once per Idempotency-Key (replayed answers for the same request)."""
    print_ = partial(fingerprint, "POST", request.url.path, body.model_dump(mode="json"))
    return run_create(database(request), actor, key, print_, create)
