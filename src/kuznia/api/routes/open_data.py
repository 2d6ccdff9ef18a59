"""Open data: OCDS release packages, the aid-tracker CSV and the public feed of published records.

The public tier and the feeds need no login; the confidential OCDS tier is the coordinator's
(decided in ``services.ocds``). Every OCDS package is checked against the OCDS 1.1.5 schema
before it is served.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from kuznia.api.deps import database, optional_actor
from kuznia.errors import KuzniaError
from kuznia.services.kernel.actors import Actor
from kuznia.services.open_data.feeds import MAX_PAGE, public_feed, tracker_csv
from kuznia.services.open_data.ocds import release_package
from kuznia.services.open_data.ocds_processes import Tier
from kuznia.services.open_data.ocds_schema import package_bytes, validation_errors
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1/open-data", tags=["open data"])

MAX_SEQ = 2**62  # beyond any log; keeps the number inside a database integer
MaybeActor = Annotated[Actor, Depends(optional_actor)]


@router.get(
    "/ocds/releases.json",
    operation_id="ocds_release_package",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def ocds_releases(request: Request, actor: MaybeActor, tier: Tier = Tier.PUBLIC) -> Response:
    """Contracts, money flows and deliveries as an OCDS 1.1 release package.

    ``public`` (anyone): contracts both parties signed, no secret field. ``confidential``
    (coordinator): also drafts, and delivery destinations. 404 while nothing is published.
    """
    with database(request).reading() as session:
        data = package_bytes(release_package(session, actor, tier=tier))
    errors = validation_errors(data)
    if errors:  # pragma: no cover - the tests validate every package the service builds
        raise KuzniaError("the OCDS package does not validate: " + "; ".join(errors[:5]))
    return Response(data, media_type="application/json")


@router.get(
    "/tracker.csv",
    operation_id="tracker_csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def tracker(request: Request) -> Response:
    """Commitments and disbursements by partner, month and capability category (IATI-like)."""
    with database(request).reading() as session:
        data = tracker_csv(session)
    return Response(data, media_type="text/csv; charset=utf-8")


@router.get("/feed", operation_id="public_feed")
def feed(
    request: Request,
    after: Annotated[
        int, Query(ge=-1, le=MAX_SEQ, description="the last seq you have; -1 = start")
    ] = -1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="log leaves to read")] = 100,
) -> dict[str, Any]:
    """Published records in log order, paged by sequence number: ask again with
    ``after=next_after`` and no record is ever missed."""
    with database(request).reading() as session:
        return public_feed(session, after, limit).document()
