"""Check a plan against its scenario: the validity rules of ALLOCATION.md (1-6, and 7-9 of
capacity projects in ``projects.py``), the value, the totals. Written from the contract alone,
with plain loops and dictionaries, sharing no code with the optimizer (only the file models,
money and month helpers), so one cannot hide the other's bug.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from kuznia.money import FxRates, Money, round_cents
from kuznia.months import month_index
from kuznia.plancheck.projects import check_unbuilt, rule7_builds, rule7_capex
from kuznia.scenario.eligibility import PRODUCTION, eligible, serves, valid_in
from kuznia.scenario.io import scenario_sha256
from kuznia.scenario.model import Proposal, Scenario
from kuznia.scenario.plan import Plan

VALUE_TOLERANCE = 1e-6  # relative; value is a float sum


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule (1-9 as numbered in ALLOCATION.md; 0 for totals and bookkeeping)."""

    rule: int
    path: str
    message: str

    def __str__(self) -> str:
        label = f"rule {self.rule}" if self.rule else "totals"
        return f"[{label}] {self.path}: {self.message}"


def capacity(line: Proposal, m: int) -> int:
    """``floor(monthly_capacity * min(1, (m - lead + 1) / ramp_up))`` for m >= lead, else 0."""
    if m < line.lead_time_months:
        return 0
    steps = min(m - line.lead_time_months + 1, line.ramp_up_months)
    return line.monthly_capacity * steps // line.ramp_up_months


class _Checker:
    def __init__(self, s: Scenario, plan: Plan) -> None:
        self.s, self.plan = s, plan
        self.fx = FxRates.parse(s.base_currency, dict(s.fx_rates))
        self.lines: dict[str, Proposal] = {p.id: p for p in s.proposals}
        self.pledges = {g.id: g for g in s.pledges}
        self.reqs = {r.id: r for r in s.requirements}
        self.out: list[Violation] = []
        self.produced: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def bad(self, rule: int, path: str, message: str) -> None:
        self.out.append(Violation(rule, path, message))

    def base_cents(self, amount: Decimal, currency: str) -> int:
        return self.fx.to_base(Money(round_cents(amount), currency)).cents

    def month(self, text: str) -> int:
        return month_index(self.s.start_month, text)

    def rule1_production(self) -> None:
        for i, row in enumerate(self.plan.production):
            path = f"production[{i}]"
            line = self.lines.get(row.proposal)
            if line is None:
                self.bad(1, f"{path}.proposal", f"unknown proposal {row.proposal!r}")
                continue
            m = self.month(row.month)
            if not 0 <= m < self.s.horizon_months:
                self.bad(1, f"{path}.month", f"{row.month} is outside the horizon")
            self.produced[row.proposal][m] += row.units
        for lid, months in self.produced.items():
            for m, units in months.items():
                if units > capacity(self.lines[lid], m):
                    cap = capacity(self.lines[lid], m)
                    self.bad(1, f"production[{lid}@{m}]", f"{units} units exceed capacity {cap}")

    def rule2_funding(self) -> dict[str, int]:
        spent: dict[str, int] = defaultdict(int)
        paid: dict[tuple[str, int], int] = defaultdict(int)
        for i, row in enumerate(self.plan.funding):
            path = f"funding[{i}]"
            line, pledge = self.lines.get(row.proposal), self.pledges.get(row.pledge)
            if line is None or pledge is None:
                self.bad(2, path, "unknown proposal or pledge")
                continue
            m = self.month(row.month)
            paid[(row.proposal, m)] += row.units
            if not eligible(pledge, line):
                self.bad(2, f"{path}.pledge", f"{pledge.id} may not pay for {line.id} (earmarks)")
            if not serves(pledge, PRODUCTION):
                self.bad(8, f"{path}.pledge", f"{pledge.id} is not for production")
            if not valid_in(pledge, row.month):
                self.bad(2, f"{path}.month", f"{pledge.id} is not valid in {row.month}")
            cents = row.units * self.base_cents(line.unit_cost, line.currency)
            if round_cents(row.amount) != cents:
                self.bad(
                    2, f"{path}.amount", f"should be units * to_base(unit_cost) = {cents / 100:.2f}"
                )
            spent[pledge.id] += round_cents(row.amount)
        for lid, months in self.produced.items():
            for m, units in months.items():
                if paid.pop((lid, m), 0) != units:
                    self.bad(2, f"funding[{lid}@{m}]", f"funded units differ from {units} produced")
        for (lid, m), units in paid.items():
            if units:
                self.bad(2, f"funding[{lid}@{m}]", f"{units} units funded but not produced")
        return spent

    def rule3_setup(self, spent: dict[str, int]) -> None:
        setup: dict[str, int] = defaultdict(int)
        for i, row in enumerate(self.plan.setup):
            line, pledge = self.lines.get(row.proposal), self.pledges.get(row.pledge)
            if line is None or pledge is None:
                self.bad(3, f"setup[{i}]", "unknown proposal or pledge")
                continue
            first = min(self.produced[line.id], default=None) if line.id in self.produced else None
            if not eligible(pledge, line):
                self.bad(3, f"setup[{i}].pledge", f"{pledge.id} may not pay for {line.id}")
            if not serves(pledge, PRODUCTION):
                self.bad(8, f"setup[{i}].pledge", f"{pledge.id} is not for production")
            if first is not None and self.month(pledge.valid_from) > first:
                self.bad(3, f"setup[{i}].pledge", f"{pledge.id} starts after the first production")
            setup[line.id] += round_cents(row.amount)
            spent[pledge.id] += round_cents(row.amount)
        for lid, months in self.produced.items():
            line = self.lines[lid]
            need = self.base_cents(line.setup_cost, line.currency)
            if sum(months.values()) > 0 and need > 0 and setup.get(lid, 0) != need:
                self.bad(
                    3,
                    f"setup[{lid}]",
                    f"setup rows sum to {setup.get(lid, 0) / 100:.2f}, "
                    f"the setup cost is {need / 100:.2f}",
                )

    def rule4_budgets(self, spent: dict[str, int], capex: set[str]) -> None:
        """Rule 4; rule 9 where the pledge pays capex too."""
        for pid, cents in spent.items():
            g = self.pledges[pid]
            budget = self.base_cents(g.amount, g.currency)
            if cents > budget:
                rule = 9 if pid in capex else 4
                self.bad(rule, f"pledges[{pid}]", f"spends {cents / 100:.2f} of {budget / 100:.2f}")

    def rule5_lots(self) -> None:
        for lid, months in self.produced.items():
            total = sum(months.values())
            if 0 < total < self.lines[lid].min_total_units:
                self.bad(
                    5,
                    f"production[{lid}]",
                    f"{total} units, below the minimum lot {self.lines[lid].min_total_units}",
                )

    def rule6_deliveries(self) -> float:
        value = 0.0
        got: dict[str, int] = defaultdict(int)
        shipped: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for i, row in enumerate(self.plan.deliveries):
            path = f"deliveries[{i}]"
            req, line = self.reqs.get(row.requirement), self.lines.get(row.proposal)
            if req is None or line is None:
                self.bad(6, path, "unknown requirement or proposal")
                continue
            m = self.month(row.month)
            if line.capability != req.capability:
                self.bad(
                    6, path, f"{line.id} makes {line.capability}, {req.id} needs {req.capability}"
                )
            if not 0 <= m < self.s.horizon_months:
                self.bad(6, f"{path}.month", f"{row.month} is outside the horizon")
                continue
            got[req.id] += row.units
            shipped[line.id][m] += row.units
            late = max(0, m - self.month(req.due_month))
            value += row.units * req.priority * self.s.lateness_decay**late
        for rid, units in got.items():
            if units > self.reqs[rid].quantity:
                self.bad(
                    6,
                    f"requirements[{rid}]",
                    f"{units} delivered, {self.reqs[rid].quantity} needed",
                )
        for lid, months in shipped.items():
            self._shipping(lid, months)
        self.delivered = got
        return value

    def _shipping(self, lid: str, months: dict[int, int]) -> None:
        lag = self.lines[lid].ship_lag_months
        made = self.produced.get(lid, {})
        delivered = produced = 0
        for m in range(self.s.horizon_months):
            delivered += months.get(m, 0)
            produced += made.get(m - lag, 0)
            if delivered > produced:
                self.bad(
                    6,
                    f"deliveries[{lid}@{m}]",
                    f"{delivered} units delivered by month {m}, "
                    f"only {produced} produced by month {m - lag}",
                )
                return


def check_plan(s: Scenario, plan: Plan, scenario_bytes: bytes | None = None) -> list[Violation]:
    """Every violation of the validity rules, the value, the spend and the unmet rows."""
    c = _Checker(s, plan)
    if scenario_bytes is not None and scenario_sha256(scenario_bytes) != plan.scenario_sha256:
        c.bad(0, "scenario_sha256", "the plan was made for a different scenario file")
    starts = rule7_builds(c)
    c.rule1_production()
    spent = c.rule2_funding()
    c.rule3_setup(spent)
    rule7_capex(c, starts, spent)
    c.rule4_budgets(spent, {row.pledge for row in c.plan.capex or ()})
    c.rule5_lots()
    value = c.rule6_deliveries()
    if not math.isclose(value, plan.value, rel_tol=VALUE_TOLERANCE, abs_tol=1e-6):
        c.bad(0, "value", f"recomputed value {value!r} differs from {plan.value!r}")
    total = sum(round_cents(r.amount) for r in plan.funding)
    total += sum(round_cents(r.amount) for r in plan.setup)
    total += sum(round_cents(r.amount) for r in plan.capex or ())
    if total != round_cents(plan.total_spend):
        c.bad(0, "total_spend", f"funding, setup and capex rows sum to {total / 100:.2f}")
    _check_unmet(c)
    check_unbuilt(c, starts)
    return c.out


def _check_unmet(c: _Checker) -> None:
    listed = {row.requirement: row.units for row in c.plan.unmet}
    for r in c.s.requirements:
        missing = r.quantity - c.delivered.get(r.id, 0)
        if missing > 0 and listed.get(r.id) != missing:
            c.bad(0, f"unmet[{r.id}]", f"{missing} units missing, unmet says {listed.get(r.id)}")
        if missing <= 0 and r.id in listed:
            c.bad(0, f"unmet[{r.id}]", "listed as unmet but fully delivered")


def recompute_value(s: Scenario, plan: Plan) -> float:
    """The plan's value from its deliveries alone."""
    c = _Checker(s, plan)
    rule7_builds(c)
    return c.rule6_deliveries()
