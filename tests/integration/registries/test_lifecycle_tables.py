"""Every (status, action, who) of the proposal review and pledge lifecycles, through the use
cases every path calls (records: review, PATCH, DELETE; contracts drawn from a pledge).

The allowed steps are written out here, apart from the transition tables: each succeeds and
gives the status listed; every other one is refused -- Forbidden, not found, or a Conflict
naming the field ``status`` and the current status -- and leaves every table as it was.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from kuznia.db import registries as db
from kuznia.errors import Forbidden, KuzniaError, NotFound
from kuznia.services.contracting.drafting import create_contract
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.lifecycle import TransitionRefused
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries import records
from tests.factories import OPEN_UNTIL
from tests.integration.contracting.world import (
    AUDITOR,
    COMPANY_1,
    COMPANY_2,
    COORDINATOR,
    DANISH,
    UA_BUDGET,
    fpv_draft,
    load_world,
)
from tests.support.dump import dump_tables

PROPOSAL_ACTORS: dict[str, Actor] = {
    "coordinator": COORDINATOR,
    "owner": COMPANY_1,
    "other company": COMPANY_2,
    "partner": UA_BUDGET,
    "auditor": AUDITOR,
}
PLEDGE_ACTORS: dict[str, Actor] = {
    "coordinator": COORDINATOR,
    "owner": UA_BUDGET,
    "other partner": DANISH,
    "company": COMPANY_1,
    "auditor": AUDITOR,
}
SYSTEM = Actor(role=Role.COORDINATOR, label="system:lifecycle-test")

Step = Callable[[UnitOfWork, str], Any]


def _review(decision: str) -> Step:
    return lambda uow, record: records.review_proposal(uow, record, decision, None, "a reason")


def _patch(entity: str, changes: dict[str, Any]) -> Step:
    return lambda uow, record: records.update_record(uow, entity, record, changes, None)


def _delete(entity: str) -> Step:
    return lambda uow, record: records.delete_record(uow, entity, record, None)


def _fund(uow: UnitOfWork, pledge: str) -> Any:
    draft = replace(fpv_draft(f"c-{pledge}"), pledge_id=pledge)
    return create_contract(uow, draft)


PROPOSAL_STEPS: dict[str, Step] = {
    "vet": _review("vetted"),
    "reject": _review("rejected"),
    "reopen": _review("submitted"),
    "edit": _patch("proposals", {"monthly_capacity": 77}),
    "delete": _delete("proposals"),
}
PLEDGE_STEPS: dict[str, Step] = {
    "confirm": _patch("pledges", {"status": "confirmed"}),
    "withdraw": _patch("pledges", {"status": "withdrawn"}),
    "offer again": _patch("pledges", {"status": "offered"}),
    "edit": _patch("pledges", {"amount_cents": 900_000_00}),
    "delete": _delete("pledges"),
    "fund a contract": _fund,
}

GONE = "deleted"
PROPOSAL_ALLOWED: dict[tuple[str, str, str], str] = {
    **{(s, "vet", "coordinator"): "vetted" for s in ("submitted", "vetted", "rejected")},
    **{(s, "reject", "coordinator"): "rejected" for s in ("submitted", "vetted", "rejected")},
    **{(s, "reopen", "coordinator"): "submitted" for s in ("submitted", "vetted", "rejected")},
    **{(s, "edit", "coordinator"): s for s in ("submitted", "vetted", "rejected")},
    **{(s, "delete", "coordinator"): GONE for s in ("submitted", "vetted", "rejected")},
    ("submitted", "edit", "owner"): "submitted",
    ("submitted", "delete", "owner"): GONE,
}
PLEDGE_ALLOWED: dict[tuple[str, str, str], str] = {
    **{("offered", step, who): to for step, to in (("confirm", "confirmed"),
                                                  ("withdraw", "withdrawn"))
       for who in ("coordinator", "owner")},
    **{("confirmed", "withdraw", who): "withdrawn" for who in ("coordinator", "owner")},
    # setting the status a pledge has already is an edit that changes nothing
    **{(s, step, who): s for s, step in (("offered", "offer again"), ("confirmed", "confirm"),
                                         ("withdrawn", "withdraw"))
       for who in ("coordinator", "owner")},
    **{(s, "edit", who): s for s in ("offered", "confirmed", "withdrawn")
       for who in ("coordinator", "owner")},
    **{(s, "delete", "coordinator"): GONE for s in ("offered", "confirmed", "withdrawn")},
    ("offered", "delete", "owner"): GONE,
    **{(s, "fund a contract", "coordinator"): s for s in ("offered", "confirmed")},
}  # fmt: skip


@pytest.fixture
def world(database: Database) -> Database:
    load_world(database)
    return database


def _new_proposal(database: Database, status: str, n: int) -> str:
    data = {
        "id": f"lc-prop-{status}-{n}",
        "company_id": "co-ua-1",
        "site_country": "UA",
        "capability_id": "fpv",
        "unit_cost_cents": 12_000,
        "currency": "EUR",
        "monthly_capacity": 10,
        "lead_time_months": 1,
        "ramp_up_months": 1,
    }
    with database.unit_of_work(COMPANY_1) as uow:
        record = records.create_record(uow, "proposals", data)["id"]
    if status != "submitted":
        with database.unit_of_work(SYSTEM) as uow:
            records.review_proposal(uow, record, status, None, "a reason")
    return str(record)


def _new_pledge(database: Database, status: str, n: int) -> str:
    data = {
        "id": f"lc-pledge-{status}-{n}",
        "partner_id": "ua-budget",
        "amount_cents": 1_000_000_00,
        "currency": "EUR",
        "valid_from": "2026-01",
        "valid_to": OPEN_UNTIL,
    }
    with database.unit_of_work(UA_BUDGET) as uow:
        record = records.create_record(uow, "pledges", data)["id"]
    if status == "withdrawn":
        with database.unit_of_work(SYSTEM) as uow:
            records.update_record(uow, "pledges", record, {"status": "confirmed"}, None)
    if status != "offered":
        with database.unit_of_work(SYSTEM) as uow:
            records.update_record(uow, "pledges", record, {"status": status}, None)
    return str(record)


def _status(database: Database, model: type[db.Proposal | db.Pledge], record: str) -> str:
    with database.reading() as session:
        row = session.get(model, record)
        return GONE if row is None else str(row.status)


def _attempt(database: Database, actor: Actor, step: Step, record: str) -> KuzniaError | None:
    try:
        with database.unit_of_work(actor) as uow:
            step(uow, record)
    except KuzniaError as refused:
        return refused
    return None


def _walk(
    database: Database,
    status: str,
    model: type[db.Proposal | db.Pledge],
    make: Callable[[Database, str, int], str],
    steps: dict[str, Step],
    actors: dict[str, Actor],
    allowed: dict[tuple[str, str, str], str],
) -> None:
    fresh = itertools.count()
    record = make(database, status, next(fresh))
    assert _status(database, model, record) == status
    for step, who in itertools.product(steps, actors):
        before = dump_tables(database)
        refused = _attempt(database, actors[who], steps[step], record)
        if refused is None:
            want = allowed.get((status, step, who))
            assert want is not None, f"{step} by {who} of a {status} record was allowed"
            assert _status(database, model, record) == want
            record = make(database, status, next(fresh))
            continue
        assert (status, step, who) not in allowed, f"{step} by {who} from {status}: {refused}"
        if isinstance(refused, TransitionRefused):
            assert (refused.field, refused.state) == ("status", status)
            assert refused.message.startswith("status: ")
        else:
            assert isinstance(refused, Forbidden | NotFound), refused
        assert dump_tables(database) == before, f"{step} by {who} from {status} changed rows"


@pytest.mark.parametrize("status", ["submitted", "vetted", "rejected"])
def test_a_proposal_is_reviewed_by_the_ministry_and_changed_by_its_company_only_while_submitted(
    world, status
):
    _walk(world, status, db.Proposal, _new_proposal, PROPOSAL_STEPS, PROPOSAL_ACTORS,
          PROPOSAL_ALLOWED)  # fmt: skip


@pytest.mark.parametrize("status", ["offered", "confirmed", "withdrawn"])
def test_a_pledge_is_offered_confirmed_and_withdrawn_for_good(world, status):
    _walk(world, status, db.Pledge, _new_pledge, PLEDGE_STEPS, PLEDGE_ACTORS, PLEDGE_ALLOWED)
