"""rules: offtake terms on proposals, a delivery's destination country; the bounds of
scenario/bounds.py as CHECK constraints (``kuznia.db.bounds.BOUNDS`` as it stands at this
revision, written out; tests/integration/db/test_bounds.py compares them with the models)

Revision ID: 0007
Revises: 0003, 0006
Create Date: 2026-12-02 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = ("0003", "0006")  # merges the contracting branch; the lead re-chains
branch_labels = None
depends_on = None

CHECKS: dict[str, list[tuple[str, str, bool]]] = {  # table: [(column, check, nullable)]
    "planning_settings": [
        ("start_month", "start_month BETWEEN '2022-01' AND '2099-12'", False),
        ("horizon_months", "horizon_months BETWEEN 0 AND 600", False),
    ],
    "requirements": [
        ("quantity", "quantity BETWEEN 0 AND 999999999", False),
        ("due_month", "due_month BETWEEN '2022-01' AND '2099-12'", False),
    ],
    "sites": [
        ("latitude", "CAST(latitude AS NUMERIC) BETWEEN -90 AND 90", True),
        ("longitude", "CAST(longitude AS NUMERIC) BETWEEN -180 AND 180", True),
    ],
    "proposals": [
        ("unit_cost_cents", "unit_cost_cents BETWEEN 0 AND 999999999999999", False),
        ("setup_cost_cents", "setup_cost_cents BETWEEN 0 AND 999999999999999", False),
        ("monthly_capacity", "monthly_capacity BETWEEN 0 AND 999999999", False),
        ("min_total_units", "min_total_units BETWEEN 0 AND 999999999", False),
        ("lead_time_months", "lead_time_months BETWEEN 0 AND 600", False),
        ("ramp_up_months", "ramp_up_months BETWEEN 0 AND 600", False),
        ("ship_lag_months", "ship_lag_months BETWEEN 0 AND 600", False),
        ("offtake_until", "offtake_until BETWEEN '2022-01' AND '2099-12'", True),
        ("offtake_share_percent", "offtake_share_percent BETWEEN 1 AND 100", True),
    ],
    "pledges": [
        ("amount_cents", "amount_cents BETWEEN 0 AND 999999999999999", False),
        ("valid_from", "valid_from BETWEEN '2022-01' AND '2099-12'", False),
        ("valid_to", "valid_to BETWEEN '2022-01' AND '2099-12'", False),
    ],
    "investments": [
        ("amount_cents", "amount_cents BETWEEN 0 AND 999999999999999", False),
        ("month", "month BETWEEN '2022-01' AND '2099-12'", False),
    ],
    "contracts": [
        ("units", "units BETWEEN 0 AND 999999999", False),
        ("amount_cents", "amount_cents BETWEEN 0 AND 999999999999999", False),
        ("offtake_until", "offtake_until BETWEEN '2022-01-01' AND '2099-12-31'", True),
        ("export_licence_expiry",
         "export_licence_expiry BETWEEN '2022-01-01' AND '2099-12-31'", True),
    ],
    "contract_schedule": [
        ("month", "month BETWEEN '2022-01' AND '2099-12'", False),
        ("units", "units BETWEEN 0 AND 999999999", False),
    ],
    "money_flows": [
        ("amount_cents", "amount_cents BETWEEN 0 AND 999999999999999", False),
        ("original_amount_cents", "original_amount_cents BETWEEN 0 AND 999999999999999", True),
        ("value_date", "value_date BETWEEN '2022-01-01' AND '2099-12-31'", False),
    ],
    "deliveries": [
        ("month", "month BETWEEN '2022-01' AND '2099-12'", False),
        ("delivered_on", "delivered_on BETWEEN '2022-01-01' AND '2099-12-31'", False),
        ("units", "units BETWEEN 0 AND 999999999", False),
        ("accepted_units", "accepted_units BETWEEN 0 AND 999999999", False),
        ("rejected_units", "rejected_units BETWEEN 0 AND 999999999", False),
    ],
}  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("offtake_until", sa.String(length=7), nullable=True))
        batch.add_column(sa.Column("offtake_share_percent", sa.Integer(), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("destination_country", sa.String(length=2), nullable=True))
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column, check, nullable in checks:
                sql = f"{column} IS NULL OR {check}" if nullable else check
                batch.create_check_constraint(op.f(f"ck_{table}_{column}_bounded"), sql)


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column, _check, _nullable in checks:
                batch.drop_constraint(op.f(f"ck_{table}_{column}_bounded"), type_="check")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("destination_country")
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("offtake_share_percent")
        batch.drop_column("offtake_until")
