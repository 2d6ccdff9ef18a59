"""An investment's commitments and disbursements through the money flows of contracts: never
more committed than the investment, never more paid than committed, a pledge's free money never
overspent across contracts and investments, and every refusal naming its field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kuznia.db.contracting import FlowKind, MoneyFlow
from kuznia.db.transparency import LedgerLeaf
from kuznia.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from kuznia.money import Money
from kuznia.services.contracting.investment_money import (
    commit_to_investment,
    flows_of_investment,
    investment_money,
)
from kuznia.services.contracting.money_flows import (
    FlowRequest,
    commit_funds,
    disburse,
    pledge_balance,
    record_expenditure,
)
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries import records
from tests.factories import OPEN_UNTIL
from tests.integration.contracting.world import (
    AUDITOR,
    COMPANY_1,
    COMPANY_2,
    COORDINATOR,
    DANISH,
    load_world,
    shell_draft,
    signed,
)

SYSTEM = Actor.system("test")


def eur(amount: str) -> FlowRequest:
    return FlowRequest(Money.parse(amount, "EUR"))


def _create(database, entity: str, data: dict) -> None:
    with database.unit_of_work(SYSTEM) as uow:
        records.create_record(uow, entity, data)


@pytest.fixture
def world(database):
    """co-ua-2 (UA) lends 250,000.00 EUR to its plant project in Denmark; Denmark's pledge of
    300,000.00 EUR pays both production and investment, and a signed contract draws on it."""
    load_world(database)
    _create(database, "capacity_projects", {
        "id": "proj-dk", "company_id": "co-ua-2", "site_country": "DK",
        "capability_id": "shell-155", "capex_cents": 90_000_000, "currency": "EUR",
        "earliest_start": "2026-03", "build_months": 6, "unit_cost_cents": 400_000,
        "monthly_capacity": 50, "ramp_up_months": 2, "offtake_until": "2030-12",
        "offtake_share_percent": 100,
    })  # fmt: skip
    _create(database, "investments", {
        "id": "inv-1", "investor_company_id": "co-ua-2", "target_project_id": "proj-dk",
        "from_country": "UA", "to_country": "DK", "instrument": "loan",
        "amount_cents": 25_000_000, "currency": "EUR", "month": "2026-02",
    })  # fmt: skip
    _create(database, "pledges", {
        "id": "pledge-both", "partner_id": "dk", "amount_cents": 30_000_000, "currency": "EUR",
        "valid_from": "2026-01", "valid_to": OPEN_UNTIL, "purposes": ["production", "investment"],
    })  # fmt: skip
    amount = Money.parse("200000.00", "EUR")
    signed(database, shell_draft(pledge_id="pledge-both", amount=amount), DANISH)
    return database


def _commit(database, amount: str, actor: Actor = COMPANY_2, **options) -> str:
    with database.unit_of_work(actor) as uow:
        return commit_to_investment(uow, "inv-1", eur(amount), **options).id


def _money(database, actor: Actor = COORDINATOR):
    with database.reading() as session:
        return investment_money(session, actor, "inv-1")


def test_the_investor_commits_and_pays_its_own_money_and_the_balance_says_so(world):
    commitment = _commit(world, "100000.00")
    with world.unit_of_work(COMPANY_2) as uow:
        paid = disburse(uow, commitment, eur("40000.00"))
    assert (paid.investment_id, paid.contract_id, paid.pledge_id) == ("inv-1", None, None)
    money = _money(world)
    assert (money.committed, money.disbursed) == (Money(10_000_000, "EUR"), Money(4_000_000, "EUR"))
    assert money.left_to_commit == Money(15_000_000, "EUR")
    assert money.left_to_disburse == Money(6_000_000, "EUR")
    with world.reading() as session:
        kinds = [f.kind for f in flows_of_investment(session, COMPANY_2, "inv-1")]
    assert kinds == [FlowKind.COMMITMENT, FlowKind.DISBURSEMENT]


def test_commitments_never_exceed_the_investment_nor_payments_their_commitment(world):
    commitment = _commit(world, "200000.00")
    with pytest.raises(Conflict, match=r"amount: investment inv-1 has only 50,000.00 EUR left"):
        _commit(world, "50000.01")
    with world.unit_of_work(COMPANY_2) as uow:
        disburse(uow, commitment, eur("150000.00"))
    with pytest.raises(Conflict, match="left to disburse"), world.unit_of_work(COMPANY_2) as uow:
        disburse(uow, commitment, eur("50000.01"))
    assert _money(world).disbursed == Money(15_000_000, "EUR")


def test_a_pledges_free_money_is_never_overspent_across_contracts_and_investments(world):
    with world.unit_of_work(DANISH) as uow:
        commit_funds(uow, "contract-dk", eur("200000.00"))
    with pytest.raises(Conflict, match=r"pledge pledge-both has 100,000\.00 EUR free"):
        _commit(world, "100000.01", COORDINATOR, pledge_id="pledge-both")
    _commit(world, "100000.00", COORDINATOR, pledge_id="pledge-both")
    with world.reading() as session:
        balance = pledge_balance(session, DANISH, "pledge-both")
    assert balance.free == Money(0, "EUR")
    with pytest.raises(Conflict, match=r"0\.00 EUR free"), world.unit_of_work(DANISH) as uow:
        commit_funds(uow, "contract-dk", eur("0.01"))


def test_a_pledge_pays_an_investment_only_for_investment_in_its_currency_with_its_partner(world):
    with pytest.raises(InvalidInput, match="not investment") as production:
        _commit(world, "10.00", COORDINATOR, pledge_id="pledge-ua")
    assert production.value.problems[0].path == "pledge_id"
    _create(world, "pledges", {
        "id": "pledge-dkk", "partner_id": "dk", "amount_cents": 10_000_000, "currency": "DKK",
        "valid_from": "2026-01", "valid_to": OPEN_UNTIL, "purposes": ["investment"],
    })  # fmt: skip
    with pytest.raises(InvalidInput, match="pledge pledge-dkk is in DKK, investment inv-1 in EUR"):
        _commit(world, "10.00", COORDINATOR, pledge_id="pledge-dkk")
    with pytest.raises(InvalidInput, match="no pledge 'pledge-both'"):  # a firm reads no pledges
        _commit(world, "10.00", COMPANY_2, pledge_id="pledge-both")


def test_only_the_investor_and_the_coordinator_commit_and_others_do_not_see_it(world):
    with pytest.raises(NotFound):
        _commit(world, "10.00", COMPANY_1)
    with pytest.raises(Forbidden):
        _commit(world, "10.00", AUDITOR)
    commitment = _commit(world, "10.00", COORDINATOR)
    with pytest.raises(NotFound), world.unit_of_work(COMPANY_1) as uow:
        disburse(uow, commitment, eur("1.00"))
    with pytest.raises(InvalidInput, match="commitment_id"), world.unit_of_work(COORDINATOR) as uow:
        record_expenditure(uow, commitment, eur("1.00"))


def test_a_partner_sees_the_investment_flows_its_pledge_pays_and_no_others(world):
    _commit(world, "10.00", COMPANY_2)
    _commit(world, "20.00", COORDINATOR, pledge_id="pledge-both")
    with world.reading() as session:
        from kuznia.services.access.policy import Viewer

        seen = session.scalars(
            select(MoneyFlow.amount_cents).where(
                MoneyFlow.investment_id == "inv-1",
                Viewer.of(session, DANISH).condition("money_flows"),
            )
        ).all()
    assert seen == [2000]


def test_another_currency_is_converted_once_and_one_without_a_rate_is_refused(world):
    with world.unit_of_work(COMPANY_2) as uow:
        flow = commit_to_investment(uow, "inv-1", FlowRequest(Money.parse("1000.00", "DKK")))
    assert (flow.amount_cents, flow.currency, flow.original_currency) == (13_400, "EUR", "DKK")
    with pytest.raises(InvalidInput) as no_rate, world.unit_of_work(COMPANY_2) as uow:
        commit_to_investment(uow, "inv-1", FlowRequest(Money.parse("1000", "JPY")))
    assert no_rate.value.problems[0].path == "currency"


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    with pytest.raises(PreconditionFailed, match="version 1, not 7"):
        _commit(world, "10.00", expected_version=7)
    _commit(world, "10.00", expected_version=1)
    with world.reading() as session:
        assert session.scalar(select(func.count()).select_from(MoneyFlow)) == 1


def test_an_investment_never_answers_for_less_than_is_committed_to_it(world):
    _commit(world, "100000.00")
    with (
        pytest.raises(Conflict, match=r"100,000\.00 EUR committed"),
        world.unit_of_work(COMPANY_2) as uow,
    ):
        records.update_record(uow, "investments", "inv-1", {"amount_cents": 9_999_999}, None)
    with pytest.raises(Conflict, match="cannot become USD"), world.unit_of_work(SYSTEM) as uow:
        records.update_record(uow, "investments", "inv-1", {"currency": "USD"}, None)
    with world.unit_of_work(COMPANY_2) as uow:
        records.update_record(uow, "investments", "inv-1", {"amount_cents": 10_000_000}, None)


def test_each_flow_is_in_the_log(world):
    commitment = _commit(world, "10.00")
    with world.reading() as session:
        leaves = session.scalars(
            select(LedgerLeaf.record_id).where(LedgerLeaf.entity == "money_flows")
        ).all()
    assert commitment in leaves


def test_concurrent_commitments_to_contracts_and_investments_never_overspend_their_pledge(world):
    """Thirty units of work at once, half to the contract and half to the investment, all from
    Denmark's 300,000.00 EUR pledge: no deadlock, nothing lost, nothing overspent."""
    import threading

    amounts = [Money.parse(f"{14000 + 97 * i}.{i:02d}", "EUR") for i in range(30)]
    accepted: list[int] = []
    failures: list[BaseException] = []
    start = threading.Barrier(len(amounts))

    def request(n: int, amount: Money) -> None:
        start.wait()
        try:
            with world.unit_of_work(COORDINATOR) as uow:
                if n % 2:
                    commit_funds(uow, "contract-dk", FlowRequest(amount))
                else:
                    commit_to_investment(uow, "inv-1", FlowRequest(amount), pledge_id="pledge-both")
            accepted.append(amount.cents)
        except Conflict:
            pass
        except BaseException as error:  # pragma: no cover - shown by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=request, args=(n, a)) for n, a in enumerate(amounts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with world.reading() as session:
        total = session.scalar(
            select(func.sum(MoneyFlow.amount_cents)).where(MoneyFlow.pledge_id == "pledge-both")
        )
    assert total == sum(accepted)
    assert sum(accepted) <= 30_000_000
    assert len(accepted) < len(amounts), "the pledge is too large for this test to mean anything"
    assert _money(world).committed.cents <= 25_000_000
