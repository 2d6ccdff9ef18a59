"""A drafted contract never exceeds its pledge's free money now (its amount less what is
committed from it): by hand and from a plan, refused naming ``amount`` with both sums and
nothing written; drafts reserve nothing (docs/rules.md)."""

from __future__ import annotations

from datetime import date

import pytest

from kuznia.errors import Conflict
from kuznia.money import Money
from kuznia.services.contracting.drafting import contracts_from_plan, create_contract
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from tests.integration.contracting.world import (
    COORDINATOR,
    UA_BUDGET,
    fpv_draft,
    load_world,
    plan,
    signed,
)
from tests.support.dump import dump_tables


@pytest.fixture
def world(database):
    load_world(database)
    return database


def test_a_draft_by_hand_above_the_pledges_free_money_is_refused_and_writes_nothing(world):
    signed(world, fpv_draft("contract-1", amount="250000.00"), UA_BUDGET)
    with world.unit_of_work(UA_BUDGET) as uow:
        commit_funds(
            uow, "contract-1", FlowRequest(Money.parse("250000.00", "EUR"), date(2026, 2, 1))
        )
    before = dump_tables(world)
    with pytest.raises(Conflict) as refused, world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft("contract-2", amount="50000.01"))
    assert refused.value.message == (
        "amount: pledge pledge-ua has 50,000.00 EUR free; a contract of 50,000.01 EUR cannot "
        "be drawn from it"
    )
    assert dump_tables(world) == before
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft("contract-2", amount="50000.00"))  # exactly what is free


def test_drafts_reserve_nothing_only_commitments_bind_the_pledge(world):
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft("contract-1", amount="300000.00"))
        create_contract(uow, fpv_draft("contract-2", amount="300000.00"))


def test_a_plan_row_above_the_pledges_free_money_is_refused_naming_the_amount(world):
    signed(world, fpv_draft("contract-1", amount="280000.00"), UA_BUDGET)
    with world.unit_of_work(UA_BUDGET) as uow:
        commit_funds(
            uow, "contract-1", FlowRequest(Money.parse("280000.00", "EUR"), date(2026, 2, 1))
        )
    funding = [{"pledge": "pledge-ua", "proposal": "line-1", "month": "2026-03", "units": 100,
                "amount": "30000.00"}]  # fmt: skip
    before = dump_tables(world)
    said = r"^amount: pledge pledge-ua has 20,000.00 EUR free; a contract of 30,000.00 EUR"
    with pytest.raises(Conflict, match=said), world.unit_of_work(COORDINATOR) as uow:
        contracts_from_plan(uow, plan(funding))
    assert dump_tables(world) == before
