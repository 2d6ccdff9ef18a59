"""``generate(scale, seed)``: the whole demo world, deterministic for a scale and a seed.

Order of drawing: catalogue and pledge templates (their earmarks decide which territories need
sites), companies and sites, proposals, then pledge amounts sized against the declared capacity
of those proposals, then requirements sized against it too, and investments.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from kuznia.demo.catalogue import SMALL_CAPABILITIES, CapabilitySpec, select
from kuznia.demo.companies import build_companies, build_sites, territorial_needs
from kuznia.demo.geography import BASE_CURRENCY, FX_RATES
from kuznia.demo.investments import build_investments
from kuznia.demo.pledges import PledgeTemplate, choose_templates, partner_record, size_pledges
from kuznia.demo.projects import FUNDS, build_projects, investment_pledges
from kuznia.demo.proposals import Lines, anchors, draw_lines, horizon_units, to_proposals
from kuznia.demo.records import (
    Company,
    DemoWorld,
    InvestmentPledge,
    Partner,
    Project,
    Scale,
    Site,
)
from kuznia.demo.requirements import build_requirements, demand_units
from kuznia.demo.rng import stream
from kuznia.demo.scales import LATENESS_DECAY, spec_for, start_month
from kuznia.demo.ukrainian import CATEGORIES_UK, capability_uk
from kuznia.months import check_month
from kuznia.scenario.model import Capability, Pledge, Proposal, Requirement, Scenario

PLEDGED_SHARE = (0.30, 0.36)  # of declared capacity value: "about one third" (demo-facts.md)


def _capabilities(catalogue: tuple[CapabilitySpec, ...]) -> tuple[Capability, ...]:
    return tuple(
        Capability(
            id=c.id, name=c.name, unit=c.unit, category=c.category,
            name_uk=capability_uk(c.id, c.base), category_uk=CATEGORIES_UK.get(c.category),
        )
        for c in catalogue
    )  # fmt: skip


def _capacity_eur(units: npt.NDArray[np.int64], proposals: list[Proposal]) -> float:
    """Declared capacity value in EUR (float: it only sizes the pledges; measures.py is exact)."""
    rates = np.array([float(FX_RATES[p.currency]) for p in proposals])
    costs = np.array([float(p.unit_cost) for p in proposals])
    return float((units * costs * rates).sum())


def _fx_rates(
    proposals: list[Proposal], pledges: list[Pledge], projects: list[Project],
    money: list[InvestmentPledge],
) -> dict[str, str]:  # fmt: skip
    used = {p.currency for p in proposals} | {g.currency for g in pledges} | {BASE_CURRENCY}
    used |= {j.capex.currency for j in projects} | {g.amount.currency for g in money}
    return {code: FX_RATES[code] for code in sorted(used)}


def _requirements(
    catalogue: tuple[CapabilitySpec, ...], lines: Lines, units: npt.NDArray[np.int64],
    count: int, start: str, horizon: int, seed: int,
) -> list[Requirement]:  # fmt: skip
    rng = stream(seed, "requirements")
    per_cap = np.bincount(lines.capability, weights=units, minlength=len(catalogue))
    demand = demand_units(catalogue, per_cap.astype(np.int64), horizon, rng)
    return build_requirements(catalogue, demand, count, start, horizon, rng)


def _lines(
    templates: list[PledgeTemplate], sites: list[Site], companies: list[Company],
    catalogue: tuple[CapabilitySpec, ...], count: int, start: str, horizon: int, seed: int,
) -> tuple[Lines, list[Proposal]]:  # fmt: skip
    by_id = {c.id: c for c in companies}
    rng = stream(seed, "proposals")
    pinned = anchors(templates, sites, by_id, catalogue, rng)
    lines = draw_lines(count, pinned, sites, by_id, catalogue, horizon, rng)
    return lines, to_proposals(lines, sites, by_id, catalogue, horizon, rng, start)


def _partners(pledges: list[Pledge], money: list[InvestmentPledge]) -> tuple[Partner, ...]:
    """The partners of the pledges (governments by country code) and the notional funds."""
    codes = {g.partner.removeprefix("partner-").upper() for g in pledges}
    codes |= {g.partner.removeprefix("partner-").upper() for g in money if g.partner not in FUNDS}
    funds = sorted({g.partner for g in money if g.partner in FUNDS})
    return (
        *(partner_record(code) for code in sorted(codes)),
        *(Partner(f, FUNDS[f], "EU", "fund") for f in funds),
    )


def generate(scale: Scale, seed: int, start: str | None = None) -> DemoWorld:
    """A demo world of ``scale`` ("small", "national" or "stress") from month ``start`` (default:
    January of the current year, ``scales.start_month``); same arguments, same world."""
    spec = spec_for(scale)
    start = check_month(start) if start is not None else start_month()
    horizon = spec.horizon_months
    catalogue = select(SMALL_CAPABILITIES if scale == "small" else None, spec.capability_variants)
    templates = choose_templates(
        scale == "small", spec.tranches, catalogue, stream(seed, "pledge-templates")
    )
    needs = territorial_needs(templates)
    companies = build_companies(spec.companies, needs, stream(seed, "companies"))
    sites = build_sites(companies, needs, stream(seed, "sites"))
    lines, proposals = _lines(
        templates, sites, companies, catalogue, spec.proposals, start, horizon, seed
    )
    units = horizon_units(lines, horizon)
    sizes = stream(seed, "pledge-sizes")
    total = sizes.uniform(*PLEDGED_SHARE) * _capacity_eur(units, proposals)
    pledges = size_pledges(templates, total, start, sizes)
    requirements = _requirements(catalogue, lines, units, spec.requirements, start, horizon, seed)
    projects = build_projects(scale, companies, catalogue, start, stream(seed, "projects"))
    money = investment_pledges(projects, catalogue, start, horizon)
    scenario = Scenario(
        start_month=start, horizon_months=horizon, base_currency=BASE_CURRENCY,
        fx_rates=_fx_rates(proposals, pledges, projects, money), lateness_decay=LATENESS_DECAY,
        capabilities=_capabilities(catalogue), requirements=tuple(requirements),
        proposals=tuple(proposals), pledges=tuple(pledges),
    )  # fmt: skip
    return DemoWorld(
        scale=scale, seed=seed, scenario=scenario, partners=_partners(pledges, money),
        companies=tuple(companies), sites=tuple(sites),
        investments=tuple(build_investments(
            spec.investments, companies, sites, start, horizon, stream(seed, "investments")
        )),
        proposal_sites=MappingProxyType(
            {p.id: sites[int(k)].id for p, k in zip(proposals, lines.site, strict=True)}
        ),
        projects=tuple(projects), investment_pledges=tuple(money),
    )  # fmt: skip
