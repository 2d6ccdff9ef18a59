"""Commitments, disbursements and expenditures; nothing overspent, also under concurrency."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kuznia.db.contracting import MoneyFlow
from kuznia.errors import Conflict, Forbidden, NotFound
from kuznia.money import Money
from kuznia.services.contracting.drafting import create_contract
from kuznia.services.contracting.money_flows import (
    FlowRequest,
    commit_funds,
    disburse,
    flows_of_contract,
    pledge_balance,
    record_expenditure,
)
from tests.integration.contracting.world import (
    AUDITOR,
    COMPANY_1,
    COMPANY_2,
    COORDINATOR,
    DANISH,
    UA_BUDGET,
    fpv_draft,
    load_world,
    shell_draft,
    signed,
)


def eur(amount: str) -> FlowRequest:
    return FlowRequest(Money.parse(amount, "EUR"))


@pytest.fixture
def world(database):
    load_world(database)
    signed(database, fpv_draft(amount="250000.00"), UA_BUDGET)
    return database


def _commit(database, amount: str, actor=UA_BUDGET, contract="contract-1"):
    with database.unit_of_work(actor) as uow:
        return commit_funds(uow, contract, eur(amount)).id


def _balance(database, actor=COORDINATOR):
    with database.reading() as session:
        return pledge_balance(session, actor, "pledge-ua")


def test_a_commitment_takes_its_amount_off_the_pledges_free_balance(world):
    _commit(world, "120000.00")
    balance = _balance(world)
    assert balance.committed == Money.parse("120000.00", "EUR")
    assert balance.free == Money.parse("180000.00", "EUR")


def test_a_commitment_beyond_the_free_balance_is_refused_saying_what_is_free(world):
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft("contract-2"))
    _commit(world, "250000.00")
    with pytest.raises(Conflict, match=r"50,000\.00 EUR free; 50,000\.01 EUR asked"):
        _commit(world, "50000.01", actor=COORDINATOR, contract="contract-1")
    assert _balance(world).free == Money.parse("50000.00", "EUR")


def test_commitments_never_exceed_the_contract_amount(world):
    _commit(world, "200000.00")
    with pytest.raises(Conflict, match=r"50,000\.00 EUR left to commit"):
        _commit(world, "60000.00")


def test_only_a_signed_contract_receives_commitments(world):
    with world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, fpv_draft("contract-2"))
    with pytest.raises(Conflict, match="is draft"):
        _commit(world, "10.00", actor=COORDINATOR, contract="contract-2")


def test_only_the_paying_partner_or_the_coordinator_commits(world):
    with pytest.raises(NotFound):  # another partner does not even see the contract
        _commit(world, "10.00", actor=DANISH)
    with pytest.raises(Forbidden):
        _commit(world, "10.00", actor=COMPANY_1)


def test_a_disbursement_never_exceeds_its_commitment_nor_spending_what_was_paid(world):
    commitment = _commit(world, "100000.00")
    with world.unit_of_work(UA_BUDGET) as uow:
        disburse(uow, commitment, eur("60000.00"))
    with (
        pytest.raises(Conflict, match=r"40,000\.00 EUR left to disburse"),
        world.unit_of_work(UA_BUDGET) as uow,
    ):
        disburse(uow, commitment, eur("40000.01"))
    with world.unit_of_work(COMPANY_1) as uow:
        record_expenditure(uow, commitment, eur("59000.00"))
    with (
        pytest.raises(Conflict, match=r"1,000\.00 EUR disbursed"),
        world.unit_of_work(COMPANY_1) as uow,
    ):
        record_expenditure(uow, commitment, eur("1000.01"))
    with pytest.raises(NotFound), world.unit_of_work(COMPANY_2) as uow:  # not its contract
        record_expenditure(uow, commitment, eur("1.00"))
    balance = _balance(world, AUDITOR)
    assert (balance.disbursed, balance.spent) == (
        Money.parse("60000.00", "EUR"),
        Money.parse("59000.00", "EUR"),
    )
    with world.reading() as session:
        kinds = [f.kind for f in flows_of_contract(session, COMPANY_1, "contract-1")]
    assert sorted(kinds) == ["commitment", "disbursement", "expenditure"]


def test_an_amount_in_another_currency_is_converted_at_the_planning_rates_and_kept(world):
    signed(world, shell_draft(), DANISH)
    with world.unit_of_work(DANISH) as uow:
        flow = commit_funds(uow, "contract-dk", FlowRequest(Money.parse("100000.00", "EUR")))
        # 100,000 EUR / 0.134 EUR per DKK = 746,268.656... DKK
        assert Money(flow.amount_cents, flow.currency) == Money.parse("746268.66", "DKK")
        assert (flow.original_amount_cents, flow.original_currency) == (10_000_000, "EUR")
        assert Decimal(flow.fx_rate) == Decimal(1) / Decimal("0.134")


def test_fifty_concurrent_commitments_never_overspend_the_pledge_nor_lose_an_accepted_one(
    world,
):
    """Each thread is its own unit of work; the pledge (300,000.00 EUR, the contract's amount:
    a draft never exceeds its pledge's free money) fits about half."""
    signed(world, fpv_draft("contract-big", amount="300000.00"), UA_BUDGET)
    amounts = [Money.parse(f"{11000 + 137 * i}.{i:02d}", "EUR") for i in range(50)]
    accepted: dict[str, Money] = {}
    refused: list[Money] = []
    failures: list[BaseException] = []
    start = threading.Barrier(50)

    def request(amount: Money) -> None:
        start.wait()
        try:
            with world.unit_of_work(UA_BUDGET) as uow:
                flow = commit_funds(uow, "contract-big", FlowRequest(amount))
            accepted[flow.id] = amount
        except Conflict:
            refused.append(amount)
        except BaseException as error:  # pragma: no cover - shown by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=request, args=(a,)) for a in amounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(accepted) + len(refused) == 50
    assert refused, "the pledge is too large for this test to mean anything"
    pledge = Money.parse("300000.00", "EUR")
    with world.reading() as session:
        rows = dict(
            session.execute(
                select(MoneyFlow.id, MoneyFlow.amount_cents).where(MoneyFlow.kind == "commitment")
            ).all()
        )
        total = session.scalar(select(func.sum(MoneyFlow.amount_cents)))
    assert rows == {flow_id: amount.cents for flow_id, amount in accepted.items()}
    assert total <= pledge.cents
    assert all(total + amount.cents > pledge.cents for amount in refused)
    assert _balance(world).free == Money(pledge.cents - total, "EUR")
