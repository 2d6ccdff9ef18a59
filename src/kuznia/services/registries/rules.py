"""The mechanism's rules on registry records that reach beyond one row, stated once.

* **kinds**: a proposal's ``kind`` is what its company and site countries make it
  (:func:`kuznia.scenario.kinds.kind_of`); a kind not given is derived, a wrong one refused.
* **projects and investments**: in ``project_rules.py`` (a project's kind by
  :func:`kind_problems`, its site by :func:`site_problems`).
* **money**: a pledge's amount, currency, earmarks, validity and status cannot change so that
  the money committed from it, or the contracts it pays, become overspent or ineligible
  (:func:`pledge_change_problems`, naming the amounts and contracts).
* **eligibility**: a contract's payer must be eligible for its line in its months
  (:func:`payer_problems`), by the plan's own rule (:mod:`kuznia.scenario.eligibility`).

Every path that writes these records calls these functions: the registry use cases
(``records.py``: API, web forms, CLI), scenario and spreadsheet import, drawing and amending
contracts. They read the contracting tables (never its services), since the rule protects the
pledge. Each problem is ``(field, message)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import Contract, ContractScheduleRow, ContractStatus, FlowKind, MoneyFlow
from kuznia.money import Money
from kuznia.months import add_months
from kuznia.scenario.eligibility import line_problems, months_outside
from kuznia.scenario.kinds import UKRAINE, ProposalKind, kind_of, offtake_problems

FieldProblem = tuple[str, str]
LIVE_CONTRACTS = (
    ContractStatus.DRAFT,
    ContractStatus.SIGNED,
    ContractStatus.IN_PRODUCTION,
    ContractStatus.COMPLETED,
)
"""Contracts a pledge answers for (all but terminated ones)."""
OPEN_CONTRACTS = (ContractStatus.DRAFT, ContractStatus.SIGNED, ContractStatus.IN_PRODUCTION)
"""Contracts still to be paid: a pledge paying one is not withdrawn."""
SIGNED_CONTRACTS = (ContractStatus.SIGNED, ContractStatus.IN_PRODUCTION, ContractStatus.COMPLETED)


def is_ukrainian(company: db.Company) -> bool:
    return company.country == UKRAINE or bool(company.ukrainian)


# --- kinds and investments ---------------------------------------------------------------


def derived_kind(session: Session, doc: Mapping[str, Any]) -> ProposalKind | None:
    """The kind a proposal's company and site country make it (None if the company is unknown)."""
    company = session.get(db.Company, doc.get("company_id"))
    if company is None or not doc.get("site_country"):
        return None
    return kind_of(is_ukrainian(company), str(doc["site_country"]))


def kind_problems(session: Session, doc: Mapping[str, Any]) -> list[FieldProblem]:
    """A declared kind its countries contradict; a line abroad without its offtake terms."""
    derived = derived_kind(session, doc)
    declared = doc.get("kind")
    kind = ProposalKind(declared) if declared is not None else derived
    offtake = [] if kind is None else list(offtake_problems(
        kind, doc.get("offtake_until"), doc.get("offtake_share_percent")
    ))  # fmt: skip
    if derived is None or declared is None or ProposalKind(declared) is derived:
        return offtake
    company = session.get(db.Company, doc["company_id"])
    assert company is not None
    who = "a Ukrainian" if is_ukrainian(company) else f"a foreign ({company.country})"
    return [
        (
            "kind",
            f"company {company.id} is {who} firm and the site is in {doc['site_country']}: "
            f"the line is {derived.value}, not {ProposalKind(declared).value}",
        ),
        *offtake,
    ]


def site_problems(
    session: Session, doc: Mapping[str, Any], what: str = "proposal"
) -> list[FieldProblem]:
    """A proposal's (or project's) site belongs to its company and lies in its site country."""
    site = session.get(db.Site, doc["site_id"]) if doc.get("site_id") is not None else None
    if site is None:
        return []
    if site.company_id != doc.get("company_id"):
        return [("site_id", f"the site does not belong to the {what}'s company")]
    if site.country != doc.get("site_country"):
        return [("site_country", f"the site is in {site.country}")]
    return []


# --- eligibility of a contract's payer ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContractLine:
    """What a contract is for, as a pledge's earmarks see it, and the months it is due in."""

    capability: str
    company_country: str
    site_country: str | None
    months: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PledgeTerms:
    """A pledge's earmarks and validity (a row's, or the row as a change would leave it)."""

    id: str
    capabilities: Sequence[str]
    site_countries: Sequence[str]
    company_countries: Sequence[str]
    valid_from: str
    valid_to: str
    purposes: Sequence[str] = (db.PledgePurpose.PRODUCTION,)

    @classmethod
    def of_row(cls, pledge: db.Pledge) -> PledgeTerms:
        return cls(
            pledge.id,
            tuple(pledge.earmark_capabilities or ()),
            tuple(pledge.earmark_site_countries or ()),
            tuple(pledge.earmark_company_countries or ()),
            pledge.valid_from,
            pledge.valid_to,
            tuple(pledge.purposes or (db.PledgePurpose.PRODUCTION,)),
        )

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> PledgeTerms:
        return cls(
            str(doc["id"]),
            tuple(doc.get("earmark_capabilities") or ()),
            tuple(doc.get("earmark_site_countries") or ()),
            tuple(doc.get("earmark_company_countries") or ()),
            str(doc["valid_from"]),
            str(doc["valid_to"]),
            tuple(doc.get("purposes") or (db.PledgePurpose.PRODUCTION,)),
        )


def contract_line(
    session: Session,
    company_id: str,
    capability_id: str,
    proposal_id: str | None,
    months: Sequence[str],
) -> ContractLine:
    """The line of a contract: its proposal's site country if it names one. ``months`` are
    the months units are due (arrival); a pledge pays in the months they are produced, the
    line's shipping lag earlier (as the plan's funding rows)."""
    company = session.get(db.Company, company_id)
    proposal = session.get(db.Proposal, proposal_id) if proposal_id else None
    lag = proposal.ship_lag_months if proposal is not None else 0
    return ContractLine(
        capability_id,
        company.country if company is not None else "",
        proposal.site_country if proposal is not None else None,
        tuple(sorted(add_months(m, -lag) for m in months)),
    )


def payer_problems(pledge: PledgeTerms, line: ContractLine) -> list[str]:
    """Why ``pledge`` may not pay for ``line`` in its months (nothing if it may): only a
    pledge whose purposes include production pays for units (ALLOCATION.md, rule 8)."""
    reasons = line_problems(pledge, line)
    if pledge.site_countries and line.site_country is None:
        reasons.append("the contract names no proposal_id to say where it is made")
    outside = months_outside(pledge, line.months)
    if outside:
        reasons.append(f"valid {pledge.valid_from}..{pledge.valid_to}, not in {', '.join(outside)}")
    return reasons


# --- money: what a pledge answers for ----------------------------------------------------


def _contracts_of(session: Session, pledge_id: str, statuses: Sequence[str]) -> list[Contract]:
    return list(
        session.scalars(
            select(Contract)
            .where(Contract.pledge_id == pledge_id, Contract.status.in_(statuses))
            .order_by(Contract.id)
        )
    )


def _committed(session: Session, pledge_id: str) -> int:
    total = select(func.coalesce(func.sum(MoneyFlow.amount_cents), 0)).where(
        MoneyFlow.pledge_id == pledge_id, MoneyFlow.kind == FlowKind.COMMITMENT
    )
    return int(session.scalar(total) or 0)


def _months_of(session: Session, contract_id: str) -> list[str]:
    return list(
        session.scalars(
            select(ContractScheduleRow.month).where(ContractScheduleRow.contract_id == contract_id)
        )
    )


def _amount_problems(
    session: Session, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[FieldProblem]:
    pledge_id, currency = str(before["id"]), str(before["currency"])
    amount = int(after["amount_cents"])
    committed = _committed(session, pledge_id)
    signed = sum(c.amount_cents for c in _contracts_of(session, pledge_id, SIGNED_CONTRACTS))
    needed = max(committed, signed)
    if amount >= needed:
        return []
    return [
        (
            "amount_cents",
            f"pledge {pledge_id} has {Money(committed, currency).display()} committed and "
            f"{Money(signed, currency).display()} in signed contracts: it cannot be "
            f"{Money(amount, currency).display()} (at least {Money(needed, currency).display()})",
        )
    ]


def _currency_problems(
    session: Session, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[FieldProblem]:
    if after["currency"] == before["currency"]:
        return []
    paying = _contracts_of(session, str(before["id"]), LIVE_CONTRACTS)
    if not paying and not _committed(session, str(before["id"])):
        return []
    names = ", ".join(c.id for c in paying) or "its commitments"
    return [
        (
            "currency",
            f"pledge {before['id']} pays {names} in {before['currency']}: it cannot become "
            f"{after['currency']} (terminate or settle them first)",
        )
    ]


def _eligibility_problems(
    session: Session, after: Mapping[str, Any], field: str
) -> list[FieldProblem]:
    terms = PledgeTerms.of(after)
    problems: list[FieldProblem] = []
    for contract in _contracts_of(session, terms.id, OPEN_CONTRACTS):
        line = contract_line(
            session,
            contract.company_id,
            contract.capability_id,
            contract.proposal_id,
            _months_of(session, contract.id),
        )
        problems.extend(
            (field, f"contract {contract.id} would be ineligible: {reason}")
            for reason in payer_problems(terms, line)
        )
    return problems


def _status_problems(
    session: Session, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[FieldProblem]:
    if after.get("status") != db.PledgeStatus.WITHDRAWN or before.get("status") == after["status"]:
        return []
    paying = _contracts_of(session, str(before["id"]), OPEN_CONTRACTS)
    if not paying:
        return []
    listed = ", ".join(f"{c.id} ({c.status.value})" for c in paying)
    return [
        (
            "status",
            f"pledge {before['id']} pays open contracts {listed}: terminate or complete them "
            "before withdrawing it",
        )
    ]


def pledge_change_problems(
    session: Session, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[FieldProblem]:
    """Why ``before`` (a pledge row's document) may not become ``after``: money committed or
    contracted beyond the new amount, contracts in the old currency, open contracts outside the
    new earmarks or validity, or a withdrawal while contracts are open."""
    problems = _amount_problems(session, before, after)
    problems += _currency_problems(session, before, after)
    problems += _status_problems(session, before, after)
    terms = (
        "earmark_capabilities",
        "earmark_site_countries",
        "earmark_company_countries",
        "purposes",
    )
    changed = [k for k in (*terms, "valid_from", "valid_to") if after.get(k) != before.get(k)]
    if changed:
        problems += _eligibility_problems(session, after, changed[0])
    return problems
