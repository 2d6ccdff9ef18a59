"""Small scenarios for tests: terse builders with sensible defaults, and a seeded random one."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from kuznia.scenario.model import Capability, Pledge, Proposal, Requirement, Scenario
from tests.factories import OPEN_UNTIL


def capability(ident: str = "cap-1", **kw: Any) -> Capability:
    return Capability(**{"id": ident, "name": ident, "unit": "unit", **kw})


def need(ident: str = "req-1", **kw: Any) -> Requirement:
    base = {
        "id": ident,
        "capability": "cap-1",
        "quantity": 10,
        "due_month": "2026-03",
        "priority": 1.0,
    }
    return Requirement(**{**base, **kw})


def line(ident: str = "line-1", **kw: Any) -> Proposal:
    base = {
        "id": ident,
        "company": "firm-1",
        "company_country": "UA",
        "site_country": "UA",
        "capability": "cap-1",
        "unit_cost": "100.00",
        "currency": "EUR",
        "monthly_capacity": 10,
        "lead_time_months": 0,
        "ramp_up_months": 1,
        "setup_cost": "0.00",
        "min_total_units": 0,
        "ship_lag_months": 0,
    }
    return Proposal(**{**base, **kw})


def pledge(ident: str = "pledge-1", **kw: Any) -> Pledge:
    base = {
        "id": ident,
        "partner": "DK",
        "amount": "1000000.00",
        "currency": "EUR",
        "valid_from": "2026-01",
        "valid_to": OPEN_UNTIL,
    }
    return Pledge(**{**base, **kw})


def scenario(
    *,
    needs: tuple[Requirement, ...] = (),
    lines: tuple[Proposal, ...] = (),
    pledges: tuple[Pledge, ...] = (),
    capabilities: tuple[Capability, ...] | None = None,
    horizon: int = 6,
    decay: float = 0.9,
    **kw: Any,
) -> Scenario:
    caps = capabilities if capabilities is not None else (capability(),)
    return Scenario(
        start_month="2026-01",
        horizon_months=horizon,
        base_currency="EUR",
        fx_rates={"EUR": "1", "USD": "0.92", "UAH": "0.0221"},
        lateness_decay=decay,
        capabilities=caps,
        requirements=needs,
        proposals=lines,
        pledges=pledges,
        **kw,
    )


def random_scenario(
    seed: int, *, lines: int = 6, needs: int = 5, pledges: int = 3, horizon: int = 6, caps: int = 2
) -> Scenario:
    """A small random scenario with setups, lots, windows and earmarks all in play."""
    rnd = random.Random(seed)
    cap_ids = [f"cap-{i}" for i in range(caps)]
    countries = ["UA", "DK", "DE"]
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    the_lines = tuple(
        line(
            f"line-{i}",
            capability=rnd.choice(cap_ids),
            unit_cost=f"{rnd.randint(50, 400)}.{rnd.randint(0, 99):02d}",
            currency=rnd.choice(["EUR", "USD", "UAH"]) if i % 3 == 0 else "EUR",
            monthly_capacity=rnd.randint(0, 12),
            lead_time_months=rnd.randint(0, 3),
            ramp_up_months=rnd.randint(1, 3),
            setup_cost=rnd.choice(["0.00", "0.00", f"{rnd.randint(100, 2000)}.00"]),
            min_total_units=rnd.choice([0, 0, 1, rnd.randint(2, 15)]),
            ship_lag_months=rnd.randint(0, 2),
            site_country=rnd.choice(countries),
            company_country=rnd.choice(countries),
        )
        for i in range(lines)
    )
    the_needs = tuple(
        need(
            f"req-{i}",
            capability=rnd.choice(cap_ids),
            quantity=rnd.randint(1, 30),
            due_month=rnd.choice(months[: horizon + 1]),
            priority=rnd.choice([1.0, 2.5, 5.0, 10.0]),
        )
        for i in range(needs)
    )
    the_pledges = []
    for i in range(pledges):
        start = rnd.randint(0, horizon - 1)
        the_pledges.append(
            pledge(
                f"pledge-{i}",
                amount=f"{rnd.randint(500, 6000)}.00",
                currency=rnd.choice(["EUR", "USD"]),
                valid_from=months[start],
                valid_to=months[min(11, start + rnd.randint(0, 6))],
                capabilities=tuple(rnd.sample(cap_ids, rnd.randint(0, 1))),
                site_countries=tuple(rnd.sample(countries, rnd.choice([0, 0, 2]))),
            )
        )
    return scenario(
        needs=the_needs,
        lines=the_lines,
        pledges=tuple(the_pledges),
        capabilities=tuple(capability(c) for c in cap_ids),
        horizon=horizon,
    )


def random_scenarios(
    *, lines: int, needs: int, pledges: int, horizon: int
) -> st.SearchStrategy[Scenario]:
    """Hypothesis strategy: ``random_scenario`` with sizes up to these (lines, needs and
    horizon from 1, pledges from 0)."""
    return st.builds(
        random_scenario,
        st.integers(0, 10**6),
        lines=st.integers(1, lines),
        needs=st.integers(1, needs),
        pledges=st.integers(0, pledges),
        horizon=st.integers(1, horizon),
    )


def lumpy_scenario(
    seed: int, *, lines: int = 5, needs: int = 4, pledges: int = 3, horizon: int = 8, caps: int = 2
) -> Scenario:
    """A small random scenario of few expensive units, where whole units decide: unit costs
    40,000-2,500,000, 1-6 units a month, setup costs up to 3,000,000, minimum lots 2-12, needs of
    1-14 units, pledges of 1-15 million with windows and earmarks (ALLOCATION.md, issue 13)."""
    rnd = random.Random(seed)
    cap_ids = [f"cap-{i}" for i in range(caps)]
    countries = ["UA", "DK", "DE"]
    months = [f"2026-{m:02d}" for m in range(1, 13)] + [f"2027-{m:02d}" for m in range(1, 13)]
    the_lines = tuple(
        line(
            f"line-{i}",
            capability=rnd.choice(cap_ids),
            unit_cost=f"{rnd.randint(40_000, 2_500_000)}.{rnd.randint(0, 99):02d}",
            currency="USD" if i % 4 == 3 else "EUR",
            monthly_capacity=rnd.randint(1, 6),
            lead_time_months=rnd.randint(0, 3),
            ramp_up_months=rnd.randint(1, 3),
            setup_cost=rnd.choice(["0.00", f"{rnd.randint(1, 3000) * 1000}.00"]),
            min_total_units=rnd.choice([0, rnd.randint(2, 12)]),
            ship_lag_months=rnd.randint(0, 2),
            site_country=rnd.choice(countries),
            company_country=rnd.choice(countries),
        )
        for i in range(lines)
    )
    the_needs = tuple(
        need(
            f"req-{i}",
            capability=rnd.choice(cap_ids),
            quantity=rnd.randint(1, 14),
            due_month=rnd.choice(months[: horizon + 1]),
            priority=rnd.choice([1.0, 2.0, 5.0, 10.0, 40.0]),
        )
        for i in range(needs)
    )
    the_pledges = []
    for i in range(pledges):
        start = rnd.randint(0, horizon - 1)
        the_pledges.append(
            pledge(
                f"pledge-{i}",
                amount=f"{rnd.randint(1000, 15000) * 1000}.00",
                currency=rnd.choice(["EUR", "USD"]),
                valid_from=months[start],
                valid_to=months[min(len(months) - 1, start + rnd.randint(1, 12))],
                capabilities=tuple(rnd.sample(cap_ids, rnd.randint(0, 1))),
                site_countries=tuple(rnd.sample(countries, rnd.choice([0, 0, 2]))),
            )
        )
    return scenario(
        needs=the_needs,
        lines=the_lines,
        pledges=tuple(the_pledges),
        capabilities=tuple(capability(c) for c in cap_ids),
        horizon=horizon,
    )


def lumpy_scenarios(
    *, lines: int, needs: int, pledges: int, horizon: int
) -> st.SearchStrategy[Scenario]:
    """Hypothesis strategy: ``lumpy_scenario`` with sizes up to these (each from 1)."""
    return st.builds(
        lumpy_scenario,
        st.integers(0, 10**6),
        lines=st.integers(1, lines),
        needs=st.integers(1, needs),
        pledges=st.integers(1, pledges),
        horizon=st.integers(1, horizon),
    )
