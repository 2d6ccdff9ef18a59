"""Resilience: risk classes of sites (set by the coordinator), each site's class (a secret field,
seen like its location), and stored evaluations of plans under sampled strikes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kuznia.db.base import ID, Base, Record, enum_type, one_of, utcnow


class RiskClassRow(Record):
    """A class of exposure to strikes: monthly probability that a strike or outage begins, the
    share of capacity lost while out, and the distribution of months out (``durations``: a list
    of ``{"months": n, "probability": p}`` summing to 1)."""

    __tablename__ = "risk_classes"
    __table_args__ = (
        CheckConstraint(
            "monthly_probability >= 0 AND monthly_probability <= 1", name="monthly_probability"
        ),
        CheckConstraint("capacity_loss >= 0 AND capacity_loss <= 1", name="capacity_loss"),
    )

    name: Mapped[str]
    monthly_probability: Mapped[float] = mapped_column(Float)
    capacity_loss: Mapped[float] = mapped_column(Float, default=1.0)
    durations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class SiteRisk(Record):
    """A site's risk class (``id`` is the site's id). The class is a secret field: who knows
    which sites are exposed knows where to strike."""

    __tablename__ = "site_risks"

    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), unique=True)
    risk_class_id: Mapped[str] = mapped_column(ForeignKey("risk_classes.id"), index=True)


class EvaluationKind(StrEnum):
    EVALUATE = "evaluate"  # a plan over sampled paths
    ROBUST = "robust"  # the robust plan beside it


class RiskEvaluation(Base):
    """An evaluation of a stored plan, computed by a job: its parameters and the
    ``kuznia.risk-evaluation/1`` (or ``-robust/1``) document."""

    __tablename__ = "risk_evaluations"
    __table_args__ = (
        CheckConstraint("paths >= 1", name="paths"),
        CheckConstraint("seed >= 0", name="seed"),
        one_of("kind", EvaluationKind, "kind"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[EvaluationKind] = mapped_column(enum_type(EvaluationKind, 20))
    paths: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    sample_paths: Mapped[int | None] = mapped_column(Integer, nullable=True)
    risk_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
