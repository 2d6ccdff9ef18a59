"""Investments across the border, both ways: Ukrainian firms into their sites and partners abroad,
foreign firms into their plants in Ukraine and into Ukrainian firms (equity or loans)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kuznia.demo.geography import COUNTRY, FX_RATES
from kuznia.demo.records import Company, Instrument, Investment, Site
from kuznia.money import Money
from kuznia.months import add_months

OUTWARD_SHARE = 0.45  # of investments made by Ukrainian firms abroad


def _amount(eur: float, currency: str) -> Money:
    units = max(1000, round(eur / float(FX_RATES[currency]) / 1000) * 1000)
    return Money(units * 100, currency)


def _investor_currency(company: Company) -> str:
    return "USD" if company.ukrainian else COUNTRY[company.country].currency


def build_investments(
    count: int,
    companies: Sequence[Company],
    sites: Sequence[Site],
    start: str,
    horizon: int,
    rng: np.random.Generator,
) -> list[Investment]:
    """``count`` investments; amounts around EUR 5m (lognormal), months from a year before start."""
    by_id = {c.id: c for c in companies}
    abroad = [s for s in sites if by_id[s.company].ukrainian and s.country != "UA"]
    in_ua = [s for s in sites if not by_id[s.company].ukrainian and s.country == "UA"]
    ua_firms = [c for c in companies if c.ukrainian]
    foreign = [c for c in companies if not c.ukrainian]
    n_out = max(1, round(count * OUTWARD_SHARE))
    eur = rng.lognormal(np.log(5e6), 1.0, count)
    months = rng.integers(-12, horizon, count)
    equity = rng.random(count) < 0.6
    into_site = rng.random(count) < 0.6
    picks = rng.random((count, 2))
    out = []
    for i in range(count):
        outward = i < n_out
        own_sites, partners = (abroad, foreign) if outward else (in_ua, ua_firms)
        if into_site[i]:
            site = own_sites[int(picks[i, 0] * len(own_sites))]
            investor, target_company, target_site = by_id[site.company], None, site.id
            country_to = site.country
        else:
            target = partners[int(picks[i, 0] * len(partners))]
            pool = ua_firms if outward else foreign
            investor = pool[int(picks[i, 1] * len(pool))]
            target_company, target_site, country_to = target.id, None, target.country
        instrument: Instrument = "equity" if equity[i] else "loan"
        out.append(
            Investment(
                id=f"inv-{i + 1:05d}",
                investor=investor.id,
                target_company=target_company,
                target_site=target_site,
                country_from=investor.country,
                country_to=country_to,
                instrument=instrument,
                amount=_amount(float(eur[i]), _investor_currency(investor)),
                month=add_months(start, int(months[i])),
            )
        )
    return out
