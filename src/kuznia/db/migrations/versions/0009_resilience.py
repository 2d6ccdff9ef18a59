"""resilience: risk classes, each site's risk class (secret), stored risk evaluations

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 02:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "risk_classes",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("monthly_probability", sa.Float(), nullable=False),
        sa.Column("capacity_loss", sa.Float(), nullable=False),
        sa.Column("durations", sa.JSON(), nullable=False),
        *_record_columns(),
        sa.CheckConstraint(
            "capacity_loss >= 0 AND capacity_loss <= 1", name=op.f("ck_risk_classes_capacity_loss")
        ),
        sa.CheckConstraint(
            "monthly_probability >= 0 AND monthly_probability <= 1",
            name=op.f("ck_risk_classes_monthly_probability"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_classes")),
    )
    op.create_table(
        "site_risks",
        sa.Column("site_id", sa.String(length=100), nullable=False),
        sa.Column("risk_class_id", sa.String(length=100), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["risk_class_id"],
            ["risk_classes.id"],
            name=op.f("fk_site_risks_risk_class_id_risk_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_risks_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_risks")),
        sa.UniqueConstraint("site_id", name=op.f("uq_site_risks_site_id")),
    )
    with op.batch_alter_table("site_risks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_site_risks_risk_class_id"), ["risk_class_id"], unique=False
        )
    op.create_table(
        "risk_evaluations",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("plan_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("paths", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("sample_paths", sa.Integer(), nullable=True),
        sa.Column("risk_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.CheckConstraint("kind IN ('evaluate', 'robust')", name=op.f("ck_risk_evaluations_kind")),
        sa.CheckConstraint("paths >= 1", name=op.f("ck_risk_evaluations_paths")),
        sa.CheckConstraint("seed >= 0", name=op.f("ck_risk_evaluations_seed")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_risk_evaluations_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_evaluations")),
    )
    with op.batch_alter_table("risk_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_evaluations_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("risk_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_evaluations_plan_id"))
    op.drop_table("risk_evaluations")
    with op.batch_alter_table("site_risks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_risks_risk_class_id"))
    op.drop_table("site_risks")
    op.drop_table("risk_classes")
