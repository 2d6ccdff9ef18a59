"""Tables of issue 5: the transparency log, contracts, money flows and deliveries.

The log tables (``ledger_*``) and ``contract_amendments`` are append-only: migration 0003 creates
triggers on SQLite and PostgreSQL that refuse UPDATE and DELETE of their rows, so not even a bug
in kuznia (or an operator with plain SQL) can quietly rewrite history. ``ledger_head`` is the one
mutable log table: a single row whose lock serialises appends and hands out sequence numbers.

Money is integer cents beside an ISO 4217 currency, as in ``models``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.models import CURRENCY, ID, MONTH, Base, Record, utcnow

HASH = LargeBinary(32)
SEQ = BigInteger().with_variant(Integer(), "sqlite")
"""On SQLite an INTEGER primary key is the rowid itself: no second index for a million leaves."""
WHO = String(200)
TEXT = String(500)

APPEND_ONLY_TABLES = (
    "ledger_leaves",
    "ledger_nodes",
    "ledger_openings",
    "ledger_checkpoints",
    "contract_amendments",
)
"""Tables whose rows the database refuses to update or delete (triggers of migration 0003)."""


class LedgerLeaf(Base):
    """One leaf of the log: the canonical JSON of one change, secret fields as commitments."""

    __tablename__ = "ledger_leaves"

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(10))
    leaf: Mapped[str] = mapped_column(Text, doc="canonical JSON (RFC 8785), hashed as UTF-8")
    leaf_hash: Mapped[bytes] = mapped_column(HASH, doc="SHA-256(0x00 || leaf)")
    __table_args__ = (
        CheckConstraint("seq >= 0", name="seq_non_negative"),
        Index("ix_ledger_leaves_entity_record_id", "entity", "record_id"),
    )


class LedgerNode(Base):
    """The hash of a complete subtree: 2^level leaves starting at leaf index * 2^level.

    Level 0 is the leaf hash, kept in ``ledger_leaves``; levels 1 and up are here (about one
    row per leaf), so every proof and every past root costs O(log^2 n) look-ups.
    """

    __tablename__ = "ledger_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(HASH)
    __table_args__ = (CheckConstraint("level >= 1 AND idx >= 0", name="position_valid"),)


class LedgerHead(Base):
    """The log's size (one row). Appenders lock it, which orders them and keeps seq gapless."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=1)
    size: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("size >= 0", name="size_non_negative"),
    )


class LedgerOpening(Base):
    """The salt and value behind one commitment of a leaf: readable by the coordinator only."""

    __tablename__ = "ledger_openings"

    seq: Mapped[int] = mapped_column(ForeignKey("ledger_leaves.seq"), primary_key=True)
    part: Mapped[str] = mapped_column(String(6), primary_key=True, doc="before or after")
    field: Mapped[str] = mapped_column(String(100), primary_key=True)
    salt: Mapped[bytes] = mapped_column(HASH)
    value: Mapped[str] = mapped_column(Text, doc="canonical JSON of the secret value")
    __table_args__ = (CheckConstraint("part IN ('before', 'after')", name="part_known"),)


class LedgerCheckpoint(Base):
    """A signed tree head: the C2SP signed note as published, and its parsed fields."""

    __tablename__ = "ledger_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger, index=True)
    root_hash: Mapped[bytes] = mapped_column(HASH)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


CONTRACT_STATUSES = ("draft", "signed", "in_production", "completed", "terminated")
LICENCE_STATUSES = ("not_required", "applied", "granted", "refused", "expired")


class Contract(Record):
    """A contract for units of one capability, paid from one pledge, with a delivery schedule.

    Signed by the coordinator and by the paying partner (both recorded: who and when). For a
    ``ukrainian_abroad`` line it also states the wartime offtake clause, the IP owner and the
    export licence.
    """

    __tablename__ = "contracts"

    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10), doc="plan or manual")
    plan_scenario_sha256: Mapped[str | None] = mapped_column(String(64))
    pledge_id: Mapped[str] = mapped_column(ForeignKey("pledges.id"), index=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    proposal_id: Mapped[str | None] = mapped_column(ForeignKey("proposals.id"), index=True)
    capability_id: Mapped[str] = mapped_column(ForeignKey("capabilities.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(30))
    units: Mapped[int] = mapped_column(BigInteger)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(CURRENCY)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    coordinator_signed_by: Mapped[str | None] = mapped_column(WHO)
    coordinator_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    partner_signed_by: Mapped[str | None] = mapped_column(WHO)
    partner_signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    terminated_reason: Mapped[str | None] = mapped_column(TEXT)
    offtake_until: Mapped[date | None] = mapped_column(Date)
    offtake_condition: Mapped[str | None] = mapped_column(TEXT)
    capacity_after: Mapped[str | None] = mapped_column(TEXT)
    ip_owner: Mapped[str | None] = mapped_column(WHO)
    export_licence_status: Mapped[str | None] = mapped_column(String(20))
    export_licence_reference: Mapped[str | None] = mapped_column(String(100))
    export_licence_expiry: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint("units >= 1", name="units_positive"),
        CheckConstraint("amount_cents >= 0", name="amount_non_negative"),
        CheckConstraint("source IN ('plan', 'manual')", name="source_known"),
        CheckConstraint(f"status IN {CONTRACT_STATUSES!r}", name="status_known"),
        CheckConstraint(
            f"export_licence_status IS NULL OR export_licence_status IN {LICENCE_STATUSES!r}",
            name="licence_status_known",
        ),
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


FLOW_KINDS = ("commitment", "disbursement", "expenditure")


class MoneyFlow(Record):
    """An IATI-style transaction: commitment (2), disbursement (3) or expenditure (4).

    Always in the pledge's currency; an amount given in another currency is converted once at
    the planning rates and the original amount, currency and rate are kept beside it.
    Disbursements and expenditures hang on a commitment (``commitment_id``).
    """

    __tablename__ = "money_flows"

    kind: Mapped[str] = mapped_column(String(12), index=True)
    pledge_id: Mapped[str] = mapped_column(ForeignKey("pledges.id"), index=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
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
        CheckConstraint(f"kind IN {FLOW_KINDS!r}", name="kind_known"),
        CheckConstraint("(kind = 'commitment') = (commitment_id IS NULL)", name="commitment_link"),
    )


DELIVERY_STATUSES = ("reported", "accepted", "partially_accepted", "rejected")


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
    status: Mapped[str] = mapped_column(String(20), default="reported", index=True)
    accepted_units: Mapped[int] = mapped_column(BigInteger, default=0)
    rejected_units: Mapped[int] = mapped_column(BigInteger, default=0)
    claim_reference: Mapped[str | None] = mapped_column(String(100))
    claim_reason: Mapped[str | None] = mapped_column(TEXT)
    reported_by: Mapped[str] = mapped_column(WHO)
    inspected_by: Mapped[str | None] = mapped_column(WHO)
    inspected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint("units >= 1", name="units_positive"),
        CheckConstraint(f"status IN {DELIVERY_STATUSES!r}", name="status_known"),
        CheckConstraint(
            "accepted_units >= 0 AND rejected_units >= 0"
            " AND accepted_units + rejected_units <= units",
            name="inspection_adds_up",
        ),
        CheckConstraint(
            "rejected_units = 0 OR claim_reason IS NOT NULL", name="rejection_has_claim"
        ),
    )
