"""rules: offtake terms on proposals, a delivery's destination country

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = "0003"  # the contracting tables (a branch of its own until the lead re-chains)


def upgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("offtake_until", sa.String(length=7), nullable=True))
        batch.add_column(sa.Column("offtake_share_percent", sa.Integer(), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("destination_country", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("destination_country")
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("offtake_share_percent")
        batch.drop_column("offtake_until")
