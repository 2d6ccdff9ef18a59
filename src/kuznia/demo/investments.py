"""Investments across the border, both ways: Ukrainian firms into their sites and partners abroad,
foreign firms into their plants in Ukraine and into Ukrainian firms (equity or loans)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kuznia.demo.geography import COUNTRY, FX_RATES
from kuznia.demo.records import Company, Instrument, Investment, Site
from kuznia.money import Money
from kuznia.months import add_months

OUTWARD_SHARE = 0.45  # of investments made by Ukrainian firms abroad
INTO_SITE_SHARE = 0.6  # the rest buy into (or lend to) a firm across the border
EQUITY_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class _Direction:
    """Who invests where: into the investors' own sites across the border, or into firms there."""

    sites: list[Site]
    investors: list[Company]
    targets: list[Company]


def _directions(companies: Sequence[Company], sites: Sequence[Site]) -> tuple[_Direction, ...]:
    ukrainian = {c.id for c in companies if c.ukrainian}
    ua_firms = [c for c in companies if c.ukrainian]
    foreign = [c for c in companies if not c.ukrainian]
    abroad = [s for s in sites if s.company in ukrainian and s.country != "UA"]
    in_ua = [s for s in sites if s.company not in ukrainian and s.country == "UA"]
    return _Direction(abroad, ua_firms, foreign), _Direction(in_ua, foreign, ua_firms)


def _amount(eur: float, investor: Company) -> Money:
    """Round thousands in the investor's currency (Ukrainian firms invest abroad in USD)."""
    currency = "USD" if investor.ukrainian else COUNTRY[investor.country].currency
    units = max(1000, round(eur / float(FX_RATES[currency]) / 1000) * 1000)
    return Money(units * 100, currency)


def build_investments(
    count: int,
    companies: Sequence[Company],
    sites: Sequence[Site],
    start: str,
    horizon: int,
    rng: np.random.Generator,
) -> list[Investment]:
    """``count`` investments, about EUR 5m each (lognormal), made from a year before the start."""
    outward, inward = _directions(companies, sites)
    by_id = {c.id: c for c in companies}
    n_out = max(1, round(count * OUTWARD_SHARE))
    eur = rng.lognormal(np.log(5e6), 1.0, count)
    months = rng.integers(-12, horizon, count)
    equity = rng.random(count) < EQUITY_SHARE
    into_site = rng.random(count) < INTO_SITE_SHARE
    picks = rng.random((count, 2))
    out = []
    for i in range(count):
        way = outward if i < n_out else inward
        if into_site[i]:
            site = way.sites[int(picks[i, 0] * len(way.sites))]
            investor, company, site_id, country_to = (
                by_id[site.company],
                None,
                site.id,
                site.country,
            )
        else:
            target = way.targets[int(picks[i, 0] * len(way.targets))]
            investor = way.investors[int(picks[i, 1] * len(way.investors))]
            company, site_id, country_to = target.id, None, target.country
        instrument: Instrument = "equity" if equity[i] else "loan"
        out.append(Investment(
            id=f"inv-{i + 1:05d}", investor=investor.id, target_company=company,
            target_site=site_id, country_from=investor.country, country_to=country_to,
            instrument=instrument, amount=_amount(float(eur[i]), investor),
            month=add_months(start, int(months[i])),
        ))  # fmt: skip
    return out
