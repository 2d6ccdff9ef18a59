"""Every (stage, action, who) of the contract and delivery lifecycles, through the use cases.

The allowed steps are written out here, apart from the transition tables they check: each one
succeeds and reaches the stage listed; every other pair is refused -- Forbidden, not found, or a
Conflict naming the field ``status`` and the current stage -- and leaves every table as it was.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest

from kuznia.db.contracting import Delivery
from kuznia.errors import Forbidden, KuzniaError, NotFound
from kuznia.money import Money
from kuznia.services.contracting.amendments import amend_contract
from kuznia.services.contracting.contracts import (
    complete_contract,
    sign_contract,
    start_production,
    terminate_contract,
)
from kuznia.services.contracting.deliveries import (
    DeliveryReport,
    inspect_delivery,
    report_delivery,
)
from kuznia.services.contracting.drafting import create_contract
from kuznia.services.contracting.lifecycle import Stage, stage_of
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from kuznia.services.contracting.reading import get_contract
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.lifecycle import TransitionRefused
from kuznia.services.kernel.unit_of_work import UnitOfWork
from tests.integration.contracting.world import (
    AUDITOR,
    COMPANY_1,
    COMPANY_2,
    COORDINATOR,
    DANISH,
    PUBLIC,
    UA_BUDGET,
    fpv_draft,
    load_world,
    settle,
)
from tests.support.dump import dump_tables

ACTORS: dict[str, Actor] = {
    "coordinator": COORDINATOR,
    "paying partner": UA_BUDGET,
    "other partner": DANISH,
    "contracted company": COMPANY_1,
    "other company": COMPANY_2,
    "auditor": AUDITOR,
    "public": PUBLIC,
}

Step = Callable[[UnitOfWork, str], object]
STEPS: dict[str, Step] = {
    "sign": sign_contract,
    "start production": start_production,
    "deliver": lambda uow, c: report_delivery(uow, DeliveryReport(c, date(2026, 3, 9), 1, "d")),
    "commit funds": lambda uow, c: commit_funds(uow, c, FlowRequest(Money.parse("1.00", "EUR"))),
    "amend": lambda uow, c: amend_contract(uow, c, {"title": "amended"}, "the lifecycle test"),
    "complete": complete_contract,
    "terminate": lambda uow, c: terminate_contract(uow, c, "the lifecycle test"),
}

S = Stage
OPEN = (S.DRAFT, S.COORDINATOR_SIGNED, S.PARTNER_SIGNED, S.SIGNED, S.IN_PRODUCTION)
ALLOWED: dict[tuple[Stage, str, str], Stage] = {
    (S.DRAFT, "sign", "coordinator"): S.COORDINATOR_SIGNED,
    (S.DRAFT, "sign", "paying partner"): S.PARTNER_SIGNED,
    (S.COORDINATOR_SIGNED, "sign", "paying partner"): S.SIGNED,
    (S.PARTNER_SIGNED, "sign", "coordinator"): S.SIGNED,
    (S.SIGNED, "start production", "coordinator"): S.IN_PRODUCTION,
    (S.SIGNED, "start production", "contracted company"): S.IN_PRODUCTION,
    (S.SIGNED, "deliver", "coordinator"): S.IN_PRODUCTION,
    (S.SIGNED, "deliver", "contracted company"): S.IN_PRODUCTION,
    (S.IN_PRODUCTION, "deliver", "coordinator"): S.IN_PRODUCTION,
    (S.IN_PRODUCTION, "deliver", "contracted company"): S.IN_PRODUCTION,
    (S.SIGNED, "commit funds", "coordinator"): S.SIGNED,
    (S.SIGNED, "commit funds", "paying partner"): S.SIGNED,
    (S.IN_PRODUCTION, "commit funds", "coordinator"): S.IN_PRODUCTION,
    (S.IN_PRODUCTION, "commit funds", "paying partner"): S.IN_PRODUCTION,
    (S.IN_PRODUCTION, "complete", "coordinator"): S.COMPLETED,
    **{(stage, "amend", "coordinator"): stage for stage in OPEN},
    **{(stage, "terminate", "coordinator"): S.TERMINATED for stage in OPEN},
}
"""(stage, step, who) -> the stage it leads to; nothing else is allowed."""

ROUTE: dict[Stage, list[tuple[str, str]]] = {
    S.DRAFT: [],
    S.COORDINATOR_SIGNED: [("sign", "coordinator")],
    S.PARTNER_SIGNED: [("sign", "paying partner")],
    S.SIGNED: [("sign", "coordinator"), ("sign", "paying partner")],
    S.IN_PRODUCTION: [
        ("sign", "coordinator"),
        ("sign", "paying partner"),
        ("deliver", "coordinator"),
    ],
    S.COMPLETED: [
        ("sign", "coordinator"),
        ("sign", "paying partner"),
        ("start production", "coordinator"),
        ("settle", "coordinator"),
        ("complete", "coordinator"),
    ],
    S.TERMINATED: [("terminate", "coordinator")],
}
"""How a new draft is brought to each stage."""


@pytest.fixture
def world(database: Database) -> Database:
    load_world(database)
    return database


def _stage(database: Database, contract_id: str) -> Stage:
    with database.reading() as session:
        return stage_of(get_contract(session, COORDINATOR, contract_id))


def _contract_at(database: Database, stage: Stage, contract_id: str) -> str:
    with database.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft(contract_id, amount=SMALL))
    for step, who in ROUTE[stage]:
        if step == "settle":
            settle(database, contract_id)
            continue
        with database.unit_of_work(ACTORS[who]) as uow:
            STEPS[step](uow, contract_id)
    assert _stage(database, contract_id) is stage
    return contract_id


def _attempt(
    database: Database, actor: Actor, step: Callable[[UnitOfWork], object]
) -> KuzniaError | None:
    """Run ``step`` in a unit of work as ``actor``: the refusal, or None if it was done."""
    try:
        with database.unit_of_work(actor) as uow:
            step(uow)
    except KuzniaError as refused:
        return refused
    return None


def _check_refusal(caught: KuzniaError, stage: Stage, contract_id: str) -> None:
    if isinstance(caught, TransitionRefused):
        assert caught.field == "status"
        assert caught.state is stage
        assert caught.message.startswith("status: ")
        assert contract_id in caught.message
    else:
        assert isinstance(caught, Forbidden | NotFound), caught


SMALL = "20000.00"
"""Each contract's amount: many are drafted and settled from one 300,000.00 EUR pledge, and a
draft never exceeds its pledge's free money."""


@pytest.mark.parametrize("stage", list(Stage))
def test_each_step_from_a_stage_is_taken_by_whom_the_table_allows_and_refused_otherwise(
    world, stage
):
    fresh = (f"lc-{stage.value}-{n}" for n in itertools.count())
    contract = _contract_at(world, stage, next(fresh))
    for step, who in itertools.product(STEPS, ACTORS):
        if (stage, step, who) == (S.IN_PRODUCTION, "complete", "coordinator"):
            settle(world, contract)  # completion needs every unit accepted and paid for
        before = dump_tables(world)
        refused = _attempt(world, ACTORS[who], lambda uow: STEPS[step](uow, contract))  # noqa: B023
        if refused is not None:
            assert (stage, step, who) not in ALLOWED, f"{step} by {who} from {stage}: {refused}"
            _check_refusal(refused, stage, contract)
            assert dump_tables(world) == before, f"{step} by {who} from {stage} changed rows"
        else:
            want = ALLOWED.get((stage, step, who))
            assert want is not None, f"{step} by {who} from {stage} was allowed"
            assert _stage(world, contract) is want
            contract = _contract_at(world, stage, next(fresh))


INSPECTIONS: dict[str, tuple[int, str | None]] = {
    "accept": (2, None),
    "accept in part": (1, "one arrived broken"),
    "reject": (0, "both arrived broken"),
}
INSPECTED = {"accept": "accepted", "accept in part": "partially_accepted", "reject": "rejected"}


def _delivery_at(database: Database, status: str, contract_id: str) -> str:
    with database.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft(contract_id, amount=SMALL))
        sign_contract(uow, contract_id)
    with database.unit_of_work(UA_BUDGET) as uow:
        sign_contract(uow, contract_id)
    with database.unit_of_work(COMPANY_1) as uow:
        delivery = report_delivery(uow, DeliveryReport(contract_id, date(2026, 3, 9), 2)).id
    for step, outcome in INSPECTED.items():
        if outcome == status:
            assert _inspect(database, COORDINATOR, delivery, step) is None
    return delivery


def _inspect(database: Database, actor: Actor, delivery: str, step: str) -> KuzniaError | None:
    accepted, reason = INSPECTIONS[step]
    return _attempt(
        database, actor, lambda uow: inspect_delivery(uow, delivery, accepted, claim_reason=reason)
    )


def _delivery_status(database: Database, delivery: str) -> str:
    with database.reading() as session:
        found = session.get(Delivery, delivery)
        assert found is not None
        return found.status


@pytest.mark.parametrize("status", ["reported", "accepted", "partially_accepted", "rejected"])
def test_a_delivery_is_inspected_once_by_the_coordinator_and_refused_otherwise(world, status):
    fresh = (f"lcd-{status}-{n}" for n in itertools.count())
    delivery = _delivery_at(world, status, next(fresh))
    for step, who in itertools.product(INSPECTIONS, ACTORS):
        before = dump_tables(world)
        allowed = status == "reported" and who == "coordinator"
        refused = _inspect(world, ACTORS[who], delivery, step)
        if refused is not None:
            assert not allowed, f"{step} by {who} of a {status} delivery: {refused}"
            if isinstance(refused, TransitionRefused):
                assert (refused.field, refused.state) == ("status", status)
                assert refused.message.startswith(f"status: delivery {delivery} ")
            else:
                assert isinstance(refused, Forbidden | NotFound), refused
            assert dump_tables(world) == before
        else:
            assert allowed, f"{step} by {who} of a {status} delivery was allowed"
            assert _delivery_status(world, delivery) == INSPECTED[step]
            delivery = _delivery_at(world, status, next(fresh))
