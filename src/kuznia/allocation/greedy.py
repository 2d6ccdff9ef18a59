"""The greedy baseline: what a planner with a spreadsheet does (ALLOCATION.md "Greedy baseline").

Requirements by priority (descending), then due month; each is filled month by month from the
line that can deliver earliest (cheapest unit cost among those, then scenario order) and that a
pledge with money may pay for, until its quantity, the capacity or the money runs out. A line is
opened (its setup paid by eligible pledges valid from that month) the first time it is used and
never produces before that month; pledges are drawn in order of expiry. Lines left below their
minimum lot at the end are cancelled (their money is refunded, not re-spent).

Money only ever decreases, which the bookkeeping uses without changing any decision: a pledge
that cannot pay one unit of a line never can again, and a setup that could not be paid in some
month cannot be paid later either until another pledge's window opens.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from kuznia.allocation.problem import IntArray, Problem

NEVER = 1 << 62  # a month no window reaches


@dataclass
class Greedy:
    """The baseline plan in index form (lines, months, pledges, requirements)."""

    produced: IntArray  # (L, T)
    funding: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (p, l, m) -> units
    setup: dict[tuple[int, int], int] = field(default_factory=dict)  # (p, l) -> cents
    deliveries: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (r, l, m) -> units

    def value(self, p: Problem) -> float:
        return float(sum(n * p.value[r, m] for (r, _, m), n in sorted(self.deliveries.items())))

    def spend(self, p: Problem) -> int:
        units = sum(n * int(p.unit_cost[line]) for (_, line, _), n in self.funding.items())
        return units + sum(self.setup.values())


def greedy_plan(p: Problem) -> Greedy:
    """Run the baseline on a problem; always returns a valid plan (possibly empty)."""
    state = _State(p)
    order = sorted(range(len(p.requirement_ids)), key=lambda r: (-p.priority[r], p.due[r], r))
    for r in order:
        state.fill(r)
    state.cancel_short_lines()
    return state.plan


def _cells(p: Problem) -> list[tuple[IntArray, IntArray]]:
    """Per capability, the cells (lines, months) that may ever produce, in the order they are
    tried: earliest arrival first, then cheapest, then scenario order, then month."""
    months = np.arange(p.horizon)
    ok = (p.capacity > 0) & (months[None, :] + p.ship_lag[:, None] < p.horizon) & p.fundable
    line, m = np.nonzero(ok)
    order = np.lexsort((m, line, p.unit_cost[line], m + p.ship_lag[line]))
    line, m = line[order], m[order]
    by_cap = np.argsort(p.line_capability[line], kind="stable")
    line, m = line[by_cap], m[by_cap]
    bounds = np.searchsorted(p.line_capability[line], np.arange(len(p.capability_ids) + 1))
    return [(line[lo:hi], m[lo:hi]) for lo, hi in itertools.pairwise(bounds.tolist())]


def _payers(p: Problem, order: IntArray) -> list[list[int]]:
    """Per line, the pledges eligible for it, in ``order``."""
    line, at = np.nonzero(p.eligible[:, order])
    pledges = order[at].tolist()
    bounds = np.cumsum(np.bincount(line, minlength=len(p.line_ids))).tolist()
    return [pledges[lo:hi] for lo, hi in itertools.pairwise([0, *bounds])]


class _State:
    def __init__(self, p: Problem) -> None:
        self.p = p
        self.cells = _cells(p)
        self.spare = p.capacity.copy()
        self.money: list[int] = p.budget.tolist()
        self.opened = np.full(len(p.line_ids), -1, dtype=np.int64)  # first month, -1 if closed
        # no setup can be paid before this month (see _open)
        self.setup_from = np.zeros(len(p.line_ids), dtype=np.int64)
        self.dead = np.zeros(len(p.line_ids), dtype=bool)  # no eligible pledge can pay a unit
        self.broke = np.zeros(p.capacity.shape, dtype=bool)  # no pledge valid in m can
        self.plan = Greedy(produced=np.zeros_like(p.capacity))
        self.valid: list[list[bool]] = p.valid.tolist()
        self.valid_from: list[int] = p.valid_from.tolist()
        self.unit_cost: list[int] = p.unit_cost.tolist()
        self.ship_lag: list[int] = p.ship_lag.tolist()
        self.payers = _payers(p, np.lexsort((np.arange(len(p.pledge_ids)), p.valid_to)))
        self.by_start = _payers(p, np.lexsort((np.arange(len(p.pledge_ids)), p.valid_from)))
        # payers that may still pay one unit of the line, in expiry order (a superset: those
        # found short of a unit are dropped, see _payers_in and _can_pay)
        self.rich = [list(payers) for payers in self.payers]

    def fill(self, r: int) -> None:
        p = self.p
        need = int(p.quantity[r])
        dead, opened, setup_from = self.dead, self.opened, self.setup_from
        for line, m in self._candidates(int(p.req_capability[r])):
            if dead[line] or m < opened[line] or (opened[line] < 0 and m < setup_from[line]):
                continue
            need -= self._produce(line, m, need, r)
            if need == 0:
                return

    def _candidates(self, capability: int) -> list[tuple[int, int]]:
        """Cells (line, month) that may produce now, earliest arrival first, then cheapest."""
        line, m = self.cells[capability]
        opened = self.opened[line]
        usable = (self.spare[line, m] > 0) & ~self.dead[line] & ~self.broke[line, m]
        usable &= (m >= opened) & ((opened >= 0) | (m >= self.setup_from[line]))
        return list(zip(line[usable].tolist(), m[usable].tolist(), strict=True))

    def _produce(self, line: int, m: int, need: int, r: int) -> int:
        if self.opened[line] < 0 and not self._open(line, m):
            return 0
        uc = self.unit_cost[line]
        want = min(need, int(self.spare[line, m]))
        got = 0
        money = self.money
        for q in self._payers_in(line, m, uc):
            if got == want:
                break
            k = want - got if uc == 0 else min(want - got, money[q] // uc)
            if k > 0:
                money[q] -= k * uc
                key = (q, line, m)
                self.plan.funding[key] = self.plan.funding.get(key, 0) + k
                got += k
        if got < want:  # every payer valid in m is short of a unit: for good
            self.broke[line, m] = True
        if uc and not self._can_pay(line, uc):
            self.dead[line] = True
        if got:
            self.spare[line, m] -= got
            self.plan.produced[line, m] += got
            dkey = (r, line, m + self.ship_lag[line])
            self.plan.deliveries[dkey] = self.plan.deliveries.get(dkey, 0) + got
        return got

    def _payers_in(self, line: int, m: int, uc: int) -> list[int]:
        """The line's payers valid in month m, in expiry order; with a unit cost, only those with
        money for a unit (the others would pay nothing), the others dropped for good."""
        valid = self.valid
        if not uc:
            return [q for q in self.payers[line] if valid[q][m]]
        money = self.money
        rich = [q for q in self.rich[line] if money[q] >= uc]
        self.rich[line] = rich
        return [q for q in rich if valid[q][m]]

    def _can_pay(self, line: int, uc: int) -> bool:
        """Some payer of the line has money for one unit. Payers found short are dropped for
        good (money only decreases)."""
        rich, money = self.rich[line], self.money
        short = 0
        while short < len(rich) and money[rich[short]] < uc:
            short += 1
        del rich[:short]
        return bool(rich)

    def _open(self, line: int, m: int) -> bool:
        """Pay the setup from payers valid from month m, in expiry order. If they cannot, no
        setup is tried again before the month in which the line's payers valid from then have
        enough money now (``setup_from``): money only shrinks."""
        need = int(self.p.setup_cost[line])
        money, valid_from = self.money, self.valid_from
        if need:
            enough, have = NEVER, 0
            for q in self.by_start[line]:
                have += money[q]
                if have >= need:
                    enough = valid_from[q]
                    break
            if enough > m:
                self.setup_from[line] = enough
                return False
        for q in self.payers[line]:
            if need == 0:
                break
            if valid_from[q] <= m and money[q] > 0:
                c = min(need, money[q])
                money[q] -= c
                self.plan.setup[(q, line)] = c
                need -= c
        self.opened[line] = m
        return True

    def cancel_short_lines(self) -> None:
        p, g = self.p, self.plan
        totals = g.produced.sum(axis=1)
        short = np.nonzero((totals > 0) & (totals < p.min_lot))[0]
        g.produced[short] = 0
        cancelled = set(short.tolist())
        g.funding = {k: v for k, v in g.funding.items() if k[1] not in cancelled}
        g.deliveries = {k: v for k, v in g.deliveries.items() if k[1] not in cancelled}
        # a line opened but never producing keeps no setup rows (nothing to pay for)
        producing = totals > 0
        g.setup = {k: v for k, v in g.setup.items() if k[1] not in cancelled and producing[k[1]]}


def greedy_summary(p: Problem) -> tuple[float, int]:
    """(value, spend in cents) of the baseline."""
    plan = greedy_plan(p)
    return plan.value(p), plan.spend(p)
