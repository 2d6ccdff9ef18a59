"""A plan as a workbook a planner can open and read.

Sheets: ``summary`` (status, value against the greedy baseline, spend, what was met), then
``production``, ``funding`` (production units and one-off setup costs, by pledge), ``deliveries``,
``unmet`` (with the reason in words, the binding limit and what would meet the rest, and the
need's priority against its capability's unit cost), ``marginal values`` (what each pledge
bought, what is left, and the value of one more million) and ``marginal units`` (what that
million would deliver, in units per capability). Every sheet has a formatted, frozen header;
money is in the base currency with two decimals, units are whole numbers with thousands
separators.

Sheets are written in openpyxl's write-only mode, so a national plan (tens of thousands of rows)
is written in seconds; rows are joined with the scenario (company, capability, partner, due
month) so that each sheet can be filtered on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from typing import Any

from openpyxl import Workbook

from kuznia.money import FxRates, Money
from kuznia.months import month_index
from kuznia.scenario.lines import plan_lines
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan, UnmetRow
from kuznia.spreadsheets.plan_labels import LIMITS, REASONS, STATUS_NOTES
from kuznia.spreadsheets.sheet_writer import Col, cell, header_cell, write_sheet
from kuznia.spreadsheets.styles import (
    DECIMAL_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    UNITS_FORMAT,
    workbook_bytes,
)

UNITS, MONEY, NUMBER, PERCENT = UNITS_FORMAT, MONEY_FORMAT, DECIMAL_FORMAT, PERCENT_FORMAT


class _Index:
    """The scenario's records by id, and amounts in the base currency."""

    def __init__(self, scenario: Scenario, plan: Plan) -> None:
        self.scenario = scenario
        self.fx = FxRates.parse(scenario.base_currency, scenario.fx_rates)
        self.proposals = plan_lines(scenario, plan)
        self.pledges = {g.id: g for g in scenario.pledges}
        self.requirements = {r.id: r for r in scenario.requirements}
        self.capabilities = {c.id: c for c in scenario.capabilities}

    def base(self, amount: Decimal, currency: str) -> Decimal:
        return self.fx.to_base(Money.parse(f"{amount:.2f}", currency)).amount

    def unit_name(self, capability: str) -> str:
        found = self.capabilities.get(capability)
        return found.unit if found else ""


def production_sheet(workbook: Workbook, plan: Plan, ix: _Index) -> None:
    rows = []
    unit_costs: dict[str, Decimal] = {}  # a line's unit cost in the base currency, once per line
    for r in plan.production:
        p = ix.proposals.get(r.proposal)
        if p is not None and p.id not in unit_costs:
            unit_costs[p.id] = ix.base(p.unit_cost, p.currency)
        unit_cost = unit_costs[p.id] if p else None
        rows.append(
            [
                r.proposal,
                p.company if p else "",
                p.capability if p else "",
                ix.unit_name(p.capability) if p else "",
                p.site_country if p else "",
                r.month,
                r.units,
                unit_cost,
                unit_cost * r.units if unit_cost is not None else None,
            ]
        )
    base = ix.scenario.base_currency
    columns = [
        Col("proposal"),
        Col("company"),
        Col("capability"),
        Col("unit"),
        Col("site country"),
        Col("month"),
        Col("units", UNITS),
        Col(f"unit cost ({base})", MONEY),
        Col(f"cost ({base})", MONEY),
    ]
    write_sheet(workbook, "production", columns, rows)


def funding_sheet(workbook: Workbook, plan: Plan, ix: _Index) -> None:
    def named(pledge: str, proposal: str) -> list[str]:
        g, p = ix.pledges.get(pledge), ix.proposals.get(proposal)
        return [pledge, g.partner if g else "", proposal, p.company if p else ""]

    rows: list[list[Any]] = [
        [*named(f.pledge, f.proposal), "production", f.month, f.units, f.amount]
        for f in plan.funding
    ]
    rows += [[*named(s.pledge, s.proposal), "setup", "", None, s.amount] for s in plan.setup]
    base = ix.scenario.base_currency
    columns = [
        Col("pledge"),
        Col("partner"),
        Col("proposal"),
        Col("company"),
        Col("pays for"),
        Col("month"),
        Col("units", UNITS),
        Col(f"amount ({base})", MONEY),
    ]
    write_sheet(workbook, "funding", columns, rows)


def deliveries_sheet(workbook: Workbook, plan: Plan, ix: _Index) -> None:
    rows = []
    late_by = cache(lambda due, month: max(0, month_index(due, month)))  # few distinct pairs
    for d in plan.deliveries:
        need = ix.requirements.get(d.requirement)
        late = late_by(need.due_month, d.month) if need else None
        rows.append(
            [
                d.requirement,
                need.capability if need else "",
                need.due_month if need else "",
                d.proposal,
                d.month,
                d.units,
                late,
            ]
        )
    columns = [
        Col("requirement"),
        Col("capability"),
        Col("due month"),
        Col("proposal"),
        Col("arrives"),
        Col("units", UNITS),
        Col("months late", UNITS),
    ]
    write_sheet(workbook, "deliveries", columns, rows)


def unmet_sheet(workbook: Workbook, plan: Plan, ix: _Index) -> None:
    delivered: dict[str, int] = defaultdict(int)
    for d in plan.deliveries:
        delivered[d.requirement] += d.units
    rows = []
    for u in plan.unmet:
        need = ix.requirements.get(u.requirement)
        rows.append(
            [
                u.requirement,
                need.capability if need else "",
                need.due_month if need else "",
                need.priority if need else None,
                need.quantity if need else None,
                delivered[u.requirement],
                u.units,
                u.reason.value,
                REASONS[u.reason],
                *_action_cells(u),
                *_priority_cells(plan, u.requirement),
            ]
        )
    base = ix.scenario.base_currency
    columns = [
        Col("requirement"),
        Col("capability"),
        Col("due month"),
        Col("priority", NUMBER),
        Col("quantity", UNITS),
        Col("delivered", UNITS),
        Col("unmet", UNITS),
        Col("reason"),
        Col("why", width=60),
        Col("binding limit"),
        Col("what binds", width=60),
        Col("pledges holding money"),
        Col("lines"),
        Col(f"extra money to meet it ({base})", MONEY),
        Col("units no line can deliver in time", UNITS),
        Col("value per 1,000,000 on its cheapest line", NUMBER),
        Col("rank by value per money", UNITS),
    ]
    write_sheet(workbook, "unmet", columns, rows)


def _action_cells(u: UnmetRow) -> list[Any]:
    a = u.action
    if a is None:
        return [None] * 6
    return [
        a.limit.value,
        LIMITS[a.limit],
        ", ".join(a.pledges),
        ", ".join(a.lines),
        a.extra_money,
        a.extra_capacity,
    ]


def _priority_cells(plan: Plan, requirement: str) -> list[Any]:
    found = plan.priorities.get(requirement)
    return [found.value_per_million, found.rank] if found else [None, None]


def pledge_use(plan: Plan) -> dict[str, Decimal]:
    used: dict[str, Decimal] = defaultdict(Decimal)
    for f in plan.funding:
        used[f.pledge] += f.amount
    for s in plan.setup:
        used[s.pledge] += s.amount
    return used


def marginal_sheet(workbook: Workbook, plan: Plan, ix: _Index) -> None:
    used = pledge_use(plan)
    rows = []
    for g in ix.scenario.pledges:
        amount = ix.base(g.amount, g.currency)
        spent = used.get(g.id, Decimal(0))
        share = float(spent / amount) if amount else 0.0
        value = plan.marginal_value.pledges.get(g.id)
        rows.append([g.id, g.partner, amount, spent, amount - spent, share, value])
    base = ix.scenario.base_currency
    columns = [
        Col("pledge"),
        Col("partner"),
        Col(f"pledged ({base})", MONEY),
        Col(f"used ({base})", MONEY),
        Col(f"left ({base})", MONEY),
        Col("share used", PERCENT),
        Col("value per extra 1,000,000", NUMBER),
    ]
    write_sheet(workbook, "marginal values", columns, rows)


def marginal_units_sheet(workbook: Workbook, plan: Plan, ix: _Index) -> None:
    """One row per (pledge, capability): units one more million on the pledge would deliver."""
    rows = []
    for g in ix.scenario.pledges:
        needs = plan.marginal_value.needs.get(g.id, ())
        for capability, units in plan.marginal_value.units.get(g.id, {}).items():
            mine = [n for n in needs if _capability_of(ix, n) == capability]
            rows.append(
                [
                    g.id,
                    g.partner,
                    capability,
                    ix.unit_name(capability),
                    units,
                    plan.marginal_value.pledges.get(g.id),
                    len(mine),
                    ", ".join(mine),
                ]
            )
    columns = [
        Col("pledge"),
        Col("partner"),
        Col("capability"),
        Col("unit"),
        Col("units per extra 1,000,000", NUMBER),
        Col("value per extra 1,000,000", NUMBER),
        Col("needs reached", UNITS),
        Col("requirements", width=60),
    ]
    write_sheet(workbook, "marginal units", columns, rows)


def _capability_of(ix: _Index, requirement: str) -> str:
    found = ix.requirements.get(requirement)
    return found.capability if found else ""


def summary_rows(plan: Plan, ix: _Index) -> list[list[Any]]:
    """(what, value, note) rows of the summary sheet."""
    base = ix.scenario.base_currency
    needed = sum(r.quantity for r in ix.scenario.requirements)
    delivered = sum(d.units for d in plan.deliveries)
    pledged = sum((ix.base(g.amount, g.currency) for g in ix.scenario.pledges), Decimal(0))
    rows: list[list[Any]] = [
        ["status", plan.status.value, STATUS_NOTES[plan.status]],
        ["value", plan.value, "value points of the deliveries"],
        [f"total spend ({base})", plan.total_spend, "production and setup paid by pledges"],
        [f"pledged ({base})", pledged, "all pledges, converted at the scenario's rates"],
        ["units needed", needed, "sum of requirement quantities"],
        ["units delivered", delivered, "inside the horizon"],
        ["units unmet", sum(u.units for u in plan.unmet), "see the unmet sheet for reasons"],
        ["lines producing", len({p.proposal for p in plan.production}), "proposals used"],
    ]
    if plan.baseline is not None:
        gain = plan.value / plan.baseline.value - 1 if plan.baseline.value else None
        rows += [
            ["greedy baseline value", plan.baseline.value, "a spreadsheet planner's plan"],
            [f"greedy baseline spend ({base})", plan.baseline.total_spend, ""],
            ["value gained over baseline", gain, "share of the baseline's value"],
        ]
    rows += [
        ["solver", f"{plan.solver.name} {plan.solver.version}", plan.solver.method],
        ["MIP gap", plan.solver.mip_gap, "proven relative gap of the value"],
        ["solve time (s)", plan.timings_s.total, "build, solve and extraction"],
        ["start month", ix.scenario.start_month, f"{ix.scenario.horizon_months} months"],
        ["scenario sha256", plan.scenario_sha256, "the plan belongs to this scenario file"],
    ]
    rows += [["note", note, ""] for note in plan.notes]
    return rows


_SUMMARY_FORMATS = {"value gained over baseline": PERCENT, "MIP gap": PERCENT}


def summary_sheet(workbook: Workbook, plan: Plan, ix: _Index) -> None:
    rows = summary_rows(plan, ix)
    sheet: Any = workbook.create_sheet("summary")
    for letter, width in zip("ABC", (30, 24, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.append([header_cell(sheet, n) for n in ("what", "value", "note")])
    for what, value, note in rows:
        number_format = _SUMMARY_FORMATS.get(what) or _summary_format(value)
        sheet.append([what, cell(sheet, value, number_format), note])


def _summary_format(value: Any) -> str | None:
    if isinstance(value, Decimal):
        return MONEY
    if isinstance(value, int):
        return UNITS
    return NUMBER if isinstance(value, float) else None


def plan_workbook(scenario: Scenario, plan: Plan) -> bytes:
    """The plan workbook (see the module docstring); ``plan`` must belong to ``scenario``."""
    ix = _Index(scenario, plan)
    workbook = Workbook(write_only=True)
    for write in (
        summary_sheet,
        production_sheet,
        funding_sheet,
        deliveries_sheet,
        unmet_sheet,
        marginal_sheet,
        marginal_units_sheet,
    ):
        write(workbook, plan, ix)
    return workbook_bytes(workbook)


def sheet_titles() -> Iterable[str]:
    return (
        "summary",
        "production",
        "funding",
        "deliveries",
        "unmet",
        "marginal values",
        "marginal units",
    )
