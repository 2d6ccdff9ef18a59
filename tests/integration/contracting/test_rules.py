"""The findings of issue 12 on contracting and kinds, reproduced and refused (the matrix in
tests/integration/api/test_integrity_matrix.py runs the same rules on every path)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kuznia.allocation.problem import _eligibility
from kuznia.demo import generate
from kuznia.errors import Conflict, InvalidInput
from kuznia.money import Money
from kuznia.scenario.eligibility import eligible
from kuznia.scenario.io import parse_scenario
from kuznia.services.contracting.contracts import complete_contract, start_production
from kuznia.services.contracting.deliveries import DeliveryReport, report_delivery
from kuznia.services.contracting.drafting import create_contract
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries import records
from kuznia.services.registries.scenarios import import_scenario
from tests.factories import OPEN_UNTIL, scenario_bytes
from tests.integration.contracting.world import (
    COMPANY_1,
    COORDINATOR,
    UA_BUDGET,
    fpv_draft,
    load_world,
    shell_draft,
    signed,
)
from tests.support.dump import dump_tables


@pytest.fixture
def world(database):
    load_world(database)
    return database


def test_a_payer_earmarked_for_drones_in_ukraine_may_not_pay_for_shells_in_denmark(world):
    with world.unit_of_work(Actor.system("test")) as uow:
        records.create_record(
            uow,
            "pledges",
            {"id": "pledge-lr", "partner_id": "dk", "amount_cents": 10**10, "currency": "DKK",
             "valid_from": "2026-01", "valid_to": OPEN_UNTIL, "earmark_capabilities": ["fpv"],
             "earmark_site_countries": ["UA"]},
        )  # fmt: skip
    before = dump_tables(world)
    with pytest.raises(InvalidInput) as refused, world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, shell_draft(pledge_id="pledge-lr"))
    message = str(refused.value)
    assert "pledge_id: pledge pledge-lr may not pay for this line" in message
    assert "earmarked capabilities fpv, not shell-155" in message
    assert "earmarked site_countries UA, not DK" in message
    assert dump_tables(world) == before


def test_a_contract_with_units_outstanding_and_money_unpaid_is_not_completed(world):
    signed(world, fpv_draft(), UA_BUDGET)
    with world.unit_of_work(COMPANY_1) as uow:
        start_production(uow, "contract-1")
        report_delivery(uow, DeliveryReport("contract-1", date(2026, 3, 20), 48, "depot"))
    before = dump_tables(world)
    with pytest.raises(Conflict) as refused, world.unit_of_work(COORDINATOR) as uow:
        complete_contract(uow, "contract-1")
    assert "units: 400 of 400 units are not delivered" in str(refused.value)
    assert "amount: 200,000.00 EUR of 200,000.00 EUR is not paid" in str(refused.value)
    assert dump_tables(world) == before


@pytest.mark.parametrize(
    ("day", "says"),
    [
        (date(1, 1, 1), "0001-01-01 is outside 2022-01-01..2099-12-31"),
        (date(9999, 12, 31), "9999-12-31 is outside 2022-01-01..2099-12-31"),
        (date(2099, 1, 15), "2099-01-15 is in the future"),
    ],
)
def test_a_delivery_is_dated_in_the_window_and_never_in_the_future(world, day, says):
    signed(world, fpv_draft(), UA_BUDGET)
    before = dump_tables(world)
    with pytest.raises(InvalidInput, match=says), world.unit_of_work(COMPANY_1) as uow:
        report_delivery(uow, DeliveryReport("contract-1", day, 1))
    assert dump_tables(world) == before


def test_a_proposal_without_a_kind_gets_the_one_its_countries_make_it(world):
    with world.unit_of_work(Actor.system("test")) as uow:
        made = records.create_record(
            uow,
            "proposals",
            {"id": "line-9", "company_id": "co-ua-2", "site_country": "PL",
             "capability_id": "fpv", "unit_cost_cents": 100, "currency": "EUR",
             "monthly_capacity": 1, "lead_time_months": 0, "ramp_up_months": 1,
             "offtake_until": "2028-12", "offtake_share_percent": 100},
        )  # fmt: skip
    assert made["kind"] == "ukrainian_abroad"


def test_a_contract_is_in_its_pledges_currency_and_never_bigger_than_the_bounds(world):
    with pytest.raises(InvalidInput, match="amount"), world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft(amount="99999999999999.00"))
    with pytest.raises(InvalidInput), world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, shell_draft(amount=Money.parse("1.00", "EUR")))


def test_the_plan_validators_eligibility_is_the_optimizers_on_the_demo_world():
    scenario = generate("small", 1).scenario
    arrays = _eligibility(scenario)
    for p, pledge in enumerate(scenario.pledges):
        for line_index, line in enumerate(scenario.proposals):
            assert bool(arrays[line_index, p]) is eligible(pledge, line)


def test_a_scenario_import_may_not_cut_a_pledge_below_what_it_committed(world):
    signed(world, fpv_draft(), UA_BUDGET)
    with world.unit_of_work(UA_BUDGET) as uow:
        commit_funds(
            uow, "contract-1", FlowRequest(Money.parse("150000.00", "EUR"), date(2026, 2, 1))
        )
    document = json.loads(scenario_bytes())
    document["pledges"][0]["amount"] = "1000.00"
    assert document["pledges"][0]["id"] == "pledge-ua"
    before = dump_tables(world)
    with pytest.raises(InvalidInput) as refused, world.unit_of_work(Actor.system("t")) as uow:
        import_scenario(uow, parse_scenario(json.dumps(document).encode()))
    assert "pledges[0].amount_cents: pledge pledge-ua has 150,000.00 EUR committed" in str(
        refused.value
    )
    assert "1,000.00 EUR" in str(refused.value)
    assert dump_tables(world) == before


def test_a_payer_is_valid_in_the_months_units_are_produced_not_only_when_they_arrive(world):
    """line-2 ships a month after it produces (ship_lag_months 1): units due in 2026-06 are
    made, and paid for by the plan, in 2026-05, so a pledge valid from 2026-06 cannot pay."""
    with world.unit_of_work(COORDINATOR) as uow:
        records.create_record(
            uow,
            "pledges",
            {"id": "pledge-late", "partner_id": "dk", "amount_cents": 10**10, "currency": "DKK",
             "valid_from": "2026-06", "valid_to": OPEN_UNTIL, "earmark_site_countries": ["DK"]},
        )  # fmt: skip
    before = dump_tables(world)
    with pytest.raises(InvalidInput) as refused, world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, shell_draft(pledge_id="pledge-late"))
    assert f"valid 2026-06..{OPEN_UNTIL}, not in 2026-05" in str(refused.value)
    assert dump_tables(world) == before
    with world.unit_of_work(COORDINATOR) as uow:  # due from 2026-07: made from 2026-06
        create_contract(uow, shell_draft(pledge_id="pledge-late", schedule={"2026-07": 200}))


def test_a_scenario_import_refuses_a_kind_its_countries_contradict(world):
    document = json.loads(scenario_bytes())
    document["proposals"][1]["kind"] = "in_ukraine"  # co-ua-2 (registered, UA) in DK
    document["proposals"].append(
        {**document["proposals"][0], "id": "line-new", "company": "co-new",
         "company_country": "PL", "site_country": "PL", "kind": "foreign_in_ukraine"}
    )  # fmt: skip
    before = dump_tables(world)
    with pytest.raises(InvalidInput) as refused, world.unit_of_work(Actor.system("t")) as uow:
        import_scenario(uow, parse_scenario(json.dumps(document).encode()))
    message = str(refused.value)
    assert "proposals[1].kind: company co-ua-2 is a Ukrainian firm and the site is in DK" in message
    assert "proposals[2].kind: company co-new is in PL and the site in PL: the line is " in message
    assert "partner_domestic, not foreign_in_ukraine" in message
    assert dump_tables(world) == before
