"""The national demo with ~150 generated capacity projects and investment pledges (format 2),
for the joint-plan benchmark and tests. All names are notional.

Projects copy a random existing line of their capability (unit cost within -20 %..+10 %, the
line's shipping lag) at one to three times its monthly capacity, built in 3 to 18 months from
an earliest start in the first 18 months. **Capex per unit of monthly capacity** is 4 to 15
months of the line's output at cost: Rheinmetall's Unterlüß shell plant (about EUR 300m for
200,000 155 mm shells a year, ~16,700 a month at ~EUR 4,000) is ~4.5 months of output; drone
and missile plants run higher (tooling and clean rooms per unit), hence the upper end.

Directions (as the Ramstein mechanism describes them): 60 foreign firms' factories in Ukraine
(``foreign_in_ukraine``), 50 Ukrainian plants abroad (DK, GB, DE, LT, PL: ``ukrainian_abroad``),
25 Ukrainian expansions at home, 15 partner-domestic lines; 20 of the foreign factories in
Ukraine make long-range strike (``lr-*``). Investment pledges (investment only, so what they add
is what investment adds): Germany's EUR 1.5bn earmarked for long-range strike made in Ukraine,
Denmark's DKK 4bn and the UK's GBP 600m for Ukrainian firms' plants on their soil, an EU
instrument of EUR 1bn for sites in Ukraine, a notional fund of EUR 800m (any project) and five
firms' equity in their own projects.
"""

from __future__ import annotations

import random
from decimal import Decimal

from kuznia.demo import generate
from kuznia.scenario.kinds import UKRAINE, kind_of
from kuznia.scenario.model import SCENARIO_FORMAT_2, Pledge, Project, Proposal, Scenario

FOREIGN = ["DE", "DK", "GB", "US", "SE", "NO", "FR", "CZ"]
HOSTS = ["DK", "GB", "DE", "LT", "PL"]
DIRECTIONS = [("foreign_in_ukraine", 60), ("ukrainian_abroad", 50), ("home", 25), ("domestic", 15)]


def national_with_projects(seed: int = 1) -> tuple[Scenario, Scenario]:
    """(the national demo as generated, the same with projects and investment pledges)."""
    plain = generate("national", seed).scenario
    rnd = random.Random(seed * 7919)
    by_cap: dict[str, list[Proposal]] = {}
    for p in plain.proposals:
        by_cap.setdefault(p.capability, []).append(p)
    long_range = sorted(c for c in by_cap if c.startswith("lr-"))
    projects: list[Project] = []
    for direction, count in DIRECTIONS:
        for k in range(count):
            lr = direction == "foreign_in_ukraine" and k < 20
            cap = rnd.choice(long_range if lr else sorted(by_cap))
            projects.append(_project(rnd, len(projects), direction, rnd.choice(by_cap[cap])))
    joint = plain.model_copy(
        update={
            "format": SCENARIO_FORMAT_2,
            "projects": tuple(projects),
            "pledges": plain.pledges + _investment(projects, long_range),
        }
    )
    return plain, Scenario.model_validate(joint.model_dump())


def _project(rnd: random.Random, n: int, direction: str, template: Proposal) -> Project:
    firm, site = {
        "foreign_in_ukraine": (rnd.choice(FOREIGN), UKRAINE),
        "ukrainian_abroad": (UKRAINE, rnd.choice(HOSTS)),
        "home": (UKRAINE, UKRAINE),
        "domestic": ((c := rnd.choice(FOREIGN)), c),
    }[direction]
    monthly = max(1, round(template.monthly_capacity * rnd.uniform(1.0, 3.0)))
    unit = (template.unit_cost * Decimal(str(round(rnd.uniform(0.8, 1.1), 3)))).quantize(
        Decimal("0.01")
    )
    months_of_output = Decimal(rnd.randint(4, 15))
    return Project(
        id=f"pj-{n + 1:03d}",
        company=f"investor-firm-{n + 1:03d}",
        company_country=firm,
        site_country=site,
        capability=template.capability,
        kind=kind_of(firm == UKRAINE, site),
        capex=(unit * monthly * months_of_output).quantize(Decimal("0.01")),
        currency=template.currency,
        earliest_start=f"{2026 + (m := rnd.randint(0, 17)) // 12}-{m % 12 + 1:02d}",
        build_months=rnd.randint(3, 18),
        unit_cost=unit,
        monthly_capacity=monthly,
        ramp_up_months=rnd.randint(2, 6),
        min_total_units=0,
        ship_lag_months=template.ship_lag_months,
    )


def _investment(projects: list[Project], long_range: list[str]) -> tuple[Pledge, ...]:
    inv = ("investment",)
    out = [
        Pledge(id="pl-de-long-range-invest", partner="partner-de", amount=Decimal("1500000000"),
               currency="EUR", valid_from="2026-01", valid_to="2028-12", purposes=inv,
               capabilities=tuple(long_range), site_countries=(UKRAINE,)),
        Pledge(id="pl-dk-build-with-ukraine-invest", partner="partner-dk",
               amount=Decimal("4000000000"), currency="DKK", valid_from="2026-01",
               valid_to="2027-12", purposes=inv, site_countries=("DK",),
               company_countries=(UKRAINE,)),
        Pledge(id="pl-gb-ukrainian-plants-invest", partner="partner-gb",
               amount=Decimal("600000000"), currency="GBP", valid_from="2026-04",
               valid_to="2028-03", purposes=inv, site_countries=("GB",),
               company_countries=(UKRAINE,)),
        Pledge(id="pl-eu-industry-in-ukraine-invest", partner="partner-eu",
               amount=Decimal("1000000000"), currency="EUR", valid_from="2026-07",
               valid_to="2028-06", purposes=inv, site_countries=(UKRAINE,)),
        Pledge(id="pl-fund-notional-invest", partner="investor-fund-1",
               amount=Decimal("800000000"), currency="EUR", valid_from="2026-01",
               valid_to="2028-12", purposes=inv),
    ]  # fmt: skip
    out.extend(
        Pledge(
            id=f"pl-equity-{j.id}",
            partner=j.company,
            amount=(j.capex * Decimal("0.3")).quantize(Decimal("0.01")),
            currency=j.currency,
            valid_from="2026-01",
            valid_to="2028-12",
            purposes=inv,
            projects=(j.id,),
        )
        for j in projects[::30]
    )
    return tuple(out)
