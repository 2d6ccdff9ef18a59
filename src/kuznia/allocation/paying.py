"""Paying whole units in exact cents: each pledge's purse, and the units' side of a rounding
pass (``rounding.py``): each x column's units paid from its pool's money columns, first as the
solver's split allows, then from money no split reserves, then from any money left.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import IntArray


class Funding(NamedTuple):
    """Units of a line in a month that one pledge pays for, and their cents."""

    pledge: int
    line: int
    month: int
    units: int
    cents: int


class SetupPayment(NamedTuple):
    """Cents of a line's setup that one pledge pays."""

    pledge: int
    line: int
    cents: int


class Purse:
    """Cents left per pledge, and how much of it the solver's split still reserves for others.

    Each payment first uses its own guided allowance; a shortfall is then taken from money no
    allowance reserves (``free``), and only last from reserved money, so a repair in one place
    does not starve another. The hot loops below read and write the two lists directly."""

    def __init__(self, budget: IntArray, reserved: IntArray) -> None:
        self.left: list[int] = budget.tolist()
        self.reserved: list[int] = reserved.tolist()

    def pay(self, q: int, cents: int, *, guided: bool) -> None:
        self.left[q] -= cents
        if guided:
            self.reserved[q] = max(0, self.reserved[q] - cents)

    def refund(self, q: int, cents: int, *, guided: bool) -> None:
        self.left[q] += cents
        if guided:
            self.reserved[q] += cents


def groups(keys: IntArray, n: int) -> list[list[int]]:
    """Indices of ``keys`` per value 0..n-1, each in increasing order."""
    order = np.argsort(keys, kind="stable")
    bounds = [0, *np.cumsum(np.bincount(keys, minlength=n)).tolist()]
    flat = order.tolist()
    return [flat[lo:hi] for lo, hi in itertools.pairwise(bounds)]


def pay_units(
    form: Formulation, units: IntArray, closed: set[int], purse: Purse, f_allow: IntArray
) -> tuple[list[Funding], IntArray]:
    """Units of each x column in column order: first from the pool's money columns that carry
    an allowance, then from free money, then from any money left; what is left is unpaid."""
    on = np.nonzero(units > 0)[0]
    payer = UnitPayer(form, purse, f_allow)
    unpaid = np.zeros(len(units), dtype=np.int64)
    line_of = form.x_line[on]
    columns = zip(
        on.tolist(),
        line_of.tolist(),
        form.x_month[on].tolist(),
        units[on].tolist(),
        form.problem.unit_cost[line_of].tolist(),
        form.x_pool[on].tolist(),
        strict=True,
    )
    for i, line, month, n, uc, pool in columns:
        if line in closed:
            continue
        rest = payer.guided(n, line, month, uc, pool)
        if rest:
            unpaid[i] = payer.unguided(rest, line, month, uc, pool)
    cost: list[int] = form.problem.unit_cost.tolist()
    rows = [Funding(q, ln, m, k, k * cost[ln]) for (q, ln, m), k in payer.paid.items()]
    return rows, unpaid


class UnitPayer:
    """The units' side of a pass: each pool's money columns (all, and those with an allowance,
    in column order), what is left of each allowance, and units paid per (pledge, line, month)
    in the order they were first paid."""

    def __init__(self, form: Formulation, purse: Purse, f_allow: IntArray) -> None:
        n_pools = int(max(form.f_pool.max(initial=-1), form.x_pool.max(initial=-1))) + 1
        self.pool_cols = groups(form.f_pool, n_pools)
        with_allow = np.nonzero(f_allow > 0)[0]
        self.guided_cols = [
            with_allow[cols].tolist() for cols in groups(form.f_pool[with_allow], n_pools)
        ]
        self.allow: list[int] = f_allow.tolist()
        self.pledge_of: list[int] = form.f_pledge.tolist()
        self.purse = purse
        self.paid: dict[tuple[int, int, int], int] = {}

    def guided(self, n: int, line: int, month: int, uc: int, pool: int) -> int:
        """Pay from the pool's allowances (each within its pledge's money); units left."""
        allow, pledge_of, paid = self.allow, self.pledge_of, self.paid
        left, reserved = self.purse.left, self.purse.reserved
        step = uc or 1  # unit costs are never negative
        for c in self.guided_cols[pool]:
            if n == 0:
                break
            a = allow[c]
            if a < step:
                continue  # spent below one unit of this line
            q = pledge_of[c]
            if uc == 0:
                k = n
            else:
                k = (a if a < left[q] else left[q]) // uc
                k = k if k < n else n
            if k > 0:
                key = (q, line, month)
                paid[key] = paid.get(key, 0) + k
                cents = k * uc
                left[q] -= cents
                free = reserved[q] - cents
                reserved[q] = free if free > 0 else 0
                allow[c] = a - cents
                n -= k
        return n

    def unguided(self, n: int, line: int, month: int, uc: int, pool: int) -> int:
        """Units the allowances did not cover: from free money, then from any; units left.
        Without a unit cost, the pool's first pledge takes them all."""
        cols, pledge_of, paid = self.pool_cols[pool], self.pledge_of, self.paid
        if uc == 0:
            if cols:
                key = (pledge_of[cols[0]], line, month)
                paid[key] = paid.get(key, 0) + n
                return 0
            return n
        left, reserved = self.purse.left, self.purse.reserved
        for stage in (1, 2):
            for c in cols:
                q = pledge_of[c]
                money = left[q] - reserved[q] if stage == 1 else left[q]
                if money < uc:
                    continue  # pays nothing
                k = money // uc
                k = k if k < n else n
                key = (q, line, month)
                paid[key] = paid.get(key, 0) + k
                left[q] -= k * uc
                n -= k
                if n == 0:
                    return 0
        return n
