"""Partners and their pledges, shaped like the public pledges of demo-facts.md.

Each template is a pledge as a partner really sets it: Ukraine's own budget (one a year), the EU's
windfall-profit money through the Danish model (EUR 390m in 2024, ~EUR 1bn in 2025), Danish-model
pledges of Denmark, Sweden, Norway, Canada and Iceland (buy from Ukrainian firms in Ukraine),
Build with Ukraine (DKK 500m for Ukrainian production on Danish soil; the UK for 3 years: the
partner's own territory, Ukrainian firms only), Germany's long-range memorandum (capability
earmark), PURL packages of about $500m (air-defence and rockets bought in the US), the Czech-style
ammunition initiative, EU ASAP (ammunition made in the EU) and the capability coalitions.

``weight`` is the template's size in EUR millions at public scale. The generator keeps the
relative sizes and scales the total so pledged money is about a third of declared capacity value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from kuznia.demo.catalogue import CapabilitySpec
from kuznia.demo.geography import COUNTRY, EU_MEMBERS, FX_RATES
from kuznia.demo.records import Partner
from kuznia.demo.ukrainian import PARTNERS_UK
from kuznia.money import format_cents
from kuznia.months import add_months
from kuznia.scenario.model import Pledge

UA = ("UA",)
DRONES = ("fpv-bomber-drones", "interceptor-drones", "recon-drones")
PURL = ("sam-long-range", "sam-medium-range", "guided-rocket-227mm")


@dataclass(frozen=True, slots=True)
class PledgeTemplate:
    """A pledge before sizing. ``capabilities`` name categories or base capability ids."""

    key: str
    partner: str
    weight: float
    currency: str
    window: tuple[int, int]
    capabilities: tuple[str, ...] = ()
    site_countries: tuple[str, ...] = ()
    company_countries: tuple[str, ...] = ()
    small: bool = False


def _t(
    key: str, partner: str, weight: float, currency: str, window: tuple[int, int], **kw: object
) -> PledgeTemplate:
    return PledgeTemplate(key, partner, weight, currency, window, **kw)  # type: ignore[arg-type]


def _danish(
    key: str, partner: str, weight: float, ccy: str, window: tuple[int, int], *, small: bool = False
) -> PledgeTemplate:
    return _t(
        key, partner, weight, ccy, window, site_countries=UA, company_countries=UA, small=small
    )


def _build_with_ukraine(
    partner: str,
    weight: float,
    window: tuple[int, int],
    caps: tuple[str, ...] = (),
    *,
    small: bool = False,
) -> PledgeTemplate:
    return _t(
        f"{partner.lower()}-build-with-ukraine",
        partner,
        weight,
        COUNTRY[partner].currency,
        window,
        capabilities=caps,
        site_countries=(partner,),
        company_countries=UA,
        small=small,
    )


def _purl(
    partner: str, weight: float, window: tuple[int, int], *, small: bool = False
) -> PledgeTemplate:
    return _t(
        f"{partner.lower()}-purl",
        partner,
        weight,
        "USD",
        window,
        capabilities=PURL,
        site_countries=("US",),
        small=small,
    )


def _coalition(
    key: str,
    partner: str,
    weight: float,
    window: tuple[int, int],
    caps: tuple[str, ...],
    *,
    small: bool = False,
) -> PledgeTemplate:
    return _t(
        key, partner, weight, COUNTRY[partner].currency, window, capabilities=caps, small=small
    )


# fmt: off
TEMPLATES: tuple[PledgeTemplate, ...] = (
    # Ukraine's own budget, one pledge a year, for production in Ukraine.
    _t("ua-budget-2026", "UA", 3500, "UAH", (0, 11), site_countries=UA, small=True),
    _t("ua-budget-2027", "UA", 3800, "UAH", (12, 23), site_countries=UA),
    _t("ua-budget-2028", "UA", 4000, "UAH", (24, 35), site_countries=UA),
    # The EU: windfall profits through the Danish model, ASAP for ammunition made in the EU.
    _danish("eu-windfall-danish-model-2025", "EU", 1000, "EUR", (-6, 5)),
    _danish("eu-windfall-danish-model-2026", "EU", 1000, "EUR", (0, 17), small=True),
    _t("eu-asap-ammunition", "EU", 500, "EUR", (-3, 20), capabilities=("artillery-ammunition",),
       site_countries=EU_MEMBERS),
    _t("eu-defence-industry-support", "EU", 300, "EUR", (6, 41)),
    # The Danish model: partners buy from Ukrainian firms in Ukraine.
    _danish("dk-danish-model", "DK", 130, "DKK", (0, 11), small=True),
    _danish("dk-danish-model-2027", "DK", 130, "DKK", (12, 23)),
    _danish("se-danish-model", "SE", 190, "SEK", (0, 11)),
    _danish("no-danish-model", "NO", 43, "NOK", (0, 11)),
    _danish("ca-danish-model", "CA", 67, "CAD", (-2, 9)),
    _danish("is-danish-model", "IS", 3, "ISK", (0, 11)),
    # Build with Ukraine: Ukrainian firms producing on the partner's own territory.
    _build_with_ukraine("DK", 67, (0, 23), small=True),
    _build_with_ukraine("GB", 120, (0, 35), DRONES),
    _build_with_ukraine("DE", 100, (3, 30)),
    _build_with_ukraine("PL", 50, (0, 23)),
    _build_with_ukraine("LT", 20, (0, 23), DRONES),
    _build_with_ukraine("NO", 40, (6, 29)),
    _build_with_ukraine("LV", 15, (0, 17), DRONES),
    # Germany: long-range weapons produced in Ukraine, and air defence.
    _t("de-long-range-strike", "DE", 1500, "EUR", (0, 23), capabilities=("long-range-strike",),
       site_countries=UA, company_countries=UA, small=True),
    _coalition("de-air-defence", "DE", 1000, (0, 35), ("air-defence-interceptors",)),
    # PURL: packages of about $500m buying air defence and rockets made in the US.
    _purl("NL", 530, (0, 11), small=True),
    _purl("DK", 150, (0, 11)),
    _purl("NO", 150, (0, 11)),
    _purl("SE", 150, (0, 11)),
    _purl("DE", 460, (3, 14)),
    _purl("CA", 460, (6, 17)),
    # The ammunition initiative: shells from wherever they can be made.
    _coalition("cz-ammunition-initiative", "CZ", 300, (-6, 17), ("artillery-ammunition",)),
    _coalition("nl-ammunition-initiative", "NL", 200, (0, 11), ("artillery-ammunition",)),
    _coalition("dk-ammunition-initiative", "DK", 150, (0, 11), ("artillery-ammunition",)),
    _coalition("ca-ammunition-initiative", "CA", 100, (0, 11), ("artillery-ammunition",)),
    # Capability coalitions.
    _coalition("gb-drone-coalition", "GB", 400, (0, 35), DRONES, small=True),
    _coalition("lv-drone-coalition", "LV", 50, (0, 23), DRONES),
    _coalition("no-maritime-coalition", "NO", 100, (0, 11), ("naval-drones",), small=True),
    _coalition("gb-maritime-coalition", "GB", 80, (0, 23), ("naval-drones",)),
    _coalition("lt-demining-coalition", "LT", 30, (0, 23), ("demining",)),
    _coalition("ee-it-coalition", "EE", 30, (0, 23), ("electronic-warfare",)),
    _coalition("lu-it-coalition", "LU", 20, (0, 23), ("electronic-warfare",)),
    _coalition("pl-armour-coalition", "PL", 200, (0, 23), ("armoured-vehicles",)),
    _coalition("fr-artillery-coalition", "FR", 300, (0, 23),
               ("artillery-systems", "artillery-ammunition")),
)

# Partners' general pledges (EUR m, no earmark), and non-lethal partners' demining pledges.
GENERAL: dict[str, float] = {
    "US": 200, "FR": 300, "IT": 150, "ES": 100, "BE": 150, "FI": 150, "EE": 40, "RO": 50,
    "BG": 40, "HR": 20, "SI": 10, "GR": 20, "SK": 20, "PT": 20, "AU": 100, "NZ": 10, "TR": 20,
    "AL": 5, "MK": 5, "ME": 3, "CY": 5, "MT": 2, "GE": 2, "MD": 2, "CZ": 50, "NL": 200,
    "SE": 300, "NO": 300, "CA": 150, "LT": 30, "LV": 20, "PL": 100, "IS": 3, "LU": 10, "DK": 200,
}
NON_LETHAL: dict[str, float] = {
    "JP": 300, "KR": 50, "AT": 20, "IE": 20, "CH": 50, "HU": 5, "QA": 10, "MA": 2, "KE": 2,
    "TN": 2, "CO": 2, "AR": 2,
}
# fmt: on


def all_templates() -> tuple[PledgeTemplate, ...]:
    general = [
        _t(f"{c.lower()}-general", c, w, COUNTRY[c].currency, (-3, 20)) for c, w in GENERAL.items()
    ]
    demining = [
        _t(
            f"{c.lower()}-humanitarian-demining",
            c,
            w,
            COUNTRY[c].currency,
            (0, 23),
            capabilities=("demining",),
        )
        for c, w in NON_LETHAL.items()
    ]
    return (*TEMPLATES, *general, *demining)


def partner_id(code: str) -> str:
    return f"partner-{code.lower()}"


def partner_record(code: str) -> Partner:
    uk = PARTNERS_UK.get(code)
    if code == "UA":
        return Partner(partner_id(code), "Ukraine (state budget)", "UA", "Ukraine", uk)
    if code == "EU":
        return Partner(partner_id(code), "European Union", "EU", "EU", uk)
    return Partner(partner_id(code), COUNTRY[code].name, code, "government", uk)


def resolve_capabilities(
    names: tuple[str, ...], catalogue: tuple[CapabilitySpec, ...]
) -> tuple[str, ...]:
    """Capability ids of the catalogue that an earmark names (by category or base id)."""
    return tuple(c.id for c in catalogue if c.category in names or c.base in names)


def choose_templates(
    small: bool, tranches: int, catalogue: tuple[CapabilitySpec, ...], rng: np.random.Generator
) -> list[PledgeTemplate]:
    """The templates of a scale with earmarks resolved; stress repeats each in ``tranches``."""
    chosen = [t for t in all_templates() if t.small or not small]
    out: list[PledgeTemplate] = []
    for t in chosen:
        caps = resolve_capabilities(t.capabilities, catalogue) if t.capabilities else ()
        if t.capabilities and not caps:
            continue  # an earmark on nothing in this world would read as "no restriction"
        for k in range(tranches):
            shift = 0 if k == 0 else int(rng.integers(-2, 3))
            key = t.key if tranches == 1 else f"{t.key}-t{k + 1}"
            window = (t.window[0] + shift, t.window[1] + shift)
            out.append(replace(t, key=key, capabilities=caps, window=window))
    return out


def _significant(value: float, digits: int = 3) -> int:
    """``value`` rounded to ``digits`` significant figures, as a whole number (at least 1)."""
    if value < 10**digits:
        return max(1, round(value))
    scale = int(10 ** (math.floor(math.log10(value)) - digits + 1))
    return round(value / scale) * scale


def size_pledges(
    templates: list[PledgeTemplate], total_eur: float, start: str, rng: np.random.Generator
) -> list[Pledge]:
    """Pledges worth ``total_eur`` together, split by template weight with a little jitter.

    Amounts are round numbers in the pledge's currency (three significant figures), as partners
    announce them.
    """
    weights = np.array([t.weight for t in templates]) * rng.lognormal(0.0, 0.15, len(templates))
    eur = total_eur * weights / weights.sum()
    pledges = []
    for t, value in zip(templates, eur, strict=True):
        units = _significant(float(value) / float(FX_RATES[t.currency]))
        pledges.append(
            Pledge(
                id=f"pl-{t.key}",
                partner=partner_id(t.partner),
                amount=Decimal(format_cents(units * 100)),
                currency=t.currency,
                valid_from=add_months(start, t.window[0]),
                valid_to=add_months(start, t.window[1]),
                capabilities=t.capabilities,
                site_countries=t.site_countries,
                company_countries=t.company_countries,
            )
        )
    return pledges
