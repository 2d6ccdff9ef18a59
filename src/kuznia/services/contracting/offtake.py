"""A line abroad delivers to Ukraine inside its offtake period: the rule, once.

A Ukrainian firm's line abroad (``scenario.kinds.STATE_OFFTAKE``) states on its proposal until
when and what share of its output goes to Ukraine (``offtake_until``, ``offtake_share_percent``);
its contract states its own ``offtake_until`` at signing. The period runs to the later of the
two. A delivery dated inside it names its ``destination_country``, and goes to Ukraine, except
for the share the proposal leaves to others (units of the contract, counted over every
delivery of the period sent elsewhere).
"""

from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import Contract, Delivery
from kuznia.errors import InvalidInput
from kuznia.scenario.kinds import STATE_OFFTAKE, UKRAINE

FIELD = "destination_country"


def _end_of(month: str) -> date:
    year, mon = (int(part) for part in month.split("-"))
    return date(year, mon, calendar.monthrange(year, mon)[1])


def offtake_period(session: Session, contract: Contract) -> tuple[date, int] | None:
    """The last day of the contract's offtake period and the share (percent) of its units that
    go to Ukraine until then; None when the contract's line states no offtake."""
    if contract.kind not in STATE_OFFTAKE:
        return None
    line = session.get(db.Proposal, contract.proposal_id) if contract.proposal_id else None
    ends = [contract.offtake_until] if contract.offtake_until else []
    if line is not None and line.offtake_until:
        ends.append(_end_of(line.offtake_until))
    if not ends:
        return None
    share = line.offtake_share_percent if line is not None else None
    return max(ends), share or 100


def _sent_elsewhere(session: Session, contract: Contract, end: date) -> int:
    """Units of the contract already delivered inside the period to anywhere but Ukraine."""
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Delivery.units), 0)).where(
                Delivery.contract_id == contract.id,
                Delivery.delivered_on <= end,
                or_(
                    Delivery.destination_country.is_(None), Delivery.destination_country != UKRAINE
                ),
            )
        )
        or 0
    )


def check_offtake(
    session: Session, contract: Contract, on: date, units: int, country: str | None
) -> None:
    """Refuse, naming ``destination_country``, a delivery of a line abroad inside its offtake
    period that does not go to Ukraine beyond the share left to others."""
    period = offtake_period(session, contract)
    if period is None or country == UKRAINE:
        return
    end, share = period
    if on > end:
        return
    allowed = contract.units * (100 - share) // 100
    elsewhere = _sent_elsewhere(session, contract, end)
    if elsewhere + units <= allowed:
        return
    where = country or "a country not stated"
    message = (
        f"contract {contract.id} is for a line abroad whose output goes to Ukraine until "
        f"{end.isoformat()} ({share}%): a delivery on {on.isoformat()} goes to {UKRAINE}, "
        f"not {where}"
    )
    if allowed:
        message += (
            f" ({allowed:,} of {contract.units:,} units may go elsewhere; {elsewhere:,} did "
            f"and {units:,} more would exceed it)"
        )
    raise InvalidInput.single(FIELD, message)
