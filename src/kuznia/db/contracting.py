"""Tables of contracting: contracts, their schedules and amendments, money flows (commitments,
disbursements, expenditures) and deliveries.

Money is integer cents beside an ISO 4217 currency, as in the registries.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.base import (
    COUNTRY,
    CURRENCY,
    MONTH,
    TEXT,
    WHO,
    Base,
    Record,
    enum_type,
    one_of,
    utcnow,
)
from kuznia.scenario.kinds import ProposalKind


class ContractStatus(StrEnum):
    """Where a contract is; how it moves is ``services/contracting/lifecycle.py``."""

    DRAFT = "draft"
    SIGNED = "signed"
    IN_PRODUCTION = "in_production"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class ContractSource(StrEnum):
    PLAN = "plan"
    MANUAL = "manual"


class LicenceStatus(StrEnum):
    """The export licence of a line abroad."""

    NOT_REQUIRED = "not_required"
    APPLIED = "applied"
    GRANTED = "granted"
    REFUSED = "refused"
    EXPIRED = "expired"


class Contract(Record):
    """A contract for units of one capability, paid from one pledge, with a delivery schedule.

    Signed by the coordinator and by the paying partner (both recorded: who and when). For a
    ``ukrainian_abroad`` line it also states the wartime offtake clause, the IP owner and the
    export licence.
    """

    __tablename__ = "contracts"

    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[ContractSource] = mapped_column(enum_type(ContractSource, 10))
    plan_scenario_sha256: Mapped[str | None] = mapped_column(String(64))
    pledge_id: Mapped[str] = mapped_column(ForeignKey("pledges.id"), index=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    proposal_id: Mapped[str | None] = mapped_column(ForeignKey("proposals.id"), index=True)
    capability_id: Mapped[str] = mapped_column(ForeignKey("capabilities.id"), index=True)
    kind: Mapped[ProposalKind | None] = mapped_column(enum_type(ProposalKind, 30))
    units: Mapped[int] = mapped_column(BigInteger)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY)
    status: Mapped[ContractStatus] = mapped_column(
        enum_type(ContractStatus, 20), default=ContractStatus.DRAFT, index=True
    )
    coordinator_signed_by: Mapped[str | None] = mapped_column(WHO)
    coordinator_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    partner_signed_by: Mapped[str | None] = mapped_column(WHO)
    partner_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    terminated_reason: Mapped[str | None] = mapped_column(TEXT)
    offtake_until: Mapped[date | None] = mapped_column(Date)
    offtake_condition: Mapped[str | None] = mapped_column(TEXT)
    capacity_after: Mapped[str | None] = mapped_column(TEXT)
    ip_owner: Mapped[str | None] = mapped_column(WHO)
    export_licence_status: Mapped[LicenceStatus | None] = mapped_column(
        enum_type(LicenceStatus, 20)
    )
    export_licence_reference: Mapped[str | None] = mapped_column(String(100))
    export_licence_expiry: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint("units >= 1", name="units_positive"),
        CheckConstraint("amount_cents >= 0", name="amount_non_negative"),
        one_of("source", ContractSource, "source_known"),
        one_of("status", ContractStatus, "status_known"),
        one_of("export_licence_status", LicenceStatus, "licence_status_known", nullable=True),
    )


class ContractScheduleRow(Base):
    """Units due under a contract in a month (arrival month)."""

    __tablename__ = "contract_schedule"

    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    month: Mapped[str] = mapped_column(MONTH, primary_key=True)
    units: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (CheckConstraint("units >= 1", name="units_positive"),)


class ContractAmendment(Base):
    """One amendment: the contract's terms before and after, and the version it produced."""

    __tablename__ = "contract_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(TEXT)
    amended_by: Mapped[str] = mapped_column(WHO)
    amended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (UniqueConstraint("contract_id", "version"),)


class FlowKind(StrEnum):
    """IATI transaction types 2, 3 and 4."""

    COMMITMENT = "commitment"
    DISBURSEMENT = "disbursement"
    EXPENDITURE = "expenditure"


class MoneyFlow(Record):
    """An IATI-style transaction: commitment (2), disbursement (3) or expenditure (4).

    Of a contract (always paid from its pledge) or of an investment (paid from a pledge with
    purpose investment, or from the investor's own money: no pledge); exactly one of the two.
    In the pledge's currency (an investment's, for its flows); an amount given in another
    currency is converted once at the planning rates and the original amount, currency and rate
    are kept beside it. Disbursements and expenditures hang on a commitment (``commitment_id``).
    """

    __tablename__ = "money_flows"

    kind: Mapped[FlowKind] = mapped_column(enum_type(FlowKind, 12), index=True)
    pledge_id: Mapped[str | None] = mapped_column(ForeignKey("pledges.id"), index=True)
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    investment_id: Mapped[str | None] = mapped_column(ForeignKey("investments.id"), index=True)
    commitment_id: Mapped[str | None] = mapped_column(ForeignKey("money_flows.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY)
    original_amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    original_currency: Mapped[str | None] = mapped_column(CURRENCY)
    fx_rate: Mapped[str | None] = mapped_column(String(40), doc="pledge units per original unit")
    value_date: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(WHO)
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        one_of("kind", FlowKind, "kind_known"),
        CheckConstraint("(kind = 'commitment') = (commitment_id IS NULL)", name="commitment_link"),
        CheckConstraint("(contract_id IS NULL) <> (investment_id IS NULL)", name="one_purpose"),
        CheckConstraint("contract_id IS NULL OR pledge_id IS NOT NULL", name="contract_pledge"),
    )


class DeliveryStatus(StrEnum):
    """Reported, then inspected once; see ``services/contracting/lifecycle.py``."""

    REPORTED = "reported"
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"


class Delivery(Record):
    """Units a company delivered under a contract; inspected, then accepted and/or rejected.

    ``destination`` is a secret field. Rejected units carry a claim (reference and reason).
    """

    __tablename__ = "deliveries"

    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    month: Mapped[str] = mapped_column(MONTH, index=True)
    delivered_on: Mapped[date] = mapped_column(Date)
    units: Mapped[int] = mapped_column(BigInteger)
    destination: Mapped[str | None] = mapped_column(String(300))
    destination_country: Mapped[str | None] = mapped_column(COUNTRY)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_type(DeliveryStatus, 20), default=DeliveryStatus.REPORTED, index=True
    )
    accepted_units: Mapped[int] = mapped_column(BigInteger, default=0)
    rejected_units: Mapped[int] = mapped_column(BigInteger, default=0)
    claim_reference: Mapped[str | None] = mapped_column(String(100))
    claim_reason: Mapped[str | None] = mapped_column(TEXT)
    reported_by: Mapped[str] = mapped_column(WHO)
    inspected_by: Mapped[str | None] = mapped_column(WHO)
    inspected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint("units >= 1", name="units_positive"),
        one_of("status", DeliveryStatus, "status_known"),
        CheckConstraint(
            "accepted_units >= 0 AND rejected_units >= 0"
            " AND accepted_units + rejected_units <= units",
            name="inspection_adds_up",
        ),
        CheckConstraint(
            "rejected_units = 0 OR claim_reason IS NOT NULL", name="rejection_has_claim"
        ),
    )
