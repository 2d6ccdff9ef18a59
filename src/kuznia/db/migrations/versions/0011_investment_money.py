"""Money flows of investments: a flow belongs to a contract or to an investment (exactly one);
an investment's flows may be paid from a pledge with purpose investment, or from no pledge

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("money_flows", schema=None) as batch:
        batch.alter_column("pledge_id", existing_type=sa.String(length=100), nullable=True)
        batch.alter_column("contract_id", existing_type=sa.String(length=100), nullable=True)
        batch.add_column(sa.Column("investment_id", sa.String(length=100), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_money_flows_investment_id_investments"),
            "investments",
            ["investment_id"],
            ["id"],
        )
        batch.create_index(batch.f("ix_money_flows_investment_id"), ["investment_id"])
        batch.create_check_constraint(
            batch.f("ck_money_flows_one_purpose"),
            "(contract_id IS NULL) <> (investment_id IS NULL)",
        )
        batch.create_check_constraint(
            batch.f("ck_money_flows_contract_pledge"),
            "contract_id IS NULL OR pledge_id IS NOT NULL",
        )


def downgrade() -> None:
    op.execute(
        "DELETE FROM money_flows WHERE investment_id IS NOT NULL AND commitment_id IS NOT NULL"
    )
    op.execute("DELETE FROM money_flows WHERE investment_id IS NOT NULL")
    with op.batch_alter_table("money_flows", schema=None) as batch:
        batch.drop_constraint(batch.f("ck_money_flows_contract_pledge"), type_="check")
        batch.drop_constraint(batch.f("ck_money_flows_one_purpose"), type_="check")
        batch.drop_index(batch.f("ix_money_flows_investment_id"))
        batch.drop_constraint(
            batch.f("fk_money_flows_investment_id_investments"), type_="foreignkey"
        )
        batch.drop_column("investment_id")
        batch.alter_column("contract_id", existing_type=sa.String(length=100), nullable=False)
        batch.alter_column("pledge_id", existing_type=sa.String(length=100), nullable=False)
