"""Format-2 scenarios for tests: capacity projects, investment pledges, a seeded random one."""

from __future__ import annotations

import random
from typing import Any

from kuznia.scenario.kinds import UKRAINE, kind_of
from kuznia.scenario.model import SCENARIO_FORMAT_2, Project, Scenario
from tests.support.factory import capability, line, need, pledge, scenario


def project(ident: str = "proj-1", **kw: Any) -> Project:
    base: dict[str, Any] = {
        "id": ident,
        "company": "firm-9",
        "company_country": "DE",
        "site_country": "UA",
        "capability": "cap-1",
        "capex": "2000.00",
        "currency": "EUR",
        "earliest_start": "2026-01",
        "build_months": 1,
        "unit_cost": "100.00",
        "monthly_capacity": 10,
        "ramp_up_months": 1,
        "min_total_units": 0,
        "ship_lag_months": 0,
    }
    base.update(kw)
    base.setdefault("kind", kind_of(base["company_country"] == UKRAINE, base["site_country"]))
    return Project(**base)


def scenario2(**kw: Any) -> Scenario:
    """``factory.scenario`` in format 2 (``projects=`` as well)."""
    return scenario(format=SCENARIO_FORMAT_2, **kw)


def random_scenario2(seed: int, *, lines: int = 3, projects: int = 2, horizon: int = 6) -> Scenario:
    """A small random format-2 scenario: few lines, projects with capex that may or may not pay
    off, pledges for production, for investment or both, some earmarked to a project."""
    rnd = random.Random(seed)
    caps = ["cap-0", "cap-1"]
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    the_lines = tuple(
        line(
            f"line-{i}",
            capability=rnd.choice(caps),
            unit_cost=f"{rnd.randint(50, 300)}.00",
            monthly_capacity=rnd.randint(1, 8),
            lead_time_months=rnd.randint(0, 2),
            setup_cost=rnd.choice(["0.00", f"{rnd.randint(100, 900)}.00"]),
            min_total_units=rnd.choice([0, 0, rnd.randint(2, 10)]),
        )
        for i in range(lines)
    )
    the_projects = tuple(
        project(
            f"proj-{i}",
            capability=rnd.choice(caps),
            capex=f"{rnd.randint(500, 6000)}.00",
            earliest_start=months[rnd.randint(0, 2)],
            build_months=rnd.randint(0, 3),
            unit_cost=f"{rnd.randint(20, 200)}.00",
            monthly_capacity=rnd.randint(2, 15),
            ramp_up_months=rnd.randint(1, 3),
            min_total_units=rnd.choice([0, 0, rnd.randint(2, 12)]),
            ship_lag_months=rnd.randint(0, 1),
            company_country=rnd.choice(["UA", "DE", "DK"]),
            site_country=rnd.choice(["UA", "DK"]),
        )
        for i in range(projects)
    )
    return scenario2(
        needs=tuple(
            need(
                f"req-{i}",
                capability=rnd.choice(caps),
                quantity=rnd.randint(5, 60),
                due_month=rnd.choice(months[:horizon]),
                priority=rnd.choice([5.0, 10.0, 30.0]),
            )
            for i in range(4)
        ),
        lines=the_lines,
        projects=the_projects,
        pledges=tuple(_pledge(rnd, i, months, horizon, projects) for i in range(3)),
        capabilities=tuple(capability(c) for c in caps),
        horizon=horizon,
    )


def _pledge(rnd: random.Random, i: int, months: list[str], horizon: int, projects: int) -> Any:
    start = rnd.randint(0, horizon - 2)
    purposes = rnd.choice([("production",), ("investment",), ("production", "investment")])
    return pledge(
        f"pledge-{i}",
        amount=f"{rnd.randint(1000, 9000)}.00",
        valid_from=months[start],
        valid_to=months[min(11, start + rnd.randint(1, 8))],
        purposes=purposes,
        projects=(f"proj-{rnd.randrange(projects)}",) if projects and rnd.random() < 0.3 else (),
    )
