"""Proposals: production lines offered for financing, each at a site for one capability.

Kinds follow from who owns the site and where it is: a Ukrainian firm at home (in_ukraine), a
Ukrainian firm abroad (ukrainian_abroad), a foreign firm in Ukraine (foreign_in_ukraine) or a
foreign firm at home (partner_domestic). Lines abroad cost more per unit, take longer to start
(a new plant) and ship later (1-2 months); lines in Ukraine are cheapest and ship at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from kuznia.demo.catalogue import CATEGORIES, CATEGORY, CapabilitySpec
from kuznia.demo.geography import COUNTRY, FX_RATES
from kuznia.demo.pledges import PledgeTemplate
from kuznia.demo.records import Company, Site
from kuznia.months import add_months
from kuznia.scenario.kinds import STATE_OFFTAKE, ProposalKind
from kuznia.scenario.model import Proposal

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
KINDS = (
    ProposalKind.IN_UKRAINE,
    ProposalKind.UKRAINIAN_ABROAD,
    ProposalKind.FOREIGN_IN_UKRAINE,
    ProposalKind.PARTNER_DOMESTIC,
)
KIND_WEIGHT = np.array([1.0, 1.5, 2.5, 1.0])  # new plants across the border attract offers
PRICE_FACTOR = ((1.0, 1.0), (1.2, 1.6), (1.05, 1.3), (1.3, 2.2))  # unit price vs in Ukraine
EXTRA_LEAD = ((0, 0), (2, 6), (3, 9), (0, 3))  # months to build or license, by kind
UA_CURRENCIES = (("UAH", 0.7), ("USD", 0.2), ("EUR", 0.1))


@dataclass(frozen=True, slots=True)
class Lines:
    """The drawn lines as arrays (one entry per proposal), before they become models."""

    site: Ints
    capability: Ints
    kind: Ints
    price_eur: Floats
    monthly_capacity: Ints
    lead: Ints
    ramp: Ints


def site_kinds(sites: Sequence[Site], companies: dict[str, Company]) -> Ints:
    ua_owner = np.array([companies[s.company].ukrainian for s in sites])
    in_ua = np.array([s.country == "UA" for s in sites])
    return np.where(ua_owner, np.where(in_ua, 0, 1), np.where(in_ua, 2, 3)).astype(np.int64)


def _matches(t: PledgeTemplate, site: Site, companies: dict[str, Company]) -> bool:
    return (not t.site_countries or site.country in t.site_countries) and (
        not t.company_countries or companies[site.company].country in t.company_countries
    )


def _pledge_anchors(
    templates: Sequence[PledgeTemplate],
    sites: Sequence[Site],
    companies: dict[str, Company],
    index: dict[str, int],
    rng: np.random.Generator,
) -> list[tuple[int, int]]:
    """One line each earmarked pledge can pay for (territories are guaranteed by companies.py)."""
    candidates: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
    out: list[tuple[int, int]] = []
    for t in templates:
        if not (t.capabilities or t.site_countries or t.company_countries):
            continue
        key = (t.site_countries, t.company_countries)
        if key not in candidates:
            candidates[key] = [k for k, s in enumerate(sites) if _matches(t, s, companies)]
        if not candidates[key]:
            raise RuntimeError(f"no site fits the earmarks of pledge template {t.key}")
        cap = (
            index[t.capabilities[int(rng.integers(len(t.capabilities)))]] if t.capabilities else -1
        )
        out.append((candidates[key][int(rng.integers(len(candidates[key])))], cap))
    return out


def _capability_anchors(
    sites: Sequence[Site],
    companies: dict[str, Company],
    catalogue: Sequence[CapabilitySpec],
    rng: np.random.Generator,
) -> list[tuple[int, int]]:
    """One line of every capability, at a site of a firm of its category where there is one."""
    by_category: dict[str, list[int]] = {}
    for k, s in enumerate(sites):
        by_category.setdefault(companies[s.company].category, []).append(k)
    out = []
    for ci, cap in enumerate(catalogue):
        pool = by_category.get(cap.category) or list(range(len(sites)))
        out.append((pool[int(rng.integers(len(pool)))], ci))
    return out


def anchors(
    templates: Sequence[PledgeTemplate],
    sites: Sequence[Site],
    companies: dict[str, Company],
    catalogue: Sequence[CapabilitySpec],
    rng: np.random.Generator,
) -> list[tuple[int, int]]:
    """(site, capability or -1) pairs drawn first, so that every pledge has a line it may pay
    for, every capability has a line and every kind of line exists, even in the small world."""
    index = {c.id: i for i, c in enumerate(catalogue)}
    out = _pledge_anchors(templates, sites, companies, index, rng)
    out += _capability_anchors(sites, companies, catalogue, rng)
    kinds = site_kinds(sites, companies)
    for kind in range(len(KINDS)):
        of_kind = np.flatnonzero(kinds == kind)
        if of_kind.size:
            out.append((int(of_kind[rng.integers(of_kind.size)]), -1))
    return out


def _draw_capabilities(
    site_cat: Sequence[str],
    foreign: npt.NDArray[np.bool_],
    catalogue: Sequence[CapabilitySpec],
    rng: np.random.Generator,
) -> Ints:
    """Mostly the owner's own category; within a category cheaper items have more lines."""
    n = len(site_cat)
    w_ua = np.array([c.ua_firm_weight for c in CATEGORIES])
    w_fo = np.array([c.foreign_firm_weight for c in CATEGORIES])
    other = np.where(
        foreign,
        rng.choice(len(CATEGORIES), n, p=w_fo / w_fo.sum()),
        rng.choice(len(CATEGORIES), n, p=w_ua / w_ua.sum()),
    )
    own = np.array([[c.id for c in CATEGORIES].index(s) for s in site_cat], dtype=np.int64)
    category = np.where(rng.random(n) < 0.85, own, other)
    out = np.full(n, -1, dtype=np.int64)
    for ci, cat in enumerate(CATEGORIES):
        members = np.array([i for i, c in enumerate(catalogue) if c.category == cat.id])
        rows = np.flatnonzero(category == ci)
        if not members.size:
            members = np.arange(len(catalogue))  # small world: the category has no capability
        p = np.array([catalogue[i].price_eur for i in members]) ** -0.1
        out[rows] = rng.choice(members, rows.size, p=p / p.sum())
    return out


def draw_lines(
    n: int,
    pinned: list[tuple[int, int]],
    sites: Sequence[Site],
    companies: dict[str, Company],
    catalogue: Sequence[CapabilitySpec],
    horizon: int,
    rng: np.random.Generator,
) -> Lines:
    kinds_of_site = site_kinds(sites, companies)
    ids = sorted(companies)
    owner_size = dict(
        zip(ids, rng.lognormal(0.0, 0.8, len(ids)), strict=True)
    )  # big and small firms
    w = np.array([owner_size[s.company] for s in sites]) * KIND_WEIGHT[kinds_of_site]
    site = np.concatenate(
        [
            np.array([a for a, _ in pinned], dtype=np.int64),
            rng.choice(len(sites), n - len(pinned), p=w / w.sum()),
        ]
    )
    cats = [companies[sites[k].company].category for k in site]
    foreign = np.array([not companies[sites[k].company].ukrainian for k in site])
    capability = _draw_capabilities(cats, foreign, catalogue, rng)
    pinned_caps = np.array([c for _, c in pinned], dtype=np.int64)
    head = capability[: len(pinned)]
    capability[: len(pinned)] = np.where(pinned_caps >= 0, pinned_caps, head)
    kind = kinds_of_site[site]
    return _line_numbers(site, capability, kind, catalogue, horizon, rng)


def _uniform(ranges: Sequence[tuple[float, float]], idx: Ints, rng: np.random.Generator) -> Floats:
    lo = np.array([r[0] for r in ranges])[idx]
    hi = np.array([r[1] for r in ranges])[idx]
    drawn: Floats = lo + (hi - lo) * rng.random(idx.size)
    return drawn


def _line_numbers(
    site: Ints,
    capability: Ints,
    kind: Ints,
    catalogue: Sequence[CapabilitySpec],
    horizon: int,
    rng: np.random.Generator,
) -> Lines:
    cat_index = {c.id: i for i, c in enumerate(CATEGORIES)}
    cat = np.array([cat_index[c.category] for c in catalogue], dtype=np.int64)[capability]
    base_price = np.array([c.price_eur for c in catalogue])[capability]
    price = base_price * _uniform(PRICE_FACTOR, kind, rng) * rng.lognormal(0.0, 0.12, site.size)
    line_value = np.array([c.line_value_eur for c in CATEGORIES])[cat] * rng.lognormal(
        0.0, 0.8, site.size
    )
    monthly = np.maximum(1, np.rint(line_value / price)).astype(np.int64)
    lead_lo = np.array([c.lead[0] for c in CATEGORIES])[cat]
    lead_hi = np.array([c.lead[1] for c in CATEGORIES])[cat]
    extra = np.floor(_uniform(EXTRA_LEAD, kind, rng) + 0.5).astype(np.int64)
    lead = rng.integers(lead_lo, lead_hi + 1) + extra
    lead = np.minimum(lead, int(horizon * 0.6)).astype(np.int64)
    ramp_lo = np.array([c.ramp[0] for c in CATEGORIES])[cat]
    ramp_hi = np.array([c.ramp[1] for c in CATEGORIES])[cat]
    ramp = (rng.integers(ramp_lo, ramp_hi + 1) + (kind != 0)).astype(np.int64)
    return Lines(site, capability, kind, price, monthly, lead, ramp)


def horizon_units(lines: Lines, horizon: int) -> Ints:
    """Units each line can make inside the horizon: sum of cap(l, m) of the allocation contract."""
    months = np.arange(horizon, dtype=np.int64)[None, :]
    k = np.clip(months - lines.lead[:, None] + 1, 0, lines.ramp[:, None])
    units: Ints = ((lines.monthly_capacity[:, None] * k) // lines.ramp[:, None]).sum(axis=1)
    return units


def _currencies(
    lines: Lines, sites: Sequence[Site], companies: dict[str, Company], rng: np.random.Generator
) -> list[str]:
    """In Ukraine a Ukrainian firm quotes UAH, USD or EUR; a foreign firm its home currency;
    a line abroad the host country's currency."""
    codes = [c for c, _ in UA_CURRENCIES]
    p = np.array([w for _, w in UA_CURRENCIES])
    ua_pick = rng.choice(len(codes), lines.site.size, p=p)
    out = []
    for i, k in enumerate(lines.site):
        site = sites[int(k)]
        if lines.kind[i] == 0:
            out.append(codes[int(ua_pick[i])])
        elif lines.kind[i] == 2:
            out.append(COUNTRY[companies[site.company].country].currency)
        else:
            out.append(COUNTRY[site.country].currency)
    return out


def _to_cents(eur: Floats, rates: Floats, whole: float) -> Ints:
    """EUR amounts in each line's currency, rounded to ``whole`` currency units, in cents."""
    units = np.maximum(whole, np.rint(eur / rates / whole) * whole)
    cents: Ints = np.rint(units * 100).astype(np.int64)
    return cents


def _cents(value: int) -> Decimal:
    return Decimal(int(value)).scaleb(-2)


@dataclass(frozen=True, slots=True)
class _Terms:
    unit_cents: Ints
    setup_cents: Ints
    min_units: Ints
    ship_lag: Ints


def _terms(
    lines: Lines, catalogue: Sequence[CapabilitySpec], rates: Floats, horizon: int,
    rng: np.random.Generator,
) -> _Terms:  # fmt: skip
    """Unit costs in the line's currency; setup costs (most new plants, a category's share of the
    others) of a few months' output value; minimum runs of a few months' output; ship lags."""
    n = lines.site.size
    cat = [CATEGORY[catalogue[int(c)].category] for c in lines.capability]
    unit_cents = np.maximum(1, np.rint(lines.price_eur / rates * 100)).astype(np.int64)
    new_plant = (lines.kind == 1) | (lines.kind == 2)
    setup_p = np.where(new_plant, 0.9, [c.setup_share for c in cat])
    months_value = lines.monthly_capacity * lines.price_eur
    setup_eur = months_value * _uniform([c.setup_months for c in cat], np.arange(n), rng)
    setup_cents = np.where(rng.random(n) < setup_p, _to_cents(setup_eur, rates, 1000.0), 0)
    min_runs = lines.monthly_capacity * _uniform([c.min_months for c in cat], np.arange(n), rng)
    min_units = np.minimum(np.rint(min_runs).astype(np.int64), horizon_units(lines, horizon))
    min_units = np.where(rng.random(n) < np.array([c.min_share for c in cat]), min_units, 0)
    abroad = (lines.kind == 1) | (lines.kind == 3)
    lag = np.where(abroad, rng.integers(1, 3, n), (rng.random(n) < 0.1) & (lines.kind == 0))
    return _Terms(unit_cents, setup_cents, min_units, lag.astype(np.int64))


def _offtake(kind: ProposalKind, until: str) -> dict[str, Any]:
    return {"offtake_until": until, "offtake_share_percent": 100} if kind in STATE_OFFTAKE else {}


def to_proposals(
    lines: Lines,
    sites: Sequence[Site],
    companies: dict[str, Company],
    catalogue: Sequence[CapabilitySpec],
    horizon: int,
    rng: np.random.Generator,
    start: str,
) -> list[Proposal]:
    """The drawn lines as Proposal models, with money in each line's own currency. A Ukrainian
    firm's line abroad sends all its output to Ukraine for two years past the horizon."""
    offtake_until = add_months(start, horizon + 23)
    currency = _currencies(lines, sites, companies, rng)
    rates = np.array([float(FX_RATES[c]) for c in currency])
    terms = _terms(lines, catalogue, rates, horizon, rng)
    out = []
    for i, k in enumerate(lines.site):
        site = sites[int(k)]
        out.append(Proposal(
            id=f"pr-{i + 1:05d}", company=site.company,
            company_country=companies[site.company].country, site_country=site.country,
            capability=catalogue[int(lines.capability[i])].id,
            unit_cost=_cents(terms.unit_cents[i]), currency=currency[i],
            monthly_capacity=int(lines.monthly_capacity[i]),
            lead_time_months=int(lines.lead[i]), ramp_up_months=int(lines.ramp[i]),
            setup_cost=_cents(terms.setup_cents[i]), min_total_units=int(terms.min_units[i]),
            ship_lag_months=int(terms.ship_lag[i]), kind=KINDS[int(lines.kind[i])],
            **_offtake(KINDS[int(lines.kind[i])], offtake_until),
        ))  # fmt: skip
    return out
