"""``generate(scale, seed)``: the whole demo world, deterministic for a scale and a seed."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from kuznia.demo.catalogue import SMALL_CAPABILITIES, CapabilitySpec, select
from kuznia.demo.companies import build_companies, build_sites, territorial_needs
from kuznia.demo.geography import BASE_CURRENCY, FX_RATES
from kuznia.demo.investments import build_investments
from kuznia.demo.pledges import choose_templates, partner_record, size_pledges
from kuznia.demo.proposals import Lines, anchors, draw_lines, horizon_units, to_proposals
from kuznia.demo.records import DemoWorld, Scale
from kuznia.demo.requirements import build_requirements, demand_units
from kuznia.demo.rng import stream
from kuznia.demo.scales import LATENESS_DECAY, START_MONTH, ScaleSpec, spec_for
from kuznia.scenario.model import Capability, Pledge, Proposal, Scenario

PLEDGED_SHARE = (0.30, 0.36)  # of declared capacity value: "about one third" (demo-facts.md)


def _capabilities(catalogue: tuple[CapabilitySpec, ...]) -> tuple[Capability, ...]:
    return tuple(
        Capability(id=c.id, name=c.name, unit=c.unit, category=c.category) for c in catalogue
    )


def _capacity_eur(lines: Lines, units: np.ndarray, proposals: list[Proposal]) -> float:
    """Declared capacity value in EUR (float: only sizes pledges; measures.py is exact)."""
    del lines
    rates = np.array([float(FX_RATES[p.currency]) for p in proposals])
    costs = np.array([float(p.unit_cost) for p in proposals])
    return float((units * costs * rates).sum())


def _currencies_used(proposals: list[Proposal], pledges: list[Pledge]) -> dict[str, str]:
    used = {p.currency for p in proposals} | {g.currency for g in pledges} | {BASE_CURRENCY}
    return {code: FX_RATES[code] for code in sorted(used)}


def _pledges(
    spec: ScaleSpec, seed: int, catalogue: tuple[CapabilitySpec, ...], capacity_eur: float
) -> list[Pledge]:
    rng = stream(seed, "pledge-sizes")
    share = rng.uniform(*PLEDGED_SHARE)
    templates = choose_templates(
        spec.name == "small", spec.tranches, catalogue, stream(seed, "pledge-templates")
    )
    return size_pledges(templates, share * capacity_eur, START_MONTH, rng)


def generate(scale: Scale, seed: int) -> DemoWorld:
    """A demo world of ``scale`` ("small", "national" or "stress"); same arguments, same world."""
    spec = spec_for(scale)
    horizon = spec.horizon_months
    ids = SMALL_CAPABILITIES if scale == "small" else None
    catalogue = select(ids, spec.capability_variants)
    templates = choose_templates(
        scale == "small", spec.tranches, catalogue, stream(seed, "pledge-templates")
    )
    needs = territorial_needs(templates)
    companies = build_companies(spec.companies, needs, stream(seed, "companies"))
    sites = build_sites(companies, needs, stream(seed, "sites"))
    by_id = {c.id: c for c in companies}
    rng = stream(seed, "proposals")
    pinned = anchors(templates, sites, by_id, catalogue, rng)
    lines = draw_lines(spec.proposals, pinned, sites, by_id, catalogue, horizon, rng)
    proposals = to_proposals(lines, sites, by_id, catalogue, horizon, rng)
    units = horizon_units(lines, horizon)
    pledges = _pledges(spec, seed, catalogue, _capacity_eur(lines, units, proposals))
    per_cap = np.bincount(lines.capability, weights=units, minlength=len(catalogue))
    rq_rng = stream(seed, "requirements")
    demand = demand_units(catalogue, per_cap.astype(np.int64), horizon, rq_rng)
    requirements = build_requirements(
        catalogue, demand, spec.requirements, START_MONTH, horizon, rq_rng
    )
    scenario = Scenario(
        start_month=START_MONTH,
        horizon_months=horizon,
        base_currency=BASE_CURRENCY,
        fx_rates=_currencies_used(proposals, pledges),
        lateness_decay=LATENESS_DECAY,
        capabilities=_capabilities(catalogue),
        requirements=tuple(requirements),
        proposals=tuple(proposals),
        pledges=tuple(pledges),
    )
    partner_codes = sorted({g.partner for g in pledges})
    investments = build_investments(
        spec.investments, companies, sites, START_MONTH, horizon, stream(seed, "investments")
    )
    return DemoWorld(
        scale=scale,
        seed=seed,
        scenario=scenario,
        partners=tuple(partner_record(p.removeprefix("partner-").upper()) for p in partner_codes),
        companies=tuple(companies),
        sites=tuple(sites),
        investments=tuple(investments),
        proposal_sites=MappingProxyType(
            {p.id: sites[int(k)].id for p, k in zip(proposals, lines.site, strict=True)}
        ),
    )
