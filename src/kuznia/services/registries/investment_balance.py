"""The mutual-investment balance: per pair of countries, how much investment flows each way,
by instrument (equity, loan, grant), in the planning frame's base currency: the amounts the
investments state, and of them what is committed and what is paid out (their money flows,
``services/contracting/investment_money``).

It is computed from the investments the viewer may read (the access policy's rows), so a
company sees the balance of its own investments, the ministry and auditors the whole of it.
The sum of each currency is converted once at the planning rates (``round_half_even(x * rate,
2)``); the totals are exact integer cents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import FlowKind, MoneyFlow
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
    committed: tuple[Money, Money]
    """Committed first to second, and second to first."""
    disbursed: tuple[Money, Money]
    """Paid out first to second, and second to first."""

    @property
    def net(self) -> Money:
        """Positive when ``first`` invests more in ``second`` than it receives from it."""
        return Money(
            self.first_to_second.cents - self.second_to_first.cents, self.first_to_second.currency
        )


Key = tuple[str, str, str]
FLOW_SLOTS = {FlowKind.COMMITMENT: 3, FlowKind.DISBURSEMENT: 5}
"""Where each kind of flow adds up in an entry: [out, back, count, committed out, committed
back, disbursed out, disbursed back]."""


def _stated(viewer: Viewer) -> Any:
    i = db.Investment
    return (
        select(i.from_country, i.to_country, i.instrument, i.currency,
               func.sum(i.amount_cents), func.count())
        .where(viewer.condition("investments"))
        .group_by(i.from_country, i.to_country, i.instrument, i.currency)
    )  # fmt: skip


def _flowed(viewer: Viewer) -> Any:
    i, f = db.Investment, MoneyFlow
    return (
        select(i.from_country, i.to_country, i.instrument, f.currency, f.kind,
               func.sum(f.amount_cents))
        .select_from(f)
        .join(i, i.id == f.investment_id)
        .where(viewer.condition("investments"), f.kind.in_(tuple(FLOW_SLOTS)))
        .group_by(i.from_country, i.to_country, i.instrument, f.currency, f.kind)
    )  # fmt: skip


def investment_balance(session: Session, viewer: Viewer) -> list[BalanceRow]:
    """The balance of every pair of countries with investment between them, by instrument,
    sorted by pair then instrument."""
    rates = planning_rates(session)
    flows: dict[Key, list[int]] = defaultdict(lambda: [0] * 7)

    def entry(source: str, target: str, instrument: str) -> tuple[list[int], int]:
        """The pair's entry, and 0 if ``source`` is its first country (1 if its second)."""
        first, second = sorted((source, target))
        return flows[(first, second, instrument)], 0 if source == first else 1

    for source, target, instrument, currency, cents, count in session.execute(_stated(viewer)):
        values, way = entry(source, target, instrument)
        values[way] += rates.to_base(Money(int(cents), currency)).cents
        values[2] += int(count)
    for source, target, instrument, currency, kind, cents in session.execute(_flowed(viewer)):
        values, way = entry(source, target, instrument)
        values[FLOW_SLOTS[FlowKind(kind)] + way] += rates.to_base(Money(int(cents), currency)).cents

    def m(cents: int) -> Money:
        return Money(cents, rates.base)

    return [
        BalanceRow(a, b, kind, m(e[0]), m(e[1]), e[2], (m(e[3]), m(e[4])), (m(e[5]), m(e[6])))
        for (a, b, kind), e in sorted(flows.items())
    ]
