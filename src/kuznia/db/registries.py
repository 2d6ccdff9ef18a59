"""Registry tables: capabilities, needs (requirements), partners, companies, sites, proposals,
capacity projects, pledges, investments, and the planning frame (base currency, FX rates).

One row type per entity; the scenario models in ``kuznia.scenario`` are the exchange documents,
and services translate between the two (see ARCHITECTURE.md, "Two hand-written shapes").
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.base import COUNTRY, CURRENCY, MONTH, Base, Record, enum_type, one_of
from kuznia.db.enums import PledgeStatus, ProjectStatus, ProposalStatus
from kuznia.scenario.kinds import ProposalKind

__all__ = ["PledgeStatus", "ProjectStatus", "ProposalKind", "ProposalStatus"]


class PlanningSettings(Base):
    """The planning frame shared by every scenario exported from this database (one row)."""

    __tablename__ = "planning_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    start_month: Mapped[str] = mapped_column(MONTH)
    horizon_months: Mapped[int] = mapped_column(Integer)
    base_currency: Mapped[str] = mapped_column(CURRENCY)
    lateness_decay: Mapped[float] = mapped_column(Float)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class FxRate(Base):
    __tablename__ = "fx_rates"

    currency: Mapped[str] = mapped_column(CURRENCY, primary_key=True)
    rate: Mapped[str] = mapped_column(String(30), doc="base-currency units per one unit, decimal")


class Capability(Record):
    __tablename__ = "capabilities"

    name: Mapped[str]
    name_uk: Mapped[str | None] = mapped_column(String(200), doc="the name in Ukrainian")
    unit: Mapped[str] = mapped_column(String(50))
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    category_uk: Mapped[str | None] = mapped_column(String(100), doc="the category in Ukrainian")


class Requirement(Record):
    """A need of Ukraine's forces."""

    __tablename__ = "requirements"

    capability_id: Mapped[str] = mapped_column(ForeignKey("capabilities.id"), index=True)
    quantity: Mapped[int] = mapped_column(BigInteger)
    due_month: Mapped[str] = mapped_column(MONTH, index=True)
    priority: Mapped[float] = mapped_column(Float)
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("priority > 0", name="priority_positive"),
    )


class Partner(Record):
    """A partner government or fund (Ukraine's own budget is a partner too)."""

    __tablename__ = "partners"

    name: Mapped[str]
    name_uk: Mapped[str | None] = mapped_column(String(200), doc="the name in Ukrainian")
    country: Mapped[str | None] = mapped_column(COUNTRY, index=True)
    kind: Mapped[str] = mapped_column(String(20), default="government")


class Company(Record):
    __tablename__ = "companies"

    name: Mapped[str]
    country: Mapped[str] = mapped_column(COUNTRY, index=True)
    ukrainian: Mapped[bool] = mapped_column(Boolean, default=False)
    state_owned: Mapped[bool] = mapped_column(Boolean, default=False)


class Site(Record):
    """A production site. Its location (address, coordinates) is a secret field."""

    __tablename__ = "sites"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str]
    country: Mapped[str] = mapped_column(COUNTRY, index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[str | None] = mapped_column(String(20))
    longitude: Mapped[str | None] = mapped_column(String(20))


class Proposal(Record):
    """A production line offer; every field of the allocation contract plus site and review."""

    __tablename__ = "proposals"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), index=True)
    site_country: Mapped[str] = mapped_column(COUNTRY, index=True)
    capability_id: Mapped[str] = mapped_column(ForeignKey("capabilities.id"), index=True)
    unit_cost_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY)
    monthly_capacity: Mapped[int] = mapped_column(BigInteger)
    lead_time_months: Mapped[int] = mapped_column(Integer)
    ramp_up_months: Mapped[int] = mapped_column(Integer)
    setup_cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    min_total_units: Mapped[int] = mapped_column(BigInteger, default=0)
    ship_lag_months: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[ProposalKind | None] = mapped_column(enum_type(ProposalKind, 30), index=True)
    offtake_until: Mapped[str | None] = mapped_column(MONTH)
    offtake_share_percent: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[ProposalStatus] = mapped_column(
        enum_type(ProposalStatus, 20), default=ProposalStatus.SUBMITTED, index=True
    )
    review_reason: Mapped[str | None] = mapped_column(
        String(1000), doc="why the ministry gave its last review decision (required to reject)"
    )
    __table_args__ = (
        CheckConstraint("unit_cost_cents >= 0", name="unit_cost_non_negative"),
        CheckConstraint("setup_cost_cents >= 0", name="setup_cost_non_negative"),
        CheckConstraint("monthly_capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("lead_time_months >= 0", name="lead_non_negative"),
        CheckConstraint("ramp_up_months >= 1", name="ramp_up_positive"),
        CheckConstraint("min_total_units >= 0", name="min_units_non_negative"),
        CheckConstraint("ship_lag_months >= 0", name="ship_lag_non_negative"),
        one_of("status", ProposalStatus, "status_known"),
    )


class CapacityProject(Record):
    """Capacity that needs capital first (ALLOCATION.md, "Capacity projects"): the capex, when
    it may start and how long it builds, and the line it becomes. Once producing, that line is
    a vetted proposal (``proposal_id``) and the project leaves the scenario."""

    __tablename__ = "capacity_projects"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), index=True)
    site_country: Mapped[str] = mapped_column(COUNTRY, index=True)
    capability_id: Mapped[str] = mapped_column(ForeignKey("capabilities.id"), index=True)
    kind: Mapped[ProposalKind | None] = mapped_column(enum_type(ProposalKind, 30), index=True)
    capex_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY)
    earliest_start: Mapped[str] = mapped_column(MONTH)
    build_months: Mapped[int] = mapped_column(Integer)
    unit_cost_cents: Mapped[int] = mapped_column(BigInteger)
    monthly_capacity: Mapped[int] = mapped_column(BigInteger)
    ramp_up_months: Mapped[int] = mapped_column(Integer)
    min_total_units: Mapped[int] = mapped_column(BigInteger, default=0)
    ship_lag_months: Mapped[int] = mapped_column(Integer, default=0)
    offtake_until: Mapped[str | None] = mapped_column(MONTH)
    offtake_share_percent: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[ProjectStatus] = mapped_column(
        enum_type(ProjectStatus, 20), default=ProjectStatus.SUBMITTED, index=True
    )
    proposal_id: Mapped[str | None] = mapped_column(
        ForeignKey("proposals.id"), unique=True, doc="the line it became once producing"
    )
    __table_args__ = (
        CheckConstraint("capex_cents > 0", name="capex_positive"),
        CheckConstraint("build_months >= 0", name="build_non_negative"),
        CheckConstraint("unit_cost_cents >= 0", name="unit_cost_non_negative"),
        CheckConstraint("monthly_capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("ramp_up_months >= 1", name="ramp_up_positive"),
        CheckConstraint("min_total_units >= 0", name="min_units_non_negative"),
        CheckConstraint("ship_lag_months >= 0", name="ship_lag_non_negative"),
        one_of("status", ProjectStatus, "status_known"),
    )


class PledgePurpose(StrEnum):
    """What a pledge's money may pay for (ALLOCATION.md, scenario format 2)."""

    PRODUCTION = "production"
    INVESTMENT = "investment"


def _production_only() -> list[str]:
    return [PledgePurpose.PRODUCTION.value]


class Pledge(Record):
    """Financing offered by a partner (a government, or an investor fund), with earmarks
    (empty list = no restriction) and purposes: production (units of lines), investment (the
    capex of capacity projects), or both."""

    __tablename__ = "pledges"

    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY)
    valid_from: Mapped[str] = mapped_column(MONTH)
    valid_to: Mapped[str] = mapped_column(MONTH)
    earmark_capabilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    earmark_site_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    earmark_company_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    earmark_projects: Mapped[list[str]] = mapped_column(JSON, default=list)
    purposes: Mapped[list[str]] = mapped_column(JSON, default=_production_only)
    status: Mapped[PledgeStatus] = mapped_column(
        enum_type(PledgeStatus, 20), default=PledgeStatus.OFFERED, index=True
    )
    __table_args__ = (
        CheckConstraint("amount_cents >= 0", name="amount_non_negative"),
        CheckConstraint("valid_from <= valid_to", name="window_ordered"),
        one_of("status", PledgeStatus, "status_known"),
    )


class InvestmentInstrument(StrEnum):
    EQUITY = "equity"
    LOAN = "loan"
    GRANT = "grant"


class Investment(Record):
    """Equity, a loan or a grant from an investor company into a capacity project, a company or
    a site in another country."""

    __tablename__ = "investments"

    investor_company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    target_company_id: Mapped[str | None] = mapped_column(ForeignKey("companies.id"), index=True)
    target_site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), index=True)
    target_project_id: Mapped[str | None] = mapped_column(
        ForeignKey("capacity_projects.id"), index=True
    )
    from_country: Mapped[str] = mapped_column(COUNTRY, index=True)
    to_country: Mapped[str] = mapped_column(COUNTRY, index=True)
    instrument: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY)
    month: Mapped[str] = mapped_column(MONTH)
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        one_of("instrument", InvestmentInstrument, "instrument_known"),
        CheckConstraint(
            "target_company_id IS NOT NULL OR target_site_id IS NOT NULL "
            "OR target_project_id IS NOT NULL",
            name="has_target",
        ),
        CheckConstraint("from_country <> to_country", name="crosses_border"),
    )
