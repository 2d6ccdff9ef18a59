"""Plans computed by the optimizer, kept with the digest of the scenario they were computed from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Float, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.base import CURRENCY, ID, Base, utcnow


class StoredPlan(Base):
    """One run of the optimizer: who ran it, on which scenario (by SHA-256 of its canonical
    bytes), its headline figures as columns for listing, and the ``kuznia.plan/1`` document."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    scenario_sha256: Mapped[str] = mapped_column(String(64), index=True)
    include_unreviewed: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float)
    total_spend_cents: Mapped[int] = mapped_column(BigInteger)
    base_currency: Mapped[str] = mapped_column(CURRENCY)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanScenario(Base):
    """The exact inputs of stored plans: the canonical scenario bytes, zlib-compressed, keyed by
    their SHA-256 (the ``scenario_sha256`` of every plan made from them). Kept so that a page can
    show an earlier plan with the names it was made with, and anyone can fetch the very file a
    plan was computed from and check its digest."""

    __tablename__ = "plan_scenarios"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    compressed: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
