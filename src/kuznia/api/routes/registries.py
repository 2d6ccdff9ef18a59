"""Routes of every registry: list, create, get, update (PATCH), delete; a proposal's review.

The routes are generated per registry from its documents (``services/record_schemas.py``) and
call the registry use cases (``services/records.py``), which decide who may do what. This module
evaluates annotations at definition time (no ``from __future__ import annotations``): each
route's parameter types are the generated models of its registry.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from kuznia.api.deps import (
    CurrentActor,
    IdempotencyKey,
    IfMatch,
    database,
    etag,
    expected_version,
)
from kuznia.api.idempotency import Created, fingerprint, run_create
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries import records
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.record_schemas import (
    SINGULAR,
    BulkReviewRequest,
    BulkReviewResult,
    ProposalReview,
    record_schemas,
)
from kuznia.services.registries.review import review_in_bulk

PREFIX = "/api/v1"
RecordId = Annotated[str, "the record's id"]


def _add_list(router: APIRouter, entity: str) -> None:
    schemas = record_schemas(entity)
    query_model: Any = schemas.query

    def list_records(
        request: Request, actor: CurrentActor, query: Annotated[query_model, Query()]
    ) -> Any:
        with database(request).reading() as session:
            viewer = Viewer.of(session, actor)
            page = records.list_records(session, viewer, entity, query.model_dump())
        return {"items": page.items, "next_cursor": page.next_cursor}

    router.add_api_route(
        f"/{entity}",
        list_records,
        methods=["GET"],
        response_model=schemas.page,
        operation_id=f"list_{entity}",
        summary=f"List {entity} (filter, sort, page by cursor)",
    )


def _add_get(router: APIRouter, entity: str) -> None:
    schemas = record_schemas(entity)

    def get_record(request: Request, response: Response, actor: CurrentActor, id: str) -> Any:
        with database(request).reading() as session:
            doc = records.get_record(session, Viewer.of(session, actor), entity, id)
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

    def create_record(
        request: Request, actor: CurrentActor, body: create_model, key: IdempotencyKey = None
    ) -> Any:
        data = body.model_dump(exclude_unset=True)

        def create(uow: UnitOfWork) -> Created:
            doc = records.create_record(uow, entity, data)
            headers = {"Location": f"{PREFIX}/{entity}/{doc['id']}", "ETag": etag(doc["version"])}
            return Created(schemas.out.model_validate(doc).model_dump(mode="json"), 201, headers)

        print_ = fingerprint("POST", request.url.path, data)
        return run_create(database(request), actor, key, print_, create)

    router.add_api_route(
        f"/{entity}",
        create_record,
        methods=["POST"],
        status_code=201,
        response_model=schemas.out,
        operation_id=f"create_{entity}",
        summary=f"Create a {SINGULAR[entity].lower()} (Idempotency-Key supported)",
    )


def _add_update(router: APIRouter, entity: str) -> None:
    schemas = record_schemas(entity)
    patch_model: Any = schemas.patch

    def update_record(
        request: Request,
        response: Response,
        actor: CurrentActor,
        id: str,
        body: patch_model,
        if_match: IfMatch = None,
    ) -> Any:
        version = expected_version(if_match)
        with database(request).unit_of_work(actor) as uow:
            doc = records.update_record(
                uow, entity, id, body.model_dump(exclude_unset=True), version
            )
        response.headers["ETag"] = etag(doc["version"])
        return doc

    router.add_api_route(
        f"/{entity}/{{id}}",
        update_record,
        methods=["PATCH"],
        response_model=schemas.out,
        operation_id=f"update_{entity}",
        summary=f"Change fields of a {SINGULAR[entity].lower()} (If-Match required)",
    )


def _add_delete(router: APIRouter, entity: str) -> None:
    def delete_record(
        request: Request, actor: CurrentActor, id: str, if_match: IfMatch = None
    ) -> Response:
        version = expected_version(if_match)
        with database(request).unit_of_work(actor) as uow:
            records.delete_record(uow, entity, id, version)
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


def _add_review(router: APIRouter) -> None:
    out = record_schemas("proposals").out

    def review_proposal(
        request: Request,
        response: Response,
        actor: CurrentActor,
        id: str,
        body: ProposalReview,
        if_match: IfMatch = None,
    ) -> Any:
        version = expected_version(if_match)
        with database(request).unit_of_work(actor) as uow:
            doc = records.review_proposal(uow, id, body.decision, version, body.reason)
        response.headers["ETag"] = etag(doc["version"])
        return doc

    router.add_api_route(
        "/proposals/{id}/review",
        review_proposal,
        methods=["POST"],
        response_model=out,
        operation_id="review_proposals",
        summary="Vet or reject a proposal (the ministry; If-Match required)",
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
    """Every registry's routes, under /api/v1."""
    router = APIRouter(prefix=PREFIX, tags=["registries"])
    for entity in REGISTRIES:
        _add_list(router, entity)
        _add_create(router, entity)
        _add_get(router, entity)
        _add_update(router, entity)
        _add_delete(router, entity)
    _add_review(router)
    _add_bulk_review(router)
    return router
