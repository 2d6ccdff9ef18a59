"""The greedy baseline's bookkeeping (pruned payers, skipped setups and cells) changes no
decision: it builds exactly the plan of a plain reading of ALLOCATION.md's greedy, kept here."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings

from kuznia.allocation.greedy import Greedy, greedy_plan, greedy_summary
from kuznia.allocation.problem import Problem, build_problem
from kuznia.scenario.model import Scenario
from tests.support.factory import random_scenarios


class _Plain:
    """The baseline as first written: every candidate cell tried, every payer looked at."""

    def __init__(self, p: Problem) -> None:
        self.p = p
        months = np.arange(p.horizon)
        self.ok = (
            (p.capacity > 0) & (months[None, :] + p.ship_lag[:, None] < p.horizon) & p.fundable
        )
        self.spare = p.capacity.copy()
        self.money = [int(b) for b in p.budget]
        self.opened = np.full(len(p.line_ids), -1)
        self.no_setup_until = np.full(len(p.line_ids), -1)
        self.dead = np.zeros(len(p.line_ids), dtype=bool)
        self.plan = Greedy(produced=np.zeros_like(p.capacity))
        expiry = sorted(range(len(p.pledge_ids)), key=lambda q: (p.valid_to[q], q))
        self.payers = [[q for q in expiry if p.eligible[ln, q]] for ln in range(len(p.line_ids))]

    def run(self) -> Greedy:
        p = self.p
        for r in sorted(range(len(p.requirement_ids)), key=lambda r: (-p.priority[r], p.due[r], r)):
            self.fill(r)
        totals = self.plan.produced.sum(axis=1)
        g = self.plan
        for line in np.nonzero((totals > 0) & (totals < p.min_lot))[0]:
            g.produced[line] = 0
            g.funding = {k: v for k, v in g.funding.items() if k[1] != line}
            g.deliveries = {k: v for k, v in g.deliveries.items() if k[1] != line}
            g.setup = {k: v for k, v in g.setup.items() if k[1] != line}
        g.setup = {k: v for k, v in g.setup.items() if totals[k[1]] > 0}
        return g

    def fill(self, r: int) -> None:
        p = self.p
        need = int(p.quantity[r])
        lines = np.nonzero((p.line_capability == p.req_capability[r]) & ~self.dead)[0]
        months = np.arange(p.horizon)[None, :]
        usable = self.ok[lines] & (self.spare[lines] > 0) & (months >= self.opened[lines][:, None])
        li, m = np.nonzero(usable)
        line = lines[li]
        order = np.lexsort((m, line, p.unit_cost[line], m + p.ship_lag[line]))
        for ln, mo in zip(line[order].tolist(), m[order].tolist(), strict=True):
            if self.dead[ln] or mo < self.opened[ln] or mo <= self.no_setup_until[ln]:
                continue
            need -= self.produce(ln, mo, need, r)
            if need == 0:
                return

    def produce(self, line: int, m: int, need: int, r: int) -> int:
        p = self.p
        if self.opened[line] < 0 and not self.open(line, m):
            self.no_setup_until[line] = m
            return 0
        uc = int(p.unit_cost[line])
        want, got = min(need, int(self.spare[line, m])), 0
        for q in self.payers[line]:
            if got == want:
                break
            if not p.valid[q, m]:
                continue
            k = want - got if uc == 0 else min(want - got, self.money[q] // uc)
            if k > 0:
                self.money[q] -= k * uc
                self.plan.funding[(q, line, m)] = self.plan.funding.get((q, line, m), 0) + k
                got += k
        if uc and max((self.money[q] for q in self.payers[line]), default=0) < uc:
            self.dead[line] = True
        if got:
            self.spare[line, m] -= got
            self.plan.produced[line, m] += got
            key = (r, line, m + int(p.ship_lag[line]))
            self.plan.deliveries[key] = self.plan.deliveries.get(key, 0) + got
        return got

    def open(self, line: int, m: int) -> bool:
        need = int(self.p.setup_cost[line])
        payers = [q for q in self.payers[line] if self.p.valid_from[q] <= m]
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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenarios(lines=16, needs=10, pledges=6, horizon=10))
def test_the_greedy_baseline_is_the_plain_greedy(s: Scenario) -> None:
    p = build_problem(s)
    fast, plain = greedy_plan(p), _Plain(p).run()
    assert np.array_equal(fast.produced, plain.produced)
    assert list(fast.funding.items()) == list(plain.funding.items())
    assert list(fast.setup.items()) == list(plain.setup.items())
    assert list(fast.deliveries.items()) == list(plain.deliveries.items())
    assert greedy_summary(p) == (plain.value(p), plain.spend(p))
