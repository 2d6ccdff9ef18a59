"""The greedy baseline: what a planner with a spreadsheet does (ALLOCATION.md "Greedy baseline").

Requirements by priority (descending), then due month; each is filled month by month from the
line that can deliver earliest (cheapest unit cost among those, then scenario order) and that a
pledge with money may pay for, until its quantity, the capacity or the money runs out. A line is
opened (its setup paid by eligible pledges valid from that month) the first time it is used and
never produces before that month; pledges are drawn in order of expiry. Lines left below their
minimum lot at the end are cancelled (their money is refunded, not re-spent).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kuznia.allocation.problem import IntArray, Problem


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


class _State:
    def __init__(self, p: Problem) -> None:
        self.p = p
        months = np.arange(p.horizon)
        self.ok = (
            (p.capacity > 0) & (months[None, :] + p.ship_lag[:, None] < p.horizon) & p.fundable
        )
        self.spare = p.capacity.copy()
        self.money = [int(b) for b in p.budget]
        self.opened = np.full(len(p.line_ids), -1, dtype=np.int64)  # first month, -1 if closed
        self.no_setup_until = np.full(len(p.line_ids), -1, dtype=np.int64)
        self.dead = np.zeros(len(p.line_ids), dtype=bool)  # no eligible pledge can pay a unit
        self.plan = Greedy(produced=np.zeros_like(p.capacity))
        expiry = sorted(range(len(p.pledge_ids)), key=lambda q: (p.valid_to[q], q))
        self.payers = [
            [q for q in expiry if p.eligible[line, q]] for line in range(len(p.line_ids))
        ]

    def fill(self, r: int) -> None:
        p = self.p
        need = int(p.quantity[r])
        lines = np.nonzero((p.line_capability == p.req_capability[r]) & ~self.dead)[0]
        for line, m in self._candidates(lines):
            if self.dead[line] or m < self.opened[line] or m <= self.no_setup_until[line]:
                continue
            need -= self._produce(line, m, need, r)
            if need == 0:
                return

    def _candidates(self, lines: IntArray) -> list[tuple[int, int]]:
        """Cells (line, month) that may produce, earliest arrival first, then cheapest."""
        p = self.p
        months = np.arange(p.horizon)[None, :]
        usable = self.ok[lines] & (self.spare[lines] > 0) & (months >= self.opened[lines][:, None])
        li, m = np.nonzero(usable)
        line = lines[li]
        order = np.lexsort((m, line, p.unit_cost[line], m + p.ship_lag[line]))
        return list(zip(line[order].tolist(), m[order].tolist(), strict=True))

    def _produce(self, line: int, m: int, need: int, r: int) -> int:
        p = self.p
        if self.opened[line] < 0 and not self._open(line, m):
            self.no_setup_until[line] = m  # more pledges may start later; money only shrinks
            return 0
        uc = int(p.unit_cost[line])
        want = min(need, int(self.spare[line, m]))
        got = 0
        for q in self.payers[line]:
            if got == want:
                break
            if not p.valid[q, m]:
                continue
            k = want - got if uc == 0 else min(want - got, self.money[q] // uc)
            if k > 0:
                self.money[q] -= k * uc
                key = (q, line, m)
                self.plan.funding[key] = self.plan.funding.get(key, 0) + k
                got += k
        if uc and max((self.money[q] for q in self.payers[line]), default=0) < uc:
            self.dead[line] = True
        if got:
            self.spare[line, m] -= got
            self.plan.produced[line, m] += got
            dkey = (r, line, m + int(p.ship_lag[line]))
            self.plan.deliveries[dkey] = self.plan.deliveries.get(dkey, 0) + got
        return got

    def _open(self, line: int, m: int) -> bool:
        p = self.p
        need = int(p.setup_cost[line])
        payers = [q for q in self.payers[line] if p.valid_from[q] <= m]
        if sum(self.money[q] for q in payers) < need:
            return False
        for q in payers:
            c = min(need, self.money[q])
            if c > 0:
                self.money[q] -= c
                self.plan.setup[(q, line)] = c
                need -= c
        self.opened[line] = m
        return True

    def cancel_short_lines(self) -> None:
        p, g = self.p, self.plan
        totals = g.produced.sum(axis=1)
        for line in np.nonzero((totals > 0) & (totals < p.min_lot))[0]:
            g.produced[line] = 0
            g.funding = {k: v for k, v in g.funding.items() if k[1] != line}
            g.deliveries = {k: v for k, v in g.deliveries.items() if k[1] != line}
            g.setup = {k: v for k, v in g.setup.items() if k[1] != line}
        # a line opened but never producing keeps no setup rows (nothing to pay for)
        g.setup = {k: v for k, v in g.setup.items() if totals[k[1]] > 0}


def greedy_summary(p: Problem) -> tuple[float, int]:
    """(value, spend in cents) of the baseline."""
    plan = greedy_plan(p)
    return plan.value(p), plan.spend(p)
