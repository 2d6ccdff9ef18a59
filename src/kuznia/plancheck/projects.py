"""Rules 7-9 of ALLOCATION.md "Capacity projects", written from the contract alone.

7. a project produces only if built: a ``builds`` row with ``start_month`` at or after both its
   ``earliest_start`` and the scenario's start, inside the horizon; its capacity is that of a line
   with ``lead = start + build_months``; its ``capex`` rows are all in that month, sum to
   ``to_base(capex)``, and each pledge may invest in it (purposes include investment, every
   non-empty earmark list holds it) and is valid in that month (``scenario.eligibility``);
8. funding and setup rows come only from pledges whose purposes include production (checked
   where those rows are, ``check.py``);
9. rule 4 counts capex (``check.py`` adds the capex to each pledge's spend).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from kuznia.money import round_cents
from kuznia.scenario.eligibility import may_pay_capex, valid_in
from kuznia.scenario.lines import line_of
from kuznia.scenario.model import Pledge, Proposal, Scenario
from kuznia.scenario.plan import Plan


class _Checker(Protocol):
    """What these rules read and write of ``check._Checker``."""

    s: Scenario
    plan: Plan
    lines: dict[str, Proposal]
    pledges: dict[str, Pledge]

    def bad(self, rule: int, path: str, message: str) -> None: ...
    def month(self, text: str) -> int: ...
    def base_cents(self, amount: Decimal, currency: str) -> int: ...


def rule7_builds(c: _Checker) -> dict[str, int]:
    """Check the builds rows; add each built project to the checker's lines; its start month."""
    projects = {j.id: j for j in c.s.projects}
    starts: dict[str, int] = {}
    for i, row in enumerate(c.plan.builds or ()):
        path = f"builds[{i}]"
        project = projects.get(row.project)
        if project is None:
            c.bad(7, f"{path}.project", f"unknown project {row.project!r}")
            continue
        if row.project in starts:
            c.bad(7, f"{path}.project", f"{row.project} is built twice")
            continue
        m = c.month(row.start_month)
        if m < c.month(project.earliest_start) or m < 0:
            c.bad(7, f"{path}.start_month", f"{row.start_month} is before it may start")
        if m >= c.s.horizon_months:
            c.bad(7, f"{path}.start_month", f"{row.start_month} is outside the horizon")
        starts[row.project] = m
        c.lines[row.project] = line_of(project, m)  # rules 1-6 apply to it
    for i, made in enumerate(c.plan.production):
        if made.proposal in projects and made.proposal not in starts:
            c.bad(7, f"production[{i}].proposal", f"{made.proposal} produces but is not built")
    return starts


def rule7_capex(c: _Checker, starts: dict[str, int], spent: dict[str, int]) -> None:
    """Capex rows in the start month, from pledges that may invest and are valid then, summing
    to ``to_base(capex)``; their amounts enter each pledge's spend (rule 9)."""
    projects = {j.id: j for j in c.s.projects}
    paid: dict[str, int] = {}
    for i, row in enumerate(c.plan.capex or ()):
        path = f"capex[{i}]"
        project, pledge = projects.get(row.project), c.pledges.get(row.pledge)
        if project is None or pledge is None or row.project not in starts:
            c.bad(7, path, "unknown pledge, or a project that is not built")
            continue
        m = c.month(row.month)
        if m != starts[row.project]:
            c.bad(7, f"{path}.month", f"{row.month} is not the month {row.project} starts")
        if not valid_in(pledge, row.month):
            c.bad(7, f"{path}.pledge", f"{pledge.id} is not valid in {row.month}")
        if not may_pay_capex(pledge, project):
            c.bad(7, f"{path}.pledge", f"{pledge.id} may not invest in {project.id}")
        paid[row.project] = paid.get(row.project, 0) + round_cents(row.amount)
        spent[pledge.id] += round_cents(row.amount)
    for pid in starts:
        project = projects[pid]
        need = c.base_cents(project.capex, project.currency)
        if paid.get(pid, 0) != need:
            c.bad(
                7,
                f"capex[{pid}]",
                f"capex rows sum to {paid.get(pid, 0) / 100:.2f}, the capex is {need / 100:.2f}",
            )


def check_unbuilt(c: _Checker, starts: dict[str, int]) -> None:
    listed = {row.project for row in c.plan.unbuilt or ()}
    for j in c.s.projects:
        if j.id not in starts and j.id not in listed:
            c.bad(0, f"unbuilt[{j.id}]", "a project not built has no unbuilt row")
        if j.id in starts and j.id in listed:
            c.bad(0, f"unbuilt[{j.id}]", "listed as unbuilt but built")
