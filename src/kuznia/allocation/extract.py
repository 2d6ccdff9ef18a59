"""The plan file's rows from the integer results: production, funding, setup, deliveries and
unmet needs, in the order the plan format keeps them.

The many rows (national: ~100,000) are validated in bulk by pydantic-core from plain dicts, with
the garbage collector paused: they hold no reference cycles, and otherwise their allocation
alone would set off collections over the whole heap.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from operator import itemgetter

import numpy as np
from pydantic import TypeAdapter

from kuznia.allocation.deliveries import Delivery
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.paying import Funding, SetupPayment
from kuznia.allocation.problem import Problem
from kuznia.allocation.rounding import Payments
from kuznia.allocation.unmet import Unmet, unmet_needs
from kuznia.money import format_cents
from kuznia.scenario.plan import (
    DeliveryRow,
    FundingRow,
    ProductionRow,
    SetupRow,
    UnmetAction,
    UnmetRow,
)

_PRODUCTION = TypeAdapter(tuple[ProductionRow, ...])
_FUNDING = TypeAdapter(tuple[FundingRow, ...])
_DELIVERIES = TypeAdapter(tuple[DeliveryRow, ...])


def plan_rows(
    p: Problem, form: Formulation, money: Payments, deliveries: list[Delivery]
) -> dict[str, tuple[object, ...]]:
    """The rows of the plan file, each block in its canonical order."""
    units, funding, setup = money.units, money.funding, money.setup
    on = np.nonzero(units > 0)[0]
    produced = np.zeros_like(p.capacity)
    produced[form.x_line[on], form.x_month[on]] = units[on]
    per_req = [0] * len(p.requirement_ids)
    for d in deliveries:
        per_req[d.requirement] += d.units
    delivered = np.array(per_req, dtype=np.int64)
    with _collector_paused():
        return {
            "production": _production(p, form.x_line[on], form.x_month[on], units[on]),
            "funding": _funding(p, funding),
            "setup": _setup(p, setup),
            "deliveries": _deliveries(p, deliveries),
            "unmet": tuple(
                _unmet_row(p, u)
                for u in unmet_needs(p, produced, delivered, money.spent(len(p.pledge_ids)))
            ),
        }


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _production(
    p: Problem, line: np.ndarray, month: np.ndarray, units: np.ndarray
) -> tuple[ProductionRow, ...]:
    """Rows by (line, month)."""
    order = np.lexsort((units, month, line))
    ln, mo = p.line_ids, p.months
    return _PRODUCTION.validate_python([
        {"proposal": ln[l_], "month": mo[m], "units": n}
        for l_, m, n in zip(
            line[order].tolist(), month[order].tolist(), units[order].tolist(), strict=True
        )
    ])  # fmt: skip


def _unmet_row(p: Problem, u: Unmet) -> UnmetRow:
    action = UnmetAction(
        limit=u.limit,
        pledges=tuple(p.pledge_ids[q] for q in u.pledges),
        lines=tuple(p.line_ids[line] for line in u.lines),
        extra_money=format_cents(u.extra_cents) if u.extra_cents is not None else None,
        extra_capacity=u.extra_capacity,
    )
    return UnmetRow(
        requirement=p.requirement_ids[u.requirement], units=u.units, reason=u.reason, action=action
    )


def _funding(p: Problem, funding: list[Funding]) -> tuple[FundingRow, ...]:
    """Rows by (line, month, pledge); amounts exact from cents."""
    pl, ln, mo = p.pledge_ids, p.line_ids, p.months
    exact = Decimal
    return _FUNDING.validate_python([
        {"pledge": pl[q], "proposal": ln[l_], "month": mo[m], "units": n,
         "amount": exact(c).scaleb(-2)}
        for q, l_, m, n, c in sorted(funding, key=itemgetter(1, 2, 0))
    ])  # fmt: skip


def _setup(p: Problem, setup: list[SetupPayment]) -> tuple[SetupRow, ...]:
    """One row per (line, pledge), by line then pledge."""
    merged: dict[tuple[int, int], int] = defaultdict(int)
    for q, line, cents in setup:
        merged[(line, q)] += cents
    return tuple(
        SetupRow(pledge=p.pledge_ids[q], proposal=p.line_ids[l_], amount=format_cents(c))
        for (l_, q), c in sorted(merged.items())
    )


def _deliveries(p: Problem, deliveries: list[Delivery]) -> tuple[DeliveryRow, ...]:
    """Rows by (requirement, line, month)."""
    rq, ln, mo = p.requirement_ids, p.line_ids, p.months
    return _DELIVERIES.validate_python([
        {"requirement": rq[r], "proposal": ln[l_], "month": mo[m], "units": n}
        for r, l_, m, n in sorted(deliveries)
    ])  # fmt: skip
