"""Notional capacity projects and the investment money for them (issue 17), in five programmes
that follow the public record after June 2025 (``../shared/demo-facts.md``):

* **long-range in Ukraine** (``in_ukraine``): Ukrainian firms' long-range strike plants, backed
  by Germany's investment money earmarked for long-range weapons made in Ukraine (the May 2025
  memorandum; EUR 300m of contracts in Sept. 2025 and EUR 400m more in Oct. 2025);
* **Ukrainian plants in Denmark** (``ukrainian_abroad``): Build with Ukraine, DKK 500m (June
  2025); a solid-rocket-fuel plant near Vojens broke ground in Dec. 2025, output due 2026;
* **Ukrainian plants in the UK** (``ukrainian_abroad``): interceptor drones of Ukrainian design
  built in the UK (about 2,000 a month targeted), Ukrspecsystems investing about GBP 200m;
* **foreign megafactories in Ukraine** (``foreign_in_ukraine``): about 25 foreign firms
  localising production (shells, armour, air defence), financed by notional investment funds;
* **Ukrainian expansions at home** (``in_ukraine``): drones, EW, robots, ammunition, from a
  notional European facility (Ukraine asks partners to invest more in its industry).

**Capex per unit of monthly capacity** is drawn as a number of months of the new line's output
value (``capex = monthly_capacity * unit_cost * months``), by category, from public orders of
magnitude: a 155 mm shell plant of about 200,000-350,000 shells a year (17,000-29,000 a
month) for about EUR 0.3-0.5bn (Rheinmetall's Unterluess expansion, its announced plant in
Ukraine) is EUR 15,000-25,000 per shell a month, 3-6 months of output at EUR 4-5k a shell;
drone assembly lines cost little beside their output (2-5 months); long-range strike and
interceptor plants 5-12 months (the UK interceptor venture: GBP 200m for about 2,000 a month at
$3.5-5k is about 20 months, the dear end); armour, artillery systems and air defence 8-20
months. All names are notional; figures are rounded and some sources are weak.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kuznia.demo.catalogue import CATEGORY, CapabilitySpec
from kuznia.demo.geography import FX_RATES
from kuznia.demo.records import Company, InvestmentPledge, Project, ProjectStatus
from kuznia.money import Money
from kuznia.months import add_months
from kuznia.scenario.kinds import STATE_OFFTAKE, ProposalKind


@dataclass(frozen=True, slots=True)
class Programme:
    """One kind of project: who builds where, what, how big and how dear (see the module)."""

    id: str
    kind: str
    site_country: str | None
    """None: the site is the firm's own country (foreign firms build in Ukraine: "UA")."""
    firms: str
    """whose projects: "ukrainian" firms' or "foreign" firms'"""
    categories: tuple[str, ...]
    share: float
    capex_months: tuple[float, float]
    build_months: tuple[int, int]
    size: tuple[float, float]
    """monthly output value of the line, as multiples of its category's typical line"""


# fmt: off
PROGRAMMES: tuple[Programme, ...] = (
    Programme("long-range-ua", "in_ukraine", "UA", "ukrainian", ("long-range-strike",),
              0.24, (6, 12), (4, 10), (1.5, 4)),
    Programme("build-with-ukraine-dk", "ukrainian_abroad", "DK", "ukrainian",
              ("long-range-strike", "artillery-ammunition", "fpv-bomber-drones"),
              0.13, (4, 10), (6, 14), (1, 3)),
    Programme("build-with-ukraine-gb", "ukrainian_abroad", "GB", "ukrainian",
              ("interceptor-drones", "recon-drones", "long-range-strike"),
              0.13, (5, 20), (6, 12), (1, 3)),
    Programme("megafactory-ua", "foreign_in_ukraine", "UA", "foreign",
              ("artillery-ammunition", "armoured-vehicles", "air-defence-interceptors",
               "artillery-systems"),
              0.27, (4, 18), (9, 24), (3, 8)),
    Programme("expansion-ua", "in_ukraine", "UA", "ukrainian",
              ("fpv-bomber-drones", "interceptor-drones", "electronic-warfare", "ground-robots",
               "artillery-ammunition"),
              0.23, (2, 6), (1, 6), (1, 2.5)),
)
# fmt: on
PROJECTS = {"small": 4, "national": 150, "stress": 450}
VETTED_SHARE = 0.8  # the rest are financed already
CURRENCY = {"DK": "DKK", "GB": "GBP"}  # a project abroad is priced at home; in Ukraine in EUR


def _money(eur: float, currency: str, step: int = 1000) -> Money:
    units = max(step, round(eur / float(FX_RATES[currency]) / step) * step)
    return Money(units * 100, currency)


def _project(
    number: int, programme: Programme, company: Company, capability: CapabilitySpec,
    status: ProjectStatus, start: str, rng: np.random.Generator,
) -> Project:  # fmt: skip
    category = CATEGORY[capability.category]
    currency = CURRENCY.get(programme.site_country or "", "EUR")
    price_eur = capability.price_eur * rng.uniform(0.85, 1.05)
    value_eur = category.line_value_eur * rng.uniform(*programme.size)
    capacity = max(1, round(value_eur / price_eur))
    capex_eur = capacity * price_eur * rng.uniform(*programme.capex_months)
    abroad = programme.site_country != "UA"
    return Project(
        id=f"proj-{number:04d}", company=company.id, site_country=programme.site_country or "UA",
        capability=capability.id, kind=programme.kind,
        capex=_money(capex_eur, currency, 100_000),
        earliest_start=add_months(start, int(rng.integers(0, 13))),
        build_months=int(rng.integers(programme.build_months[0], programme.build_months[1] + 1)),
        unit_cost=_money(price_eur, currency, 1) if price_eur >= 1000 else Money(
            round(price_eur / float(FX_RATES[currency]) * 100), currency),
        monthly_capacity=capacity,
        ramp_up_months=int(rng.integers(category.ramp[0] + 1, category.ramp[1] + 2)),
        min_total_units=0, ship_lag_months=1 if abroad else 0,
        status=status, programme=programme.id, **_offtake(programme.kind, start),
    )  # fmt: skip


def _offtake(kind: str, start: str) -> dict[str, Any]:
    """A Ukrainian firm's plant abroad sends all its output to Ukraine, like the demo's lines
    abroad, until well after the horizon (``scenario.kinds.STATE_OFFTAKE``)."""
    if ProposalKind(kind) not in STATE_OFFTAKE:
        return {}
    return {"offtake_until": add_months(start, 71), "offtake_share_percent": 100}


def build_projects(
    scale: str,
    companies: Sequence[Company],
    catalogue: Sequence[CapabilitySpec],
    start: str,
    rng: np.random.Generator,
) -> list[Project]:
    """The projects of ``scale``: about 150 for national, a handful (awaiting review) for small;
    each programme's share of them, at its firms, in capabilities of its categories."""
    count = PROJECTS.get(scale, 0)
    ukrainian = [c for c in companies if c.ukrainian]
    foreign = [c for c in companies if not c.ukrainian and c.country != "UA"]
    out: list[Project] = []
    for index, programme in enumerate(PROGRAMMES):
        caps = [c for c in catalogue if c.category in programme.categories]
        firms = ukrainian if programme.firms == "ukrainian" else foreign
        n = max(1, round(count * programme.share)) if scale != "small" else int(index < count)
        if not caps or not firms:
            continue
        for _ in range(n):
            firm = firms[int(rng.integers(len(firms)))]
            capability = caps[int(rng.integers(len(caps)))]
            status: ProjectStatus = (
                "submitted" if scale == "small" else
                "vetted" if rng.random() < VETTED_SHARE else "financed"
            )  # fmt: skip
            out.append(_project(len(out) + 1, programme, firm, capability, status, start, rng))
    return out


FUNDS = {
    "fund-udif": "Ukraine Defence Industry Fund (notional)",
    "fund-nordic": "Nordic Defence Capital (notional)",
    "fund-edif": "European Defence Investment Facility (notional)",
}
"""Notional investment funds, registered as partners of kind ``fund``."""


def _ids(projects: Sequence[Project], programme: str) -> tuple[str, ...]:
    return tuple(j.id for j in projects if j.programme == programme)


def investment_pledges(
    projects: Sequence[Project], catalogue: Sequence[CapabilitySpec], start: str, horizon: int
) -> list[InvestmentPledge]:
    """Money for the projects, sized by the public figures (the module's list); none when
    there is no project to pay for (the small demo's await review)."""
    if not any(j.status != "submitted" for j in projects):
        return []
    end = add_months(start, horizon - 1)
    long_range = tuple(c.id for c in catalogue if c.category == "long-range-strike")

    def pledge(
        ident: str,
        partner: str,
        amount: Money,
        purposes: tuple[str, ...],
        **earmarks: tuple[str, ...],
    ) -> InvestmentPledge:
        return InvestmentPledge(ident, partner, amount, start, end, purposes, **earmarks)

    return [
        pledge("pledge-de-long-range-capacity", "partner-de", Money(400_000_000_00, "EUR"),
               ("investment",), capabilities=long_range, site_countries=("UA",)),
        pledge("pledge-dk-build-with-ukraine", "partner-dk", Money(500_000_000_00, "DKK"),
               ("investment",), site_countries=("DK",), company_countries=("UA",),
               projects=_ids(projects, "build-with-ukraine-dk")),
        pledge("pledge-gb-build-with-ukraine", "partner-gb", Money(200_000_000_00, "GBP"),
               ("investment",), site_countries=("GB",), company_countries=("UA",)),
        pledge("pledge-fund-udif", "fund-udif", Money(1_200_000_000_00, "EUR"),
               ("investment",), site_countries=("UA",)),
        pledge("pledge-fund-nordic", "fund-nordic", Money(500_000_000_00, "EUR"),
               ("investment",), projects=_ids(projects, "megafactory-ua")),
        pledge("pledge-fund-edif", "fund-edif", Money(800_000_000_00, "EUR"),
               ("investment",), site_countries=("UA",), company_countries=("UA",)),
    ]  # fmt: skip
