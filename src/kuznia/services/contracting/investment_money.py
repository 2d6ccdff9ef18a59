"""An investment's money through the money flows of contracts (``money_flows``: the same
records, conversion, checks and log): commitments and disbursements.

* **commitment**: money an investor binds to its investment; the commitments never exceed the
  investment's amount. Paid from a pledge (``pledge_id``, optional: without one it is the
  investor's own money), the pledge must be fundable, have purpose investment and earmarks that
  hold the investment's project (``capex_payer_problems``, the plan's rule), be in the
  investment's currency, and its free money (amount less every commitment, to contracts and
  investments alike) is never overspent.
* **disbursement**: paid out under a commitment (``money_flows.disburse``), never more than it.

Flows are in the investment's currency (another currency is converted once at the planning
rates, as for contracts). Who: the investor (an investment it may change) or the coordinator;
a pledge's money only with its partner's or the coordinator's say (the investor's own fund).
Locks the pledge row, then the investment row (the order of contracts), and sums under them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import FlowKind, MoneyFlow
from kuznia.errors import Conflict, Forbidden, InvalidInput, PreconditionFailed
from kuznia.money import Money
from kuznia.services.access.policy import Viewer, columns_of
from kuznia.services.contracting.investment_reading import check_investor, get_investment
from kuznia.services.contracting.money_flows import (
    FlowRequest,
    add_flow,
    check_pledge_free,
    flow_page,
    flows_where,
    record_flow,
    sum_flows,
)
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.locking import locked, write_lock
from kuznia.services.kernel.paging import Page
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.lifecycle import PledgeAction, check_pledge
from kuznia.services.registries.project_rules import (
    InvestmentTerms,
    capex_payer_problems,
    project_line,
)


def _paying_pledge(uow: UnitOfWork, pledge_id: str, investment: db.Investment) -> db.Pledge:
    """The pledge row, locked, if it may pay this investment's commitment."""
    pledge = locked(uow.session, db.Pledge, pledge_id)
    actor = uow.actor
    if pledge is None or not Viewer(actor).may("pledges", columns_of(pledge)):
        raise InvalidInput.single("pledge_id", f"no pledge {pledge_id!r}")
    if actor.role is not Role.COORDINATOR and actor.partner_id != pledge.partner_id:
        raise Forbidden("pledge_id: only its partner or the coordinator commits a pledge's money")
    check_pledge(pledge, PledgeAction.FUND, actor)
    project = (
        uow.session.get(db.CapacityProject, investment.target_project_id)
        if investment.target_project_id
        else None
    )
    if project is None:
        raise InvalidInput.single(
            "pledge_id", f"investment {investment.id} names no project: a pledge pays projects"
        )
    reasons = capex_payer_problems(
        InvestmentTerms.of_row(pledge), project_line(uow.session, project)
    )
    if reasons:
        raise InvalidInput.single(
            "pledge_id",
            f"pledge {pledge.id} may not pay project {project.id}: {'; '.join(reasons)}",
        )
    if pledge.currency != investment.currency:
        raise InvalidInput.single(
            "pledge_id",
            f"pledge {pledge.id} is in {pledge.currency}, investment {investment.id} in "
            f"{investment.currency}",
        )
    return pledge


def _check_version(investment: db.Investment, expected: int | None) -> None:
    if expected is not None and investment.version != expected:
        raise PreconditionFailed(
            f"investment {investment.id} is at version {investment.version}, not {expected}: "
            "read it again and retry"
        )


def commit_to_investment(
    uow: UnitOfWork,
    investment_id: str,
    request: FlowRequest,
    *,
    pledge_id: str | None = None,
    expected_version: int | None = None,
) -> MoneyFlow:
    """Commit money to an investment, unless that would overspend it (or its pledge)."""
    session = uow.session
    write_lock(session)
    investment = get_investment(session, uow.actor, investment_id)
    check_investor(uow.actor, investment)
    pledge = _paying_pledge(uow, pledge_id, investment) if pledge_id else None
    investment = locked(session, db.Investment, investment_id) or investment
    _check_version(investment, expected_version)
    flow = record_flow(
        uow,
        FlowKind.COMMITMENT,
        request,
        investment_id=investment.id,
        pledge_id=pledge.id if pledge is not None else None,
        currency=investment.currency,
    )
    if pledge is not None:
        check_pledge_free(session, pledge, flow)
    committed = committed_to_investment(session, investment.id)
    if committed + flow.amount_cents > investment.amount_cents:
        left = Money(investment.amount_cents - committed, investment.currency)
        raise Conflict(
            f"amount: investment {investment.id} has only {left.display()} left to commit"
        )
    return add_flow(uow, flow)


# --- reading --------------------------------------------------------------------------------


def committed_to_investment(session: Session, investment_id: str) -> int:
    """Cents committed to an investment so far."""
    return sum_flows(
        session, MoneyFlow.investment_id == investment_id, MoneyFlow.kind == FlowKind.COMMITMENT
    )


@dataclass(frozen=True, slots=True)
class InvestmentMoney:
    """An investment's amount and what of it is committed and paid out."""

    investment_id: str
    amount: Money
    committed: Money
    disbursed: Money

    @property
    def left_to_commit(self) -> Money:
        return self.amount - self.committed

    @property
    def left_to_disburse(self) -> Money:
        """Committed but not yet paid out."""
        return self.committed - self.disbursed


def investment_money(session: Session, actor: Actor, investment_id: str) -> InvestmentMoney:
    investment = get_investment(session, actor, investment_id)
    paid = sum_flows(
        session, MoneyFlow.investment_id == investment_id, MoneyFlow.kind == FlowKind.DISBURSEMENT
    )
    currency = investment.currency
    return InvestmentMoney(
        investment.id,
        Money(investment.amount_cents, currency),
        Money(committed_to_investment(session, investment.id), currency),
        Money(paid, currency),
    )


def flows_of_investment(session: Session, actor: Actor, investment_id: str) -> list[MoneyFlow]:
    """Every flow of an investment in the order recorded (commitments, then payments)."""
    get_investment(session, actor, investment_id)
    return flows_where(session, actor, MoneyFlow.investment_id == investment_id)


def list_investment_flows(
    session: Session,
    actor: Actor,
    investment_id: str,
    *,
    kind: FlowKind | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[MoneyFlow]:
    """A page of an investment's flows (optionally of one kind) in commit order."""
    get_investment(session, actor, investment_id)
    of = MoneyFlow.investment_id == investment_id
    return flow_page(session, actor, of, kind, cursor, limit)
