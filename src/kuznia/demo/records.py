"""Registry records beside a demo scenario: partners, companies, sites, investments.

The scenario format holds only what the optimizer reads; these records are what a realistic
database also needs: who the partners are, which firms exist, where their sites are (secret
location fields) and how firms invest across the border. Plain frozen dataclasses: the demo
package stays pure, the database layer maps them to rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from kuznia.money import Money
from kuznia.scenario.model import Scenario

Scale = Literal["small", "national", "stress"]
PartnerKind = Literal["government", "EU", "Ukraine", "fund"]
Instrument = Literal["equity", "loan"]
ProjectStatus = Literal["submitted", "vetted", "financed"]


@dataclass(frozen=True, slots=True)
class Partner:
    """A financing party: a partner government, the EU, or Ukraine itself (its own budget)."""

    id: str
    name: str
    country: str
    kind: PartnerKind
    name_uk: str | None = None


@dataclass(frozen=True, slots=True)
class Company:
    """A notional defence firm; ``category`` is its main line of business (a category id)."""

    id: str
    name: str
    country: str
    ukrainian: bool
    state_owned: bool
    category: str


@dataclass(frozen=True, slots=True)
class Site:
    """A production site. ``address``, ``latitude`` and ``longitude`` are secret fields.

    Coordinates are decimal strings (4 places, about 10 m), never floats.
    """

    id: str
    company: str
    name: str
    country: str
    address: str
    latitude: str
    longitude: str


@dataclass(frozen=True, slots=True)
class Investment:
    """An investor company putting equity or a loan into a company or a site in another country.

    Exactly one of ``target_company`` and ``target_site`` is set.
    """

    id: str
    investor: str
    target_company: str | None
    target_site: str | None
    country_from: str
    country_to: str
    instrument: Instrument
    amount: Money
    month: str


@dataclass(frozen=True, slots=True)
class Project:
    """A notional capacity project (ALLOCATION.md, "Capacity projects"): the capex, when it may
    start and how long it builds, and the line it becomes. Money in ``currency``."""

    id: str
    company: str
    site_country: str
    capability: str
    kind: str
    capex: Money
    earliest_start: str
    build_months: int
    unit_cost: Money
    monthly_capacity: int
    ramp_up_months: int
    min_total_units: int
    ship_lag_months: int
    status: ProjectStatus
    programme: str
    offtake_until: str | None = None
    offtake_share_percent: int | None = None


@dataclass(frozen=True, slots=True)
class InvestmentPledge:
    """Money for capacity: a pledge whose purposes include investment, with its earmarks
    (empty = any) including ``projects``."""

    id: str
    partner: str
    amount: Money
    valid_from: str
    valid_to: str
    purposes: tuple[str, ...]
    capabilities: tuple[str, ...] = ()
    site_countries: tuple[str, ...] = ()
    company_countries: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoWorld:
    """A generated world: the planning scenario plus the registries behind it.

    ``proposal_sites`` maps every proposal id of the scenario to the id of the site it runs at;
    ``projects`` and ``investment_pledges`` are the capacity that needs capital first and the
    money for it (``demo/projects.py``), loaded beside the scenario.
    """

    scale: Scale
    seed: int
    scenario: Scenario
    partners: tuple[Partner, ...]
    companies: tuple[Company, ...]
    sites: tuple[Site, ...]
    investments: tuple[Investment, ...]
    proposal_sites: Mapping[str, str]
    projects: tuple[Project, ...] = ()
    investment_pledges: tuple[InvestmentPledge, ...] = ()
