"""The mutual-investment balance: per pair of countries, how much investment flows each way,
by instrument (equity, loan, grant), in the planning frame's base currency.

It is computed from the investments the viewer may read (the access policy's rows), so a
company sees the balance of its own investments, the ministry and auditors the whole of it.
The sum of each currency is converted once at the planning rates (``round_half_even(x * rate,
2)``); the totals are exact integer cents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.money import Money
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.fx import planning_rates


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """Investment between ``first`` and ``second`` (countries, ``first < second``) of one
    instrument: what flows from first to second, the other way, and the net (first's view)."""

    first: str
    second: str
    instrument: str
    first_to_second: Money
    second_to_first: Money
    investments: int

    @property
    def net(self) -> Money:
        """Positive when ``first`` invests more in ``second`` than it receives from it."""
        return Money(
            self.first_to_second.cents - self.second_to_first.cents, self.first_to_second.currency
        )


def investment_balance(session: Session, viewer: Viewer) -> list[BalanceRow]:
    """The balance of every pair of countries with investment between them, by instrument,
    sorted by pair then instrument."""
    rates = planning_rates(session)
    stmt = (
        select(
            db.Investment.from_country,
            db.Investment.to_country,
            db.Investment.instrument,
            db.Investment.currency,
            func.sum(db.Investment.amount_cents),
            func.count(),
        )
        .where(viewer.condition("investments"))
        .group_by(
            db.Investment.from_country,
            db.Investment.to_country,
            db.Investment.instrument,
            db.Investment.currency,
        )
    )
    flows: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for source, target, instrument, currency, cents, count in session.execute(stmt):
        base = rates.to_base(Money(int(cents), currency)).cents
        first, second = sorted((source, target))
        entry = flows[(first, second, instrument)]
        entry[0 if source == first else 1] += base
        entry[2] += int(count)
    return [
        BalanceRow(a, b, kind, Money(out, rates.base), Money(back, rates.base), count)
        for (a, b, kind), (out, back, count) in sorted(flows.items())
    ]
