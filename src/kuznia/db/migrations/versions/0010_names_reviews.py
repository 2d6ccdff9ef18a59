"""Ukrainian names of capabilities, categories and partners; a proposal's review reason; a
user's one-time password to change

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("capabilities") as batch:
        batch.add_column(sa.Column("name_uk", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("category_uk", sa.String(length=100), nullable=True))
    with op.batch_alter_table("partners") as batch:
        batch.add_column(sa.Column("name_uk", sa.String(length=200), nullable=True))
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("review_reason", sa.String(length=1000), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "password_change_required", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_change_required")
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("review_reason")
    with op.batch_alter_table("partners") as batch:
        batch.drop_column("name_uk")
    with op.batch_alter_table("capabilities") as batch:
        batch.drop_column("category_uk")
        batch.drop_column("name_uk")
