"""bounds of the tables added after 0007: capacity projects (capex, build months, the line it
becomes) and risk classes (probability and share of capacity lost) as CHECK constraints
(``kuznia.db.bounds.BOUNDS`` as it stands at this revision, written out;
tests/integration/db/test_bounds.py compares them with the models)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CHECKS: dict[str, list[tuple[str, str, bool]]] = {  # table: [(column, check, nullable)]
    "capacity_projects": [
        ("capex_cents", "capex_cents BETWEEN 1 AND 99999999999999", False),
        ("earliest_start", "earliest_start BETWEEN '2022-01' AND '2099-12'", False),
        ("offtake_until", "offtake_until BETWEEN '2022-01' AND '2099-12'", True),
        ("build_months", "build_months BETWEEN 0 AND 120", False),
        ("unit_cost_cents", "unit_cost_cents BETWEEN 0 AND 999999999999999", False),
        ("monthly_capacity", "monthly_capacity BETWEEN 0 AND 999999999", False),
        ("min_total_units", "min_total_units BETWEEN 0 AND 999999999", False),
        ("ramp_up_months", "ramp_up_months BETWEEN 0 AND 600", False),
        ("ship_lag_months", "ship_lag_months BETWEEN 0 AND 600", False),
        ("offtake_share_percent", "offtake_share_percent BETWEEN 1 AND 100", True),
    ],
    "risk_classes": [
        ("monthly_probability", "monthly_probability BETWEEN 0 AND 1", False),
        ("capacity_loss", "capacity_loss BETWEEN 0 AND 1", False),
    ],
}  # fmt: skip


def upgrade() -> None:
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
