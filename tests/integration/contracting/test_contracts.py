"""Contracts: drafts, two signatures, states, lines abroad, plans, amendments, visibility."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from kuznia.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuznia.money import Money
from kuznia.services.contracting.amendments import amend_contract
from kuznia.services.contracting.contracts import (
    complete_contract,
    sign_contract,
    start_production,
    terminate_contract,
)
from kuznia.services.contracting.drafting import AbroadTerms, contracts_from_plan, create_contract
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from kuznia.services.contracting.reading import amendments_of, get_contract, schedule_of
from kuznia.services.transparency import log
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
    plan,
    settle,
    shell_draft,
    signed,
)


@pytest.fixture
def world(database):
    load_world(database)
    return database


def _contract(database, contract_id="contract-1", actor=COORDINATOR):
    with database.reading() as session:
        contract = get_contract(session, actor, contract_id)
        session.expunge(contract)  # keep its loaded state past the read's rollback
        return contract


def test_a_contract_made_by_hand_is_a_logged_draft_with_its_schedule(world):
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft())
    contract = _contract(world)
    assert (contract.status, contract.partner_id, contract.kind) == (
        "draft",
        "ua-budget",
        "in_ukraine",
    )
    with world.reading() as session:
        assert schedule_of(session, "contract-1") == {
            "2026-03": 100,
            "2026-04": 150,
            "2026-05": 150,
        }
        (leaf,) = log.leaves_of(session, AUDITOR, "contracts", "contract-1")
    assert json.loads(leaf.leaf)["after"]["schedule"]["2026-04"] == 150


def test_a_schedule_that_does_not_add_up_to_the_units_is_refused(world):
    draft = replace(fpv_draft(), schedule={"2026-03": 100})
    with (
        pytest.raises(InvalidInput, match="schedule sums to 100"),
        world.unit_of_work(COORDINATOR) as uow,
    ):
        create_contract(uow, draft)


def test_only_the_coordinator_creates_contracts(world):
    with pytest.raises(Forbidden), world.unit_of_work(UA_BUDGET) as uow:
        create_contract(uow, fpv_draft())


def test_a_contract_is_signed_once_the_coordinator_and_the_paying_partner_have_signed(world):
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft())
        sign_contract(uow, "contract-1")
    assert _contract(world).status == "draft"
    with pytest.raises(NotFound), world.unit_of_work(DANISH) as uow:
        sign_contract(uow, "contract-1")
    with (
        pytest.raises(Conflict, match="signed contract contract-1 already"),
        world.unit_of_work(COORDINATOR) as uow,
    ):
        sign_contract(uow, "contract-1")
    with world.unit_of_work(UA_BUDGET) as uow:
        sign_contract(uow, "contract-1")
    contract = _contract(world)
    assert contract.status == "signed"
    assert contract.coordinator_signed_by == "olena@ministry"
    assert contract.partner_signed_by == "taras@mof"
    assert contract.coordinator_signed_at <= contract.partner_signed_at


def test_a_company_cannot_sign(world):
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft())
    with pytest.raises(Forbidden), world.unit_of_work(COMPANY_1) as uow:
        sign_contract(uow, "contract-1")


def test_a_line_abroad_is_signed_only_with_its_offtake_clause_ip_owner_and_licence(world):
    bare = shell_draft(abroad=AbroadTerms())
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, bare)
    with (
        pytest.raises(Conflict, match="offtake_until or offtake_condition") as caught,
        world.unit_of_work(COORDINATOR) as uow,
    ):
        sign_contract(uow, "contract-dk")
    assert "ip_owner" in caught.value.message
    assert "export_licence_status" in caught.value.message
    signed(world, shell_draft("contract-dk-2"), DANISH)
    contract = _contract(world, "contract-dk-2")
    assert contract.status == "signed"
    assert contract.export_licence_reference == "DK-EXP-2026-0042"
    assert contract.offtake_condition.startswith("or until martial law")


def test_a_refused_export_licence_blocks_signing(world):
    terms = replace(shell_draft().abroad, export_licence_status="refused")
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, shell_draft(abroad=terms))
    with pytest.raises(Conflict, match="licence is refused"), world.unit_of_work(DANISH) as uow:
        sign_contract(uow, "contract-dk")


def test_production_starts_completes_or_the_contract_is_terminated(world):
    signed(world, fpv_draft(), UA_BUDGET)
    with pytest.raises(Forbidden), world.unit_of_work(AUDITOR) as uow:
        start_production(uow, "contract-1")
    with world.unit_of_work(COMPANY_1) as uow:
        start_production(uow, "contract-1")
    settle(world, "contract-1")
    with world.unit_of_work(COORDINATOR) as uow:
        complete_contract(uow, "contract-1")
    assert _contract(world).status == "completed"
    with pytest.raises(Conflict), world.unit_of_work(COORDINATOR) as uow:
        terminate_contract(uow, "contract-1", "too late")
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft("contract-2", amount="100000.00"))  # what is left free
        terminate_contract(uow, "contract-2", "the line burned down")
    assert _contract(world, "contract-2").terminated_reason == "the line burned down"


def test_contracts_from_a_plan_group_its_funding_rows_per_pledge_and_proposal(world):
    funding = [
        {
            "pledge": "pledge-dk",
            "proposal": "line-2",
            "month": "2026-05",
            "units": 60,
            "amount": "270000.00",
        },
        {
            "pledge": "pledge-dk",
            "proposal": "line-2",
            "month": "2026-06",
            "units": 40,
            "amount": "180000.00",
        },
        {
            "pledge": "pledge-ua",
            "proposal": "line-1",
            "month": "2026-03",
            "units": 10,
            "amount": "5060.00",
        },
    ]
    setup = [{"pledge": "pledge-dk", "proposal": "line-2", "amount": "250000.00"}]
    with world.unit_of_work(COORDINATOR) as uow:
        made = contracts_from_plan(uow, plan(funding, setup), pledge_id="pledge-dk")
        assert [c.id for c in made] == [f"c-{'ab' * 4}-pledge-dk-line-2"]
    contract = _contract(world, made[0].id)
    assert (contract.source, contract.units, contract.currency) == ("plan", 100, "DKK")
    # 700,000.00 EUR at 0.134 EUR per DKK: 5,223,880.597... DKK, rounded half-even to cents
    assert Money(contract.amount_cents, "DKK") == Money.parse("5223880.60", "DKK")
    with world.reading() as session:  # due one month after production (line-2 ships in a month)
        assert schedule_of(session, contract.id) == {"2026-06": 60, "2026-07": 40}


def test_an_amendment_keeps_the_terms_before_and_after_and_the_version(world):
    signed(world, fpv_draft(), UA_BUDGET)
    with world.unit_of_work(COORDINATOR) as uow:
        amend_contract(
            uow,
            "contract-1",
            {"units": 450, "amount_cents": 22_500_000},
            "capacity grew",
            schedule={"2026-03": 150, "2026-04": 150, "2026-05": 150},
        )
    version = _contract(world).version
    with world.reading() as session:
        (amendment,) = amendments_of(session, AUDITOR, "contract-1")
        assert amendment.version == version
        assert (amendment.before["units"], amendment.after["units"]) == (400, 450)
        assert amendment.after["schedule"]["2026-03"] == 150
        assert amendment.amended_by == "olena@ministry"


def test_an_amendment_cannot_cut_the_amount_below_what_is_committed(world):
    signed(world, fpv_draft(), UA_BUDGET)
    with world.unit_of_work(UA_BUDGET) as uow:
        commit_funds(uow, "contract-1", FlowRequest(Money.parse("150000.00", "EUR")))
    with (
        pytest.raises(Conflict, match=r"150,000\.00 EUR is committed"),
        world.unit_of_work(COORDINATOR) as uow,
    ):
        amend_contract(uow, "contract-1", {"amount_cents": 10_000_000}, "cheaper")


def test_an_amendment_reports_every_problem_of_its_terms_at_once(world):
    signed(world, fpv_draft(), UA_BUDGET)
    before = _contract(world).version
    with (
        pytest.raises(InvalidInput) as refused,
        world.unit_of_work(COORDINATOR) as uow,
    ):
        amend_contract(
            uow,
            "contract-1",
            {"units": 0, "amount_cents": -5},
            "all wrong",
            schedule={"2026-13": 1, "2026-04": 0},
        )
    paths = {p.path for p in refused.value.problems}
    assert {"units", "amount", "schedule.2026-13", "schedule.2026-04"} <= paths
    assert _contract(world).version == before  # nothing written


def test_amendment_history_cannot_be_rewritten(world):
    signed(world, fpv_draft(), UA_BUDGET)
    with world.unit_of_work(COORDINATOR) as uow:
        amend_contract(uow, "contract-1", {"title": "FPV drones, lot 1"}, "naming")
    with (
        pytest.raises((IntegrityError, DBAPIError), match="append-only"),
        world.engine.begin() as conn,
    ):
        conn.execute(text("UPDATE contract_amendments SET reason = 'nothing happened'"))


def test_contracts_are_visible_to_their_parties_auditors_and_the_coordinator_only(world):
    signed(world, fpv_draft(), UA_BUDGET)
    for actor in (COORDINATOR, AUDITOR, UA_BUDGET, COMPANY_1):
        assert _contract(world, actor=actor).id == "contract-1"
    for actor in (DANISH, COMPANY_2):
        with pytest.raises(NotFound):
            _contract(world, actor=actor)
    with pytest.raises(Forbidden):  # the public reads no contract at all
        _contract(world, actor=PUBLIC)
