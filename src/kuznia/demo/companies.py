"""Companies and their sites, with the proportions of Ukraine's defence industry.

About 800-900 enterprises, about 100 of them state-owned, drone makers the largest group; plus
foreign firms. Sites at home, Ukrainian sites abroad and foreign sites in Ukraine.

Every earmark that names a territory gets at least one site there of the right kind of owner
(a Ukrainian-owned site in Denmark for Denmark's Build with Ukraine pledge, a US firm for PURL),
so no pledge of the demo is unusable by construction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kuznia.demo.catalogue import CATEGORIES, CATEGORY
from kuznia.demo.geography import ABROAD_HOST_WEIGHTS, COUNTRY, FOREIGN_FIRM_WEIGHTS
from kuznia.demo.pledges import PledgeTemplate
from kuznia.demo.records import Company, Site

FOREIGN_SHARE = 0.15  # of companies; the rest are Ukrainian
ABROAD_SHARE = 0.08  # of Ukrainian firms with a site in a partner country
IN_UKRAINE_SHARE = 0.2  # of foreign firms with a site in Ukraine
STATE_HEAVY = {
    "artillery-ammunition",
    "artillery-systems",
    "armoured-vehicles",
    "air-defence-interceptors",
}


@dataclass(frozen=True, slots=True)
class Needs:
    """Territories that earmarks require: hosts of Ukrainian-owned sites, homes of foreign firms."""

    abroad_hosts: tuple[str, ...]
    foreign_homes: tuple[str, ...]


def territorial_needs(templates: Sequence[PledgeTemplate]) -> Needs:
    hosts: list[str] = []
    homes: list[str] = []
    for t in templates:
        if not t.site_countries or "UA" in t.site_countries:
            continue
        if t.company_countries == ("UA",):
            host = max(t.site_countries, key=lambda c: ABROAD_HOST_WEIGHTS.get(c, 0.0))
            hosts += [] if host in hosts else [host]
        else:
            home = max(t.site_countries, key=lambda c: FOREIGN_FIRM_WEIGHTS.get(c, 0.0))
            homes += [] if home in homes else [home]
    return Needs(tuple(hosts), tuple(homes))


def _pick(
    weights: dict[str, float], n: int, must: tuple[str, ...], rng: np.random.Generator
) -> list[str]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys])
    drawn = rng.choice(len(keys), size=max(0, n - len(must)), p=p / p.sum())
    return [*must[:n], *(keys[i] for i in drawn)]


def _categories(n: int, *, foreign: bool, rng: np.random.Generator) -> list[str]:
    w = np.array([c.foreign_firm_weight if foreign else c.ua_firm_weight for c in CATEGORIES])
    return [CATEGORIES[i].id for i in rng.choice(len(CATEGORIES), size=n, p=w / w.sum())]


def _name(stem: str, number: int, country: str, state_owned: bool) -> str:
    if state_owned and country == "UA":
        return f"State Enterprise Notional {stem} {number}"
    return f"Notional {stem} {number} {COUNTRY[country].legal_form}"


def build_companies(n: int, needs: Needs, rng: np.random.Generator) -> list[Company]:
    """``n`` companies: Ukrainian first, then foreign firms (homes required by earmarks first)."""
    n_foreign = max(round(n * FOREIGN_SHARE), len(needs.foreign_homes) + 1)
    countries = ["UA"] * (n - n_foreign) + _pick(
        FOREIGN_FIRM_WEIGHTS, n_foreign, needs.foreign_homes, rng
    )
    cats = _categories(n - n_foreign, foreign=False, rng=rng) + _categories(
        n_foreign, foreign=True, rng=rng
    )
    u = rng.random(n)
    numbers: Counter[str] = Counter()
    out = []
    for i, (country, cat) in enumerate(zip(countries, cats, strict=True)):
        ukrainian = country == "UA"
        state = (
            bool(u[i] < (0.35 if cat in STATE_HEAVY else 0.06)) if ukrainian else bool(u[i] < 0.03)
        )
        stem = CATEGORY[cat].stem
        numbers[stem] += 1
        out.append(
            Company(
                f"co-{i + 1:05d}",
                _name(stem, numbers[stem], country, state),
                country,
                ukrainian,
                state,
                cat,
            )
        )
    return out


def _site_owners(
    companies: Sequence[Company], needs: Needs, rng: np.random.Generator
) -> list[tuple[int, str]]:
    """(company index, site country) for every site: home sites, then abroad and in Ukraine."""
    owners = [(i, c.country) for i, c in enumerate(companies)]
    extra = rng.poisson(0.4, len(companies))  # dispersed production: more than one home site
    owners += [(i, c.country) for i, c in enumerate(companies) for _ in range(int(extra[i]))]
    ua = [i for i, c in enumerate(companies) if c.ukrainian]
    foreign = [i for i, c in enumerate(companies) if not c.ukrainian]
    n_abroad = max(round(len(ua) * ABROAD_SHARE), len(needs.abroad_hosts), 1)
    hosts = _pick(ABROAD_HOST_WEIGHTS, n_abroad, needs.abroad_hosts, rng)
    owners += [(int(i), h) for i, h in zip(rng.choice(ua, n_abroad), hosts, strict=True)]
    n_in_ua = max(round(len(foreign) * IN_UKRAINE_SHARE), 1)
    owners += [(int(i), "UA") for i in rng.choice(foreign, n_in_ua, replace=False)]
    return owners


def build_sites(companies: Sequence[Company], needs: Needs, rng: np.random.Generator) -> list[Site]:
    """Sites with secret locations scattered around a city of the site's country."""
    owners = _site_owners(companies, needs, rng)
    n = len(owners)
    pick, street = rng.random(n), rng.integers(1, 250, n)
    jitter = rng.normal(0.0, 1.0, (n, 2)) * np.array([0.08, 0.12])
    per_company: Counter[int] = Counter()
    sites = []
    for k, (owner, country) in enumerate(owners):
        company = companies[owner]
        per_company[owner] += 1
        cities = COUNTRY[country].cities
        city, lat, lon = cities[int(pick[k] * len(cities))]
        sites.append(
            Site(
                id=f"site-{k + 1:05d}",
                company=company.id,
                name=f"{company.name}, site {per_company[owner]}",
                country=country,
                address=f"{street[k]} Notional Industrial Street, {city}",
                latitude=f"{lat + jitter[k, 0]:.4f}",
                longitude=f"{lon + jitter[k, 1]:.4f}",
            )
        )
    return sites
