"""The log head keeps its frontier (the hashes of the complete subtrees new nodes pair with)
beside its size, so an appender reads it with the head's lock; filled in from the stored leaves
and nodes for a log in use

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _frontier(connection: sa.Connection, size: int) -> bytes:
    """The size (8 bytes, big-endian), then for each bit j set in it, lowest first, the leaf
    ``size - 1`` (j = 0) or the node at level j, index ``(size >> j) - 1``: as
    ``services/transparency/head.py`` keeps it."""
    hashes = [size.to_bytes(8, "big")]
    for j in range(size.bit_length()):
        if not size >> j & 1:
            continue
        index = (size >> j) - 1
        if j == 0:
            query = "SELECT leaf_hash FROM ledger_leaves WHERE seq = :index"
            found = connection.execute(sa.text(query), {"index": index}).scalar()
        else:
            query = "SELECT hash FROM ledger_nodes WHERE level = :level AND idx = :index"
            found = connection.execute(sa.text(query), {"level": j, "index": index}).scalar()
        if found is None:  # a log missing what its size says: left to be read from the nodes
            return b""
        hashes.append(bytes(found))
    return b"".join(hashes)


def upgrade() -> None:
    with op.batch_alter_table("ledger_head") as batch:
        batch.add_column(sa.Column("frontier", sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    size = connection.execute(sa.text("SELECT size FROM ledger_head WHERE id = 1")).scalar()
    if size:
        frontier = _frontier(connection, int(size))
        if frontier:
            update = "UPDATE ledger_head SET frontier = :frontier WHERE id = 1"
            connection.execute(sa.text(update), {"frontier": frontier})


def downgrade() -> None:
    with op.batch_alter_table("ledger_head") as batch:
        batch.drop_column("frontier")
