"""``Idempotency-Key`` on creating requests: a retry replays the first answer, creating nothing.

The first successful answer is stored with the key (per user) in the same transaction as what
it created, so either both are committed or neither. A retry with the same key and the same
request gets that answer again, marked ``Idempotent-Replayed: true``; the same key with a
different request is refused (422). Failed requests store nothing and may be retried. Keys are
remembered for 24 hours. Concurrent duplicates: on SQLite the second
waits for the write lock and then finds the first's answer; on PostgreSQL its insert of the key
waits for the first to commit, fails on the key, and the answer is replayed then.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from kuznia.db.kernel import IdempotencyRecord
from kuznia.errors import InvalidInput
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.commit_sequence import begin_write
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.integrity import is_integrity_error
from kuznia.services.kernel.unit_of_work import UnitOfWork

KEPT_FOR = timedelta(hours=24)
REPLAYED = "Idempotent-Replayed"


@dataclass(frozen=True)
class Created:
    """What a creating use case answers: status, body (its response model), headers (Location,
    ETag). The body is written to JSON once, by its model (Pydantic's core), for the answer and
    for the stored replay alike."""

    body: BaseModel
    status: int = 201
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        return _json_response(self.body.model_dump_json(), self.status, self.headers)


def _json_response(content: str, status: int, headers: dict[str, str]) -> Response:
    return Response(content, status, headers, media_type="application/json")


Fingerprint = Callable[[], str]
"""The request's fingerprint, computed only when the request carries an Idempotency-Key."""


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(jsonable_encoder(body), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def _principal(actor: Actor) -> str:
    return (actor.user_id or actor.name)[:100]


def _fresh(record: IdempotencyRecord | None) -> IdempotencyRecord | None:
    if record is None:
        return None
    created = record.created_at
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    return record if datetime.now(UTC) - created < KEPT_FOR else None


def _replay(record: IdempotencyRecord, print_: str) -> Response:
    if record.fingerprint != print_:
        raise InvalidInput.single(
            "Idempotency-Key", "this key was used for a different request; use a new key"
        )
    response = _json_response(record.body, record.status_code, dict(record.headers))
    response.headers[REPLAYED] = "true"
    return response


def _stored(session: Session, actor: Actor, key: str) -> IdempotencyRecord | None:
    return _fresh(session.get(IdempotencyRecord, (_principal(actor), key)))


def _create_once(
    database: Database, actor: Actor, key: str, print_: str, create: Callable[[UnitOfWork], Created]
) -> Response:
    with database.unit_of_work(actor) as uow:
        begin_write(uow)
        found = _stored(uow.session, actor, key)
        if found is not None:
            return _replay(found, print_)
        created = create(uow)
        answer = created.response()
        # Remove only an expired record of this key. A fresh one committed meanwhile by a
        # concurrent retry must stay, so that our insert fails on the key and replays it.
        uow.session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.principal == _principal(actor),
                IdempotencyRecord.key == key,
                IdempotencyRecord.created_at < datetime.now(UTC) - KEPT_FOR,
            )
        )
        uow.session.add(
            IdempotencyRecord(
                principal=_principal(actor),
                key=key,
                fingerprint=print_,
                status_code=created.status,
                body=bytes(answer.body).decode(),
                headers=created.headers,
                created_at=datetime.now(UTC),
            )
        )
        uow.session.flush()
    return answer


def run_create(
    database: Database,
    actor: Actor,
    key: str | None,
    request_print: Fingerprint,
    create: Callable[[UnitOfWork], Created],
) -> Response:
    """Run ``create`` in a unit of work, once per ``key`` (when one is given)."""
    if key is None:
        with database.unit_of_work(actor) as uow:
            created = create(uow)
        return created.response()
    print_ = request_print()
    with database.reading() as session:
        found = _stored(session, actor, key)
        if found is not None:
            return _replay(found, print_)
    try:
        return _create_once(database, actor, key, print_, create)
    except DBAPIError as exc:  # a concurrent request with the same key committed first?
        if not is_integrity_error(exc):
            raise
        with database.reading() as session:
            found = _stored(session, actor, key)
            if found is None:
                raise
            return _replay(found, print_)
