"""The log's head: its size and its frontier, reserved under its row lock by every appender.

The frontier of a log of ``size`` leaves is the hash of each complete subtree that new nodes
pair with: for each bit j set in ``size``, the subtree at level j, index ``(size >> j) - 1``
(the leaf ``size - 1`` at level 0). The head row keeps it beside the size (``frontier``: the
size it is for, 8 bytes, then the hashes of its set bits, lowest first, 32 bytes each), so an
appender reads both in the UPDATE that takes the row's lock. That UPDATE sees the row as the
appender before it committed it, however long it waited for it, where a read of the nodes
would see them as they were when its statement began (READ COMMITTED). A head without a
frontier of its size (an older database, a head made again after the log was truncated) has
it read from the nodes.

A unit of work on PostgreSQL takes its commit sequence number in the same statement
(:func:`reserve_with_seq`): the commit sequence's lock, then the head's, one round trip while
every other writer waits for the first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from kuznia.db.transparency import LedgerHead, LedgerLeaf, LedgerNode
from kuznia.errors import NotFound

HASH_BYTES = 32
SIZE_BYTES = 8
"""The stored frontier begins with the size it is the frontier of (8 bytes, big-endian): a head
whose size was moved on by anything that did not write the frontier (a plain SQL repair, a
process of an older version during an upgrade) has it read from the nodes, never trusted."""


def reserve(connection: Connection, count: int) -> tuple[int, dict[int, bytes]]:
    """Take the head row's lock and move the size on by ``count``; return the first new leaf's
    index and its frontier. The UPDATE comes first, so on SQLite the transaction holds the
    write lock before it reads, and on PostgreSQL the row lock orders appenders to commit."""
    row = connection.execute(_bump(), {"count": count}).first()
    if row is None:
        _create_head(connection)
        row = connection.execute(_bump(), {"count": count}).one()
    first = int(row[0])
    return first, frontier_of(connection, first, row[1])


def reserve_with_seq(
    connection: Connection, count: int
) -> tuple[int, tuple[int, dict[int, bytes]]] | None:
    """PostgreSQL: the unit of work's commit sequence number, then the head as :func:`reserve`,
    in one statement: (the number, (the first new leaf's index, its frontier)). None when there
    is no commit sequence row (a truncated database): nothing was taken, the caller takes the
    number and the head the way each heals."""
    row = connection.execute(_bump_with_seq(), {"count": count}).first()
    if row is None:
        return None
    seq, first, stored = row
    if first is None:  # no head row: made now, after the number
        return int(seq), reserve(connection, count)
    return int(seq), (int(first), frontier_of(connection, int(first), stored))


def frontier_of(connection: Connection, first: int, stored: bytes | None) -> dict[int, bytes]:
    """The frontier of leaf ``first`` from the head's ``stored`` bytes if they are the frontier
    of that size, else from the nodes."""
    kept = None if stored is None else frontier_of_head(bytes(stored), first)
    return _frontier(connection, first) if kept is None else kept


def frontier_levels(size: int) -> list[int]:
    """The levels of the frontier of a log of ``size`` leaves: each bit set in ``size``,
    lowest first (the subtree at level j has index ``(size >> j) - 1``)."""
    return [j for j in range(size.bit_length()) if size >> j & 1]


def frontier_of_head(stored: bytes, size: int) -> dict[int, bytes] | None:
    """The frontier the head's ``stored`` bytes hold, by level, if they hold one for ``size``."""
    levels = frontier_levels(size)
    hashes = stored[SIZE_BYTES:]
    if stored[:SIZE_BYTES] != size.to_bytes(SIZE_BYTES, "big"):
        return None
    if len(hashes) != HASH_BYTES * len(levels):
        return None
    return {j: hashes[HASH_BYTES * n : HASH_BYTES * (n + 1)] for n, j in enumerate(levels)}


def next_frontier(
    first: int,
    leaf_hashes: Sequence[bytes],
    nodes: Sequence[tuple[int, int, bytes]],
    frontier: Mapping[int, bytes],
) -> bytes:
    """The frontier after the leaves from ``first`` and the ``nodes`` they complete, as the head
    keeps it: a member is a new leaf or node, or was in ``frontier`` already."""
    size = first + len(leaf_hashes)
    made = {(0, first + i): h for i, h in enumerate(leaf_hashes)}
    made.update(((level, idx), h) for level, idx, h in nodes)
    hashes = (made.get((j, (size >> j) - 1)) or frontier[j] for j in frontier_levels(size))
    return size.to_bytes(SIZE_BYTES, "big") + b"".join(hashes)


def head_row(size: int, frontier: bytes) -> dict[str, Any]:
    """The head as the unit of work's one INSERT writes it back (an upsert of its one row)."""
    return {"id": 1, "size": size, "frontier": frontier}


ONE: ColumnElement[int] = literal_column("1", Integer)
"""Numbers are written in the SQL, only the count bound: PostgreSQL then keeps one plan for a
statement a connection keeps prepared. With more values bound it planned the log head's
statement again at every run (its guess for unknown values was dearer): 164 us of the server's
time for each create, while every other writer waited (``pg_stat_statements``)."""


@cache
def _bump() -> Any:
    """The head's UPDATE, returning the first new index and the stored frontier."""
    count = bindparam("count", type_=Integer)
    return (
        update(LedgerHead)
        .where(LedgerHead.id == ONE)
        .values(size=LedgerHead.size + count)
        .returning((LedgerHead.size - count).label("first"), LedgerHead.frontier)
    )


@cache
def _bump_with_seq() -> Any:
    """``WITH seq AS (UPDATE commit_sequence ...), head AS (UPDATE ledger_head ... WHERE EXISTS
    (SELECT ... FROM seq)) SELECT ... FROM seq LEFT OUTER JOIN head``: the head's row is
    updated only once the number's statement has run, so its lock is taken after that one's,
    the order every writer keeps. (The commit sequence's module is imported here, by writers
    only: a reader of the log, ``kuznia log audit``, loads no writer's tables.)"""
    from kuznia.services.kernel.commit_sequence import seq_update

    seq = seq_update(ONE).cte("seq")
    count = bindparam("count", type_=Integer)
    head = (
        update(LedgerHead)
        .where(LedgerHead.id == ONE, select(seq.c.value).exists())
        .values(size=LedgerHead.size + count)
        .returning((LedgerHead.size - count).label("first"), LedgerHead.frontier)
        .cte("head")
    )
    joined = seq.outerjoin(head, true())
    return select(seq.c.value, head.c.first, head.c.frontier).select_from(joined)


def _create_head(connection: Connection) -> None:
    """The head row, sized from the leaves (it is missing only in a new or truncated log); its
    frontier is then read from the nodes. ``WHERE true`` keeps SQLite from reading ON CONFLICT
    as a join constraint."""
    size = select(func.coalesce(func.max(LedgerLeaf.seq) + 1, 0)).scalar_subquery()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    head = select(literal(1), size).where(true())
    statement = dialect.insert(LedgerHead).from_select(["id", "size"], head)
    connection.execute(statement.on_conflict_do_nothing())


def _frontier(connection: Connection, first: int) -> dict[int, bytes]:
    """The frontier of leaf ``first`` read from the stored leaves and nodes, in one statement:
    the leaf before ``first`` when it is odd, and at each level j above it the node
    ``(first >> j) - 1`` when bit j of ``first`` is set (index -1, which no row has, else)."""
    if first == 0:
        return {}
    wanted = {j: (first >> j) - 1 if first >> j & 1 else -1 for j in range(first.bit_length())}
    params = {f"i{j}": index for j, index in wanted.items()}
    rows = connection.execute(_frontier_statement(first.bit_length()), params)
    found = {int(level): bytes(digest) for level, digest in rows}
    if first & 1 and 0 not in found:
        raise NotFound(f"leaf {first - 1} is missing from the log")
    return found


@cache
def _frontier_statement(levels: int) -> Select[int, bytes]:
    """The frontier's statement for ``first`` of ``levels`` bits, built once per bit length:
    the indexes are parameters ``i0`` (the leaf), ``i1``... (each an index search)."""
    leaf = select(literal(0).label("level"), LedgerLeaf.leaf_hash.label("hash")).where(
        LedgerLeaf.seq == bindparam("i0")
    )
    if levels == 1:
        return leaf
    terms = [
        and_(LedgerNode.level == j, LedgerNode.idx == bindparam(f"i{j}")) for j in range(1, levels)
    ]
    nodes = select(LedgerNode.level, LedgerNode.hash).where(or_(*terms))
    statement: Any = union_all(leaf, nodes)
    return statement  # type: ignore[no-any-return]
