"""The log head keeps its frontier beside its size (``services/transparency/head.py``): after
every append it is the frontier the stored leaves and nodes give; a head without one (an older
database) reads it from the nodes; migration 0013 fills it in for a log in use."""

from __future__ import annotations

from sqlalchemy import text

from kuznia.db.migrate import downgrade, upgrade
from kuznia.services.transparency import store
from kuznia.services.transparency.head import _frontier
from kuznia.transparency import TreeLevels
from tests.integration.transparency.conftest import log_changes


def _stored(database) -> tuple[int, bytes | None]:
    with database.engine.connect() as connection:
        size, frontier = connection.execute(text("SELECT size, frontier FROM ledger_head")).one()
    return int(size), None if frontier is None else bytes(frontier)


def _from_nodes(database, size: int) -> bytes:
    """The size, then the frontier's hashes read from the leaves and nodes."""
    with database.engine.connect() as connection:
        found = _frontier(connection, size)
    return size.to_bytes(8, "big") + b"".join(found[j] for j in sorted(found))


def _sound(database) -> None:
    """The audit passes and the root is the one a tree of the leaves gives."""
    with database.reading() as session:
        assert store.audit(session).ok
        reference = TreeLevels()
        reference.append_leaves(leaf.leaf for leaf in store.iter_leaves(session))
        assert store.root_hash(session) == reference.root()


def test_after_every_append_the_head_keeps_the_frontier_the_nodes_give(database):
    for n, count in enumerate([1, 1, 2, 5, 8, 3, 16, 1, 27]):
        log_changes(database, count, prefix=f"u{n}")
        size, frontier = _stored(database)
        assert frontier == _from_nodes(database, size)
    assert size == 64
    _sound(database)


def test_a_head_without_its_frontier_reads_it_from_the_nodes(database):
    log_changes(database, 11)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE ledger_head SET frontier = NULL"))
    log_changes(database, 6, prefix="after")
    size, frontier = _stored(database)
    assert size == 17
    assert frontier == _from_nodes(database, 17)
    _sound(database)


def test_the_migration_fills_in_the_frontier_of_a_log_in_use(database):
    log_changes(database, 13)
    downgrade(database.engine, "0012")
    upgrade(database.engine)
    size, frontier = _stored(database)
    assert size == 13
    assert frontier == _from_nodes(database, 13)
    log_changes(database, 4, prefix="after")
    _sound(database)


def test_a_head_whose_size_moved_without_its_frontier_reads_it_from_the_nodes(database):
    """A frontier is trusted only for the size it was written with. Here two leaves are
    appended and the head's frontier put back as it was, as a process that knew no frontier
    would have left it (sizes 10 and 12 have frontiers of two hashes each)."""
    log_changes(database, 10)
    _, kept = _stored(database)
    log_changes(database, 2, prefix="old")
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE ledger_head SET frontier = :f"), {"f": kept})
    log_changes(database, 5, prefix="after")
    assert _stored(database) == (17, _from_nodes(database, 17))
    _sound(database)
