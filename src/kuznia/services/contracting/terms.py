"""The rules a contract's terms keep, on every path that sets them (drawing one by hand or from
a plan, amending one): numbers within the bounds of ``scenario.bounds``, months and dates in the
mechanism's window, a schedule that adds up, and a payer eligible for the line in every month
it is due (``registries.rules.payer_problems``, the plan's own rule)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import Contract
from kuznia.errors import InvalidInput, Problem
from kuznia.money import Money
from kuznia.months import check_month
from kuznia.scenario.bounds import (
    MAX_AMOUNT_CENTS,
    MAX_UNITS,
    date_in_window,
    month_in_window,
)
from kuznia.services.registries.rules import PledgeTerms, contract_line, payer_problems

DATED_TERMS = ("offtake_until", "export_licence_expiry")


def schedule_problems(schedule: Mapping[str, int], units: int) -> list[Problem]:
    """Every month a month in the window, with 1 to MAX_UNITS units due; the months add up to
    the contract's units (that sum checked only when every month is right)."""
    problems = []
    for month, count in schedule.items():
        try:
            month_in_window(check_month(month))
        except ValueError as error:
            problems.append(Problem(f"schedule.{month}", str(error)))
        if not 1 <= count <= MAX_UNITS:
            problems.append(
                Problem(f"schedule.{month}", f"units due must be 1 to {MAX_UNITS:,}, not {count}")
            )
    if not problems and sum(schedule.values()) != units:
        message = f"the schedule sums to {sum(schedule.values())} units, the contract has {units}"
        problems.append(Problem("schedule", message))
    return problems


def _number_problems(contract: Contract) -> list[Problem]:
    problems = []
    if not 1 <= contract.units <= MAX_UNITS:
        problems.append(
            Problem("units", f"a contract is for 1 to {MAX_UNITS:,} units, not {contract.units}")
        )
    if not 0 <= contract.amount_cents <= MAX_AMOUNT_CENTS:
        top = Money(MAX_AMOUNT_CENTS, contract.currency).display()
        asked = Money(contract.amount_cents, contract.currency).display()
        problems.append(Problem("amount", f"a contract is for 0 to {top}, not {asked}"))
    for name in DATED_TERMS:
        value: date | None = getattr(contract, name)
        if value is not None:
            try:
                date_in_window(value)
            except ValueError as error:
                problems.append(Problem(name, str(error)))
    return problems


def payer_problems_of(session: Session, contract: Contract, months: list[str]) -> list[Problem]:
    """The contract's pledge may pay for its line in every month it is due."""
    pledge = session.get(db.Pledge, contract.pledge_id)
    if pledge is None:
        return [Problem("pledge_id", f"no pledge {contract.pledge_id!r}")]
    line = contract_line(
        session, contract.company_id, contract.capability_id, contract.proposal_id, months
    )
    reasons = payer_problems(PledgeTerms.of_row(pledge), line)
    if not reasons:
        return []
    return [
        Problem("pledge_id", f"pledge {pledge.id} may not pay for this line: {'; '.join(reasons)}")
    ]


def check_terms(session: Session, contract: Contract, schedule: Mapping[str, int]) -> None:
    """Every rule of a contract's terms, all reported at once: the numbers, the schedule, and
    (for a schedule whose months are right) the payer in each month it is due."""
    problems = _number_problems(contract) + schedule_problems(schedule, contract.units)
    if not any(p.path.startswith("schedule.") for p in problems):
        problems += payer_problems_of(session, contract, list(schedule))
    if problems:
        raise InvalidInput.of(problems, f"the terms of contract {contract.id} are not valid")


# --- facts: what already happened --------------------------------------------------------


def today() -> date:
    """The day in UTC: a fact (a delivery, a payment) is dated on or before it."""
    return datetime.now(UTC).date()


def check_happened(field: str, day: date) -> None:
    """``day`` is in the window and not after today: facts are recorded, not foretold."""
    try:
        date_in_window(day)
    except ValueError as error:
        raise InvalidInput.single(field, str(error)) from None
    if day > today():
        raise InvalidInput.single(
            field, f"{day.isoformat()} is in the future (today is {today().isoformat()})"
        )
