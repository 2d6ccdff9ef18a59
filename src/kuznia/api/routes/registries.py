"""Routes of every registry: list, create, get, update (PATCH), delete; a proposal's review.

The routes are generated per registry from its documents (``services/record_schemas.py``) and
call the registry use cases (``services/records.py``), which decide who may do what. This module
evaluates annotations at definition time (no ``from __future__ import annotations``): each
route's parameter types are the generated models of its registry.
"""

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from kuznia.api.deps import (
    CurrentActor,
    IdempotencyKey,
    IfMatch,
    database,
    etag,
    expected_version,
    run_query,
    run_write,
)
from kuznia.api.idempotency import Created, fingerprint, run_create
from kuznia.api.query_parameters import documented, parse_query
from kuznia.money import format_cents
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries import records
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.investment_balance import investment_balance
from kuznia.services.registries.record_schemas import (
    SINGULAR,
    BulkReviewRequest,
    BulkReviewResult,
    ProjectStatusChange,
    ProposalReview,
    record_schemas,
)
from kuznia.services.registries.review import review_in_bulk
from kuznia.web.routing import PathIndexedRouter

PREFIX = "/api/v1"
RecordId = Annotated[str, "the record's id"]


def _add_list(router: APIRouter, entity: str) -> None:
    schemas = record_schemas(entity)
    query_model: Any = schemas.query

    page_model = schemas.page

    async def list_records(request: Request, actor: CurrentActor) -> Any:
        query = parse_query(query_model, request)  # after the actor: a 401 before a 422
        db = database(request)

        def read() -> str:
            with db.reading() as session:
                viewer = Viewer.of(session, actor)
                page = records.list_records(session, viewer, entity, query.model_dump())
            # Checked and written by the page's own model in one pass (Pydantic's core), the
            # bytes FastAPI would send: its response_model path checks, converts, then dumps.
            found = {"items": page.items, "next_cursor": page.next_cursor}
            return page_model.model_validate(found).model_dump_json()

        return Response(await run_query(db, read), media_type="application/json")

    router.add_api_route(
        f"/{entity}",
        list_records,
        methods=["GET"],
        response_model=schemas.page,
        operation_id=f"list_{entity}",
        summary=f"List {entity} (filter, sort, page by cursor)",
        openapi_extra=documented(query_model),
    )


def _add_get(router: APIRouter, entity: str) -> None:
    schemas = record_schemas(entity)

    async def get_record(request: Request, response: Response, actor: CurrentActor, id: str) -> Any:
        db = database(request)

        def read() -> dict[str, Any]:
            with db.reading() as session:
                return records.get_record(session, Viewer.of(session, actor), entity, id)

        doc = await run_query(db, read)
        response.headers["ETag"] = etag(doc["version"])
        return doc

    router.add_api_route(
        f"/{entity}/{{id}}",
        get_record,
        methods=["GET"],
        response_model=schemas.out,
        operation_id=f"get_{entity}",
        summary=f"Get one {SINGULAR[entity].lower()} (ETag: its version)",
    )


def _add_create(router: APIRouter, entity: str) -> None:
    schemas = record_schemas(entity)
    create_model: Any = schemas.create

    async def create_record(
        request: Request, actor: CurrentActor, body: create_model, key: IdempotencyKey = None
    ) -> Any:
        data = body.model_dump(exclude_unset=True)

        def create(uow: UnitOfWork) -> Created:
            doc = records.create_record(uow, entity, data)
            headers = {"Location": f"{PREFIX}/{entity}/{doc['id']}", "ETag": etag(doc["version"])}
            return Created(schemas.out.model_validate(doc), 201, headers)

        print_ = partial(fingerprint, "POST", request.url.path, data)
        db = database(request)
        return await run_write(db, lambda: run_create(db, actor, key, print_, create))

    router.add_api_route(
        f"/{entity}",
        create_record,
        methods=["POST"],
        status_code=201,
        response_model=schemas.out,
        operation_id=f"create_{entity}",
        summary=f"Create a {SINGULAR[entity].lower()} (Idempotency-Key supported)",
    )


Change = Callable[[UnitOfWork, str, Any, int | None], dict[str, Any]]
"""A use case changing one record: ``(uow, id, request body, expected version) -> its document``."""


def _add_change(
    router: APIRouter,
    path: str,
    method: str,
    body_model: Any,
    out: type[BaseModel],
    change: Change,
    *,
    operation_id: str,
    summary: str,
) -> None:
    """A route changing one record under If-Match (its version), answering its document with
    the new ETag: a registry's PATCH, a proposal's review, a project's status."""

    async def change_record(
        request: Request,
        response: Response,
        actor: CurrentActor,
        id: str,
        body: body_model,
        if_match: IfMatch = None,
    ) -> Any:
        version, db = expected_version(if_match), database(request)

        def write() -> dict[str, Any]:
            with db.unit_of_work(actor) as uow:
                return change(uow, id, body, version)

        doc = await run_write(db, write)
        response.headers["ETag"] = etag(doc["version"])
        return doc

    router.add_api_route(
        path,
        change_record,
        methods=[method],
        response_model=out,
        operation_id=operation_id,
        summary=summary,
    )


def _add_update(router: APIRouter, entity: str) -> None:
    schemas = record_schemas(entity)

    def update(uow: UnitOfWork, id: str, body: Any, version: int | None) -> dict[str, Any]:
        return records.update_record(uow, entity, id, body.model_dump(exclude_unset=True), version)

    _add_change(
        router,
        f"/{entity}/{{id}}",
        "PATCH",
        schemas.patch,
        schemas.out,
        update,
        operation_id=f"update_{entity}",
        summary=f"Change fields of a {SINGULAR[entity].lower()} (If-Match required)",
    )


def _add_delete(router: APIRouter, entity: str) -> None:
    async def delete_record(
        request: Request, actor: CurrentActor, id: str, if_match: IfMatch = None
    ) -> Response:
        version, db = expected_version(if_match), database(request)

        def write() -> None:
            with db.unit_of_work(actor) as uow:
                records.delete_record(uow, entity, id, version)

        await run_write(db, write)
        return Response(status_code=204)

    router.add_api_route(
        f"/{entity}/{{id}}",
        delete_record,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        operation_id=f"delete_{entity}",
        summary=f"Delete a {SINGULAR[entity].lower()} (If-Match required)",
    )


def _review(uow: UnitOfWork, id: str, body: ProposalReview, version: int | None) -> dict[str, Any]:
    return records.review_proposal(uow, id, body.decision, version, body.reason)


def _project_status(
    uow: UnitOfWork, id: str, body: ProjectStatusChange, version: int | None
) -> dict[str, Any]:
    return records.change_project_status(uow, id, body.status, version)


def _add_steps(router: APIRouter) -> None:
    """The lifecycle steps that have routes of their own (a status set by a body)."""
    _add_change(
        router,
        "/proposals/{id}/review",
        "POST",
        ProposalReview,
        record_schemas("proposals").out,
        _review,
        operation_id="review_proposals",
        summary="Vet or reject a proposal (the ministry; If-Match required)",
    )
    _add_change(
        router,
        "/capacity_projects/{id}/status",
        "POST",
        ProjectStatusChange,
        record_schemas("capacity_projects").out,
        _project_status,
        operation_id="change_capacity_project_status",
        summary="Review or build a capacity project, by the status it leads to (If-Match "
        "required); producing enters its line in the proposals",
    )


class BalanceOut(BaseModel):
    """Investment between two countries (``first`` < ``second``) of one instrument, in the
    planning base currency: each way, and the net (positive: first invests more)."""

    first: str
    second: str
    instrument: str
    currency: str
    first_to_second: str
    second_to_first: str
    net: str
    investments: int
    first_to_second_committed: str = Field(description="of first_to_second, committed")
    second_to_first_committed: str = Field(description="of second_to_first, committed")
    first_to_second_disbursed: str = Field(description="of first_to_second, paid out")
    second_to_first_disbursed: str = Field(description="of second_to_first, paid out")


def _add_balance(router: APIRouter) -> None:
    def balance(request: Request, actor: CurrentActor) -> Any:
        with database(request).reading() as session:
            rows = investment_balance(session, Viewer.of(session, actor))
        return [
            BalanceOut(
                first=r.first,
                second=r.second,
                instrument=r.instrument,
                currency=r.net.currency,
                first_to_second=format_cents(r.first_to_second.cents),
                second_to_first=format_cents(r.second_to_first.cents),
                net=format_cents(r.net.cents),
                investments=r.investments,
                first_to_second_committed=format_cents(r.committed[0].cents),
                second_to_first_committed=format_cents(r.committed[1].cents),
                first_to_second_disbursed=format_cents(r.disbursed[0].cents),
                second_to_first_disbursed=format_cents(r.disbursed[1].cents),
            )
            for r in rows
        ]

    router.add_api_route(
        "/investment-balance",
        balance,
        methods=["GET"],
        response_model=list[BalanceOut],
        operation_id="investment_balance",
        summary="The mutual-investment balance: per pair of countries and instrument, each way "
        "(over the investments the caller may read)",
    )


def _add_bulk_review(router: APIRouter) -> None:
    def review_records(request: Request, actor: CurrentActor, body: BulkReviewRequest) -> Any:
        with database(request).unit_of_work(actor) as uow:
            done = review_in_bulk(uow, proposals=body.proposals, pledges=body.pledges)
        return {"vetted_proposals": done.proposals, "confirmed_pledges": done.pledges}

    router.add_api_route(
        "/reviews",
        review_records,
        methods=["POST"],
        response_model=BulkReviewResult,
        operation_id="review_in_bulk",
        summary="Vet submitted proposals and confirm offered pledges in bulk (the ministry)",
    )


def registry_router() -> APIRouter:
    """Every registry's routes, under /api/v1: a router of its own for each registry, so that
    a request for one is not matched against the others' routes (``web/routing.py``)."""
    router = PathIndexedRouter()
    for entity in REGISTRIES:
        one = PathIndexedRouter(prefix=PREFIX, tags=["registries"])
        _add_list(one, entity)
        _add_create(one, entity)
        _add_get(one, entity)
        _add_update(one, entity)
        _add_delete(one, entity)
        router.include_router(one)
    steps = PathIndexedRouter(prefix=PREFIX, tags=["registries"])
    _add_steps(steps)
    _add_balance(steps)
    _add_bulk_review(steps)
    router.include_router(steps)
    return router
