"""A notional disruption model for a demo world: risk classes and each site's class.

Ukrainian sites are classed by longitude (east of 35 E front line, west of 27 E western Ukraine,
central between); sites abroad are partner-country sites. The figures are illustrative, not
estimates of anyone's exposure.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from kuznia.demo.records import DemoWorld
from kuznia.risk.model import Duration, RiskClass, RiskSection, RiskSite

FRONT_LINE, CENTRAL, WESTERN, PARTNER = (
    "front_line",
    "central",
    "western_ukraine",
    "partner_country",
)


def _durations(*pairs: tuple[int, float]) -> tuple[Duration, ...]:
    return tuple(Duration(months=m, probability=p) for m, p in pairs)


DEMO_CLASSES = (
    RiskClass(
        id=FRONT_LINE,
        name="Front line",
        monthly_probability=0.04,
        capacity_loss=1.0,
        durations=_durations((1, 0.5), (2, 0.3), (4, 0.2)),
    ),
    RiskClass(
        id=CENTRAL,
        name="Central Ukraine",
        monthly_probability=0.015,
        capacity_loss=0.7,
        durations=_durations((1, 0.6), (2, 0.3), (3, 0.1)),
    ),
    RiskClass(
        id=WESTERN,
        name="Western Ukraine",
        monthly_probability=0.007,
        capacity_loss=0.5,
        durations=_durations((1, 0.7), (2, 0.3)),
    ),
    RiskClass(
        id=PARTNER,
        name="Partner country",
        monthly_probability=0.001,
        capacity_loss=0.5,
        durations=_durations((1, 1.0)),
    ),
)


def class_of(country: str, longitude: str) -> str:
    if country != "UA":
        return PARTNER
    east = Decimal(longitude)
    if east >= Decimal(35):
        return FRONT_LINE
    return WESTERN if east < Decimal(27) else CENTRAL


def demo_risk(world: DemoWorld) -> RiskSection:
    lines: dict[str, list[str]] = defaultdict(list)
    for proposal, site in world.proposal_sites.items():
        lines[site].append(proposal)
    sites = tuple(
        RiskSite(id=s.id, risk_class=class_of(s.country, s.longitude), proposals=tuple(lines[s.id]))
        for s in world.sites
    )
    return RiskSection(classes=DEMO_CLASSES, sites=sites)
