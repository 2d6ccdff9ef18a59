"""Transparency log figures: appends per second (batched in transactions) and proofs at 1M leaves.

Run: ``uv run python benchmarks/ledger.py [--leaves 1000000] [--database-url URL]``.
Without ``--database-url`` fresh SQLite files in a temporary directory are used; a PostgreSQL
URL must point at an empty, migrated database (``kuznia db upgrade``), whose log it fills.

1. Appends: changes logged through the real path (``append.append_changes``: canonical JSON,
   commitments for secret fields, leaf hashes, subtree hashes, batched INSERTs) in transactions
   of 1, 100 and 10,000 changes; then how long a unit of work of 1 and of 1,000 changes holds
   the commit sequence's lock, beside the unit of work's whole time.
2. Proofs: a log of ``--leaves`` leaves is built by a bulk path (hashes and subtree nodes
   computed in memory, inserted with executemany in large batches), then inclusion proofs,
   consistency proofs and a past root are timed from the stored hashes, each beside two
   baselines measured in the same run: one round trip to the same database (``SELECT size``
   of the log head: the floor of any stored proof) and the same proof from an in-memory tree.

Prints figures; asserts nothing about them (but checks every proof it times).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, event, insert, text
from sqlalchemy.orm import Session

from kuznia.db.transparency import LedgerHead, LedgerLeaf, LedgerNode
from kuznia.services import wiring
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.unit_of_work import Change
from kuznia.services.transparency import append, store
from kuznia.transparency import (
    TreeLevels,
    canonical_json,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

ACTOR = Actor.system("benchmark")
BATCH = 50_000


def change(i: int) -> Change:
    """A change like the demo's: a site with secret coordinates every tenth record."""
    after: dict[str, object] = {"id": f"rec-{i}", "name": f"Record {i}", "units": i % 1000}
    if i % 10 == 0:
        after.update(address=f"street {i}", latitude="50.45", longitude="30.52")
    return Change("sites" if i % 10 == 0 else "proposals", f"rec-{i}", "create", None, after)


def fresh_database(url: str | None, directory: Path, name: str) -> Database:
    database = wiring.database_at(url or f"sqlite:///{directory / name}")
    database.upgrade()
    return database


def appends(database: Database, per_transaction: int, total: int) -> float:
    """Changes appended per second, ``per_transaction`` in each transaction."""
    start, done = time.perf_counter(), 0
    while done < total:
        with database.transaction() as session:
            batch = [change(done + i) for i in range(per_transaction)]
            append.append_changes(session, ACTOR, batch)
        done += per_transaction
    return done / (time.perf_counter() - start)


def lock_held(database: Database, per_unit: int, runs: int) -> tuple[float, float]:
    """Median seconds a unit of work of ``per_unit`` changes holds the commit sequence's lock
    (from its ``UPDATE`` to the end of the commit: every other writer waits meanwhile), and
    the median of the whole unit of work (recording the changes, preparing, writing, committing)."""
    taken = [0.0]

    def seq_taken(_c: object, _k: object, sql: str, *_: object) -> None:
        if sql.startswith("UPDATE commit_sequence"):
            taken[0] = time.perf_counter()

    event.listen(database.engine, "before_cursor_execute", seq_taken)
    held, whole = [], []
    for run in range(runs):
        began = time.perf_counter()
        with database.unit_of_work(ACTOR) as uow:
            for c in (change(run * per_unit + i) for i in range(per_unit)):
                uow.record(c.entity, f"lock-{c.record_id}", c.action, c.before, c.after)
        ended = time.perf_counter()
        held.append(ended - taken[0])
        whole.append(ended - began)
    event.remove(database.engine, "before_cursor_execute", seq_taken)
    return statistics.median(held), statistics.median(whole)


def bulk_log(database: Database, size: int) -> float:
    """Fill an empty log with ``size`` leaves through executemany in large batches; seconds."""
    start = time.perf_counter()
    with database.engine.begin() as conn:
        for first in range(0, size, BATCH):
            leaves = [
                canonical_json({"seq": i, "entity": "bench", "id": f"rec-{i}", "units": i % 977})
                for i in range(first, min(size, first + BATCH))
            ]
            hashes = [leaf_hash(leaf) for leaf in leaves]
            rows = [
                {
                    "seq": first + n,
                    "entity": "bench",
                    "record_id": f"rec-{first + n}",
                    "action": "create",
                    "leaf": leaf.decode(),
                    "leaf_hash": digest,
                }
                for n, (leaf, digest) in enumerate(zip(leaves, hashes, strict=True))
            ]
            conn.execute(insert(LedgerLeaf), rows)
            frontier = _frontier(conn, first)
            nodes = append.new_nodes(first, hashes, frontier)
            conn.execute(
                insert(LedgerNode), [{"level": j, "idx": i, "hash": h} for j, i, h in nodes]
            )
        conn.execute(insert(LedgerHead), [{"id": 1, "size": size}])
    return time.perf_counter() - start


def _frontier(conn: Connection, first: int) -> dict[int, bytes]:
    """The stored subtree hashes that the nodes of leaves from ``first`` pair with."""
    leaf = text("SELECT leaf_hash FROM ledger_leaves WHERE seq = :i")
    node = text("SELECT hash FROM ledger_nodes WHERE level = :l AND idx = :i")
    found: dict[int, bytes] = {}
    for level in range(first.bit_length()):
        if first >> level & 1:
            index = (first >> level) - 1
            query = (
                conn.execute(leaf, {"i": index})
                if level == 0
                else conn.execute(node, {"l": level, "i": index})
            )
            found[level] = query.scalar_one()
    return found


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, max) milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def baselines(session: Session, size: int, repeat: int) -> TreeLevels:
    """One round trip, and an in-memory tree of the same leaf hashes for the same proofs."""
    median, worst = timed(lambda: store.log_size(session), repeat)
    print(f"  baseline: one round trip:        {median:7.3f} ms median, {worst:7.2f} ms max")
    tree = TreeLevels()
    tree.append_leaf_hashes(store.LedgerStore(session, size).get_leaf_hashes(0, size))
    rng = random.Random(1)
    median, worst = timed(lambda: tree.inclusion_proof(rng.randrange(size), size), repeat)
    print(f"  baseline: inclusion in memory:   {median:7.3f} ms median, {worst:7.2f} ms max")
    return tree


def proofs(database: Database, size: int, repeat: int = 200) -> None:
    rng = random.Random(9162)
    with database.reading() as session:
        baselines(session, size, repeat)
        root = store.root_hash(session, size)
        median, worst = timed(lambda: store.inclusion(session, rng.randrange(size), size), repeat)
        print(f"  inclusion proof (hashes only):   {median:7.3f} ms median, {worst:7.2f} ms max")
        median, worst = timed(lambda: store.root_hash(session, rng.randrange(1, size)), repeat)
        print(f"  past root (random size):         {median:7.2f} ms median, {worst:7.2f} ms max")

        def one_inclusion() -> None:
            index = rng.randrange(size)
            path = store.inclusion(session, index, size)
            (leaf,) = store.iter_leaves(session, index, index + 1)
            verify_inclusion(index, size, leaf.leaf_hash, path, root)

        median, worst = timed(one_inclusion, repeat)
        print(f"  inclusion proof + check:         {median:7.2f} ms median, {worst:7.2f} ms max")

        def one_consistency() -> None:
            old = rng.randrange(1, size)
            proof = store.consistency(session, old, size)
            verify_consistency(old, size, store.root_hash(session, old), root, proof)

        median, worst = timed(one_consistency, repeat)
        print(f"  consistency proof (+ old root):  {median:7.2f} ms median, {worst:7.2f} ms max")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=20_000, help="changes per append test")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        engine = "SQLite" if args.database_url is None else "the given database"
        print(f"appends into {engine} (canonical JSON, commitments, hashes, nodes, INSERTs):")
        database = fresh_database(args.database_url, folder, "appends.sqlite3")
        for per_transaction in (1, 100, 10_000):
            total = max(per_transaction, args.appends // (10 if per_transaction == 1 else 1))
            rate = appends(database, per_transaction, total)
            shown = f"{rate:9,.0f} appends/s ({total:,} changes)"
            print(f"  {per_transaction:>6} per transaction: {shown}")
        print("the commit sequence's lock, held to commit (median), of the unit of work's time:")
        for per_unit, runs in ((1, 201), (1000, 9)):
            held, whole = lock_held(database, per_unit, runs)
            print(f"  {per_unit:>6} changes: {held * 1e3:8.2f} ms of {whole * 1e3:8.2f} ms")
        database.dispose()
        database = fresh_database(None, folder, "million.sqlite3")
        seconds = bulk_log(database, args.leaves)
        print(f"bulk-built a log of {args.leaves:,} leaves in SQLite in {seconds:.1f} s")
        print(f"proofs at {args.leaves:,} leaves (stored subtree hashes, SQLite):")
        proofs(database, args.leaves)
        start = time.perf_counter()
        with database.reading() as session:
            result = store.audit(session)
        print(
            f"audit (recompute the tree from every leaf): {time.perf_counter() - start:.1f} s, "
            f"ok={result.ok}"
        )
        database.dispose()


if __name__ == "__main__":
    main()
