"""What the contract pages and the overview read from contracts, money flows and deliveries.
Visibility is the access policy's (``access.rules``); aggregates (delivered units per capability,
money committed and disbursed per partner) carry no contract detail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import Contract, ContractStatus, Delivery, FlowKind, MoneyFlow
from kuznia.errors import Forbidden
from kuznia.money import Money
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.fx import planning_rates
from kuznia.services.registries.browse import Name, names_of


@dataclass(frozen=True, slots=True)
class ContractLine:
    id: str
    title: str
    status: ContractStatus
    partner_id: str
    company_id: str
    capability_id: str
    units: int
    amount: Money
    committed: Money
    disbursed: Money
    delivered_units: int
    proposal_id: str | None = None
    pledge_id: str | None = None


def _sums_by_contract(session: Session, ids: list[str]) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(MoneyFlow.contract_id, MoneyFlow.kind, func.sum(MoneyFlow.amount_cents))
        .where(MoneyFlow.contract_id.in_(ids))
        .group_by(MoneyFlow.contract_id, MoneyFlow.kind)
    )
    return {(str(c), k): int(v) for c, k, v in rows}


def _accepted_by_contract(session: Session, ids: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(Delivery.contract_id, func.sum(Delivery.accepted_units))
        .where(Delivery.contract_id.in_(ids))
        .group_by(Delivery.contract_id)
    )
    return {c: int(v or 0) for c, v in rows}


def contract_lines(session: Session, actor: Actor) -> list[ContractLine]:
    """The contracts ``actor`` may read, newest first, with money and deliveries so far."""
    readable = Viewer(actor).condition("contracts")
    rows = list(
        session.scalars(
            select(Contract).where(readable).order_by(Contract.created_at.desc(), Contract.id)
        )
    )
    ids = [c.id for c in rows]
    flows = _sums_by_contract(session, ids)
    accepted = _accepted_by_contract(session, ids)
    return [
        ContractLine(
            c.id, c.title, c.status, c.partner_id, c.company_id, c.capability_id, c.units,
            Money(c.amount_cents, c.currency),
            Money(flows.get((c.id, FlowKind.COMMITMENT), 0), c.currency),
            Money(flows.get((c.id, FlowKind.DISBURSEMENT), 0), c.currency),
            accepted.get(c.id, 0), c.proposal_id, c.pledge_id,
        )
        for c in rows
    ]  # fmt: skip


def delivered_by_capability(session: Session) -> dict[str, int]:
    """Accepted units per capability over every contract: an aggregate anyone may see."""
    rows = session.execute(
        select(Contract.capability_id, func.sum(Delivery.accepted_units))
        .join(Delivery, Delivery.contract_id == Contract.id)
        .group_by(Contract.capability_id)
    )
    return {c: int(v or 0) for c, v in rows}


def flows_by_partner(session: Session) -> dict[str, tuple[int, int]]:
    """Partner -> (committed, disbursed) in base-currency cents at the planning rates; the
    caller folds partners the viewer may not name (``aggregates.money_by_partner``)."""
    rates = planning_rates(session)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(
        select(Contract.partner_id, MoneyFlow.kind, MoneyFlow.currency,
               func.sum(MoneyFlow.amount_cents))
        .join(Contract, Contract.id == MoneyFlow.contract_id)
        .where(MoneyFlow.kind.in_((FlowKind.COMMITMENT, FlowKind.DISBURSEMENT)))
        .group_by(Contract.partner_id, MoneyFlow.kind, MoneyFlow.currency)
    )  # fmt: skip
    for partner, kind, currency, cents in rows:
        base = rates.to_base(Money(int(cents), currency)).cents
        sums[partner][0 if kind is FlowKind.COMMITMENT else 1] += base
    return {p: (v[0], v[1]) for p, v in sums.items()}


# --- names of the parties -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """A production line (proposal) as a contract page names it: its site, else its company
    and the site's country."""

    site_id: str | None
    site_country: str
    company_id: str


@dataclass(frozen=True, slots=True)
class PartyNames:
    """The names of the records contracts refer to that the reader may read, by registry and
    id (``record_view``'s rule: a record it may not read keeps its id only); the lines and
    pledges it may read, with the site and partner that name them."""

    names: dict[str, dict[str, Name]] = field(default_factory=dict)
    lines: dict[str, Line] = field(default_factory=dict)
    pledge_partners: dict[str, str] = field(default_factory=dict)

    def of(self, entity: str) -> dict[str, Name]:
        return self.names.get(entity, {})


@dataclass(frozen=True, slots=True)
class Wanted:
    """The ids a page shows, by what they name."""

    partners: set[str] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)
    capabilities: set[str] = field(default_factory=set)
    proposals: set[str] = field(default_factory=set)
    pledges: set[str] = field(default_factory=set)

    def add(self, contract: Contract | ContractLine) -> Wanted:
        self.partners.add(contract.partner_id)
        self.companies.add(contract.company_id)
        self.capabilities.add(contract.capability_id)
        self.proposals.update([contract.proposal_id] if contract.proposal_id else [])
        self.pledges.update([contract.pledge_id] if contract.pledge_id else [])
        return self


def _readable(
    session: Session,
    actor: Actor,
    model: type[db.Proposal] | type[db.Pledge],
    ids: Iterable[str],
    *columns: object,
) -> list[tuple[object, ...]]:
    """``columns`` of the rows of ``model`` with ``ids`` that ``actor`` may read."""
    wanted = sorted(set(ids))
    try:
        condition = Viewer(actor).condition(model.__tablename__)
    except Forbidden:  # a role that reads none of them names none
        return []
    if not wanted:
        return []
    stmt = select(model.id, *columns).where(condition, model.id.in_(wanted))
    return [tuple(row) for row in session.execute(stmt)]


def party_names(session: Session, actor: Actor, wanted: Wanted) -> PartyNames:
    """The names ``actor`` may read of what ``wanted`` lists: partners, companies, capabilities,
    the lines' sites, the pledges' partners."""
    lines = {
        str(i): Line(None if site is None else str(site), str(country), str(company))
        for i, site, country, company in _readable(
            session, actor, db.Proposal, wanted.proposals,
            db.Proposal.site_id, db.Proposal.site_country, db.Proposal.company_id)
    }  # fmt: skip
    pledges = {
        str(i): str(partner)
        for i, partner in _readable(session, actor, db.Pledge, wanted.pledges,
                                    db.Pledge.partner_id)
    }  # fmt: skip
    ids = {
        "partners": wanted.partners | set(pledges.values()),
        "companies": wanted.companies | {line.company_id for line in lines.values()},
        "capabilities": wanted.capabilities,
        "sites": {line.site_id for line in lines.values() if line.site_id},
    }
    names = {entity: names_of(session, actor, entity, found) for entity, found in ids.items()}
    return PartyNames(names, lines, pledges)


# --- the transparency log ---------------------------------------------------------------------
