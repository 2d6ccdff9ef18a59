"""The transparency log in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from kuznia.db import registries as db
from kuznia.db.transparency import LedgerLeaf
from kuznia.errors import Forbidden
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.transparency import append, log, store
from kuznia.services.transparency.checkpoints import (
    create_checkpoint,
    prove_record,
    verified_checkpoints,
)
from kuznia.transparency import (
    InvalidProof,
    TreeLevels,
    canonical_json,
    leaf_hash,
    verify_checkpoint_consistency,
    verify_opening,
    verify_record_inclusion,
)
from tests.integration.transparency.conftest import log_changes, triggers_dropped

AUDITOR = Actor(role=Role.AUDITOR, user_id="auditor-1")
PUBLIC = Actor(role=Role.PUBLIC)
COORDINATOR = Actor.system("test")


def _leaves(database):
    with database.reading() as session:
        return list(store.iter_leaves(session))


def test_every_change_of_a_unit_of_work_becomes_one_leaf_in_order(database):
    with database.unit_of_work(COORDINATOR) as uow:
        uow.session.add(db.Capability(id="fpv", name="FPV drone", unit="drone"))
        uow.record("capabilities", "fpv", "create", None, {"id": "fpv", "name": "FPV drone"})
        uow.record("requirements", "req-1", "update", {"priority": 2.0}, {"priority": 2.5})
    leaves = _leaves(database)
    assert [(leaf.seq, leaf.entity, leaf.record_id) for leaf in leaves] == [
        (0, "capabilities", "fpv"),
        (1, "requirements", "req-1"),
    ]
    second = json.loads(leaves[1].leaf)
    assert second["before"] == {"priority": "2.0"}
    assert second["after"] == {"priority": "2.5"}
    assert second["actor"] == {"role": "coordinator", "name": "system:test"}
    assert leaves[1].leaf == canonical_json(second)


def test_every_change_is_prepared_before_the_commit_sequence_number_is_taken(database, monkeypatch):
    """Its lock is held to commit on PostgreSQL, every other writer waiting: the records'
    JSON, canonical parts and commitments are made first (``recording.py``)."""
    from kuznia.services.transparency import recording

    events: list[str] = []
    prepare, rows = recording.prepare_change, recording.audit_rows
    monkeypatch.setattr(recording, "prepare_change", lambda c: events.append("leaf") or prepare(c))
    monkeypatch.setattr(recording, "audit_rows", lambda u: events.append("audit") or rows(u))

    def statement(_c, _k, sql: str, *_: object) -> None:
        if sql.startswith("UPDATE commit_sequence"):
            events.append("seq")

    event.listen(database.engine, "before_cursor_execute", statement)
    log_changes(database, 3, prefix="p")
    assert events == ["audit", "leaf", "leaf", "leaf", "seq"]
    with database.reading() as session:
        assert store.log_size(session) == 3
        assert store.audit(session).ok


def test_a_unit_of_work_that_fails_leaves_no_leaf_behind(database):
    def fail() -> None:
        with database.unit_of_work(COORDINATOR) as uow:
            uow.record("capabilities", "fpv", "create", None, {"id": "fpv"})
            uow.session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail()
    log_changes(database, 1)
    assert [leaf.seq for leaf in _leaves(database)] == [0]


def test_secret_fields_are_logged_as_commitments_that_only_the_coordinator_can_open(database):
    site = {"id": "site-1", "name": "Plant", "address": "vul. Khreshchatyk 1", "latitude": "50.45"}
    with database.unit_of_work(COORDINATOR) as uow:
        uow.record("sites", "site-1", "create", None, site)
    (leaf,) = _leaves(database)
    assert b"Khreshchatyk" not in leaf.leaf
    assert b"50.45" not in leaf.leaf
    public = json.loads(leaf.leaf)["after"]
    with database.reading() as session:
        openings = log.openings_of(session, COORDINATOR, 0)
        with pytest.raises(Forbidden):
            log.openings_of(session, AUDITOR, 0)
    assert {(part, o.field, o.value) for part, o in openings} == {
        ("after", "address", "vul. Khreshchatyk 1"),
        ("after", "latitude", "50.45"),
    }
    assert all(verify_opening(public, o) for _, o in openings)


def test_the_stored_tree_gives_the_same_roots_and_proofs_as_the_in_memory_tree(database):
    reference = TreeLevels()
    for batch in (1, 1, 3, 8, 1, 17, 2, 32, 5):
        log_changes(database, batch, prefix=f"b{reference.size()}")
        reference.append_leaves(leaf.leaf for leaf in _leaves(database)[reference.size() :])
    size = reference.size()
    with database.reading() as session:
        assert store.log_size(session) == size
        for n in (1, 2, 5, 13, 32, 33, size):
            assert store.root_hash(session, n) == reference.root(n)
        for index in (0, 1, 7, 31, 32, size - 1):
            assert store.inclusion(session, index, size) == reference.inclusion_proof(index)
        for old in (1, 3, 16, 33, size - 1):
            assert store.consistency(session, old, size) == reference.consistency_proof(old)


def test_a_record_proof_verifies_offline_against_a_signed_checkpoint(database, signer):
    log_changes(database, 10)
    with database.transaction() as session:
        old = create_checkpoint(session, COORDINATOR, signer)
    log_changes(database, 7, prefix="later")
    with database.transaction() as session:
        new = create_checkpoint(session, COORDINATOR, signer)
    with database.reading() as session:
        bundle = prove_record(session, AUDITOR, "capabilities", "cap-3")
        proof = store.consistency(session, old.size, new.size)
    vkey = signer.verifier.vkey
    verify_record_inclusion(vkey, bundle.checkpoint, bundle.leaf.leaf, 3, bundle.hashes)
    verify_checkpoint_consistency(vkey, old.note, new.note, proof)
    with pytest.raises(InvalidProof):
        verify_record_inclusion(vkey, bundle.checkpoint, bundle.leaf.leaf, 4, bundle.hashes)


def test_the_public_receives_a_leafs_hash_but_not_its_content(database):
    log_changes(database, 1)
    with database.reading() as session:
        leaf = log.leaf_at(session, PUBLIC, 0)
        (stored,) = store.iter_leaves(session)
    assert leaf.withheld
    assert (leaf.entity, leaf.record_id, leaf.action, leaf.leaf) == (None, None, None, None)
    assert leaf.leaf_hash == stored.leaf_hash == leaf_hash(stored.leaf)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_leaves SET leaf = '{}' WHERE seq = 0",
        "DELETE FROM ledger_leaves WHERE seq = 1",
        "UPDATE ledger_nodes SET idx = idx + 100",
        "DELETE FROM ledger_nodes",
        "DELETE FROM ledger_openings",
        "UPDATE ledger_checkpoints SET size = 1",
        "DELETE FROM ledger_checkpoints",
    ],
)
def test_the_database_refuses_to_change_or_delete_log_rows(database, signer, statement):
    with database.unit_of_work(COORDINATOR) as uow:
        uow.record("sites", "site-1", "create", None, {"id": "site-1", "address": "secret"})
        uow.record("sites", "site-2", "create", None, {"id": "site-2", "address": "secret"})
    with database.transaction() as session:
        create_checkpoint(session, COORDINATOR, signer)
    with pytest.raises((IntegrityError, DBAPIError)) as caught, database.engine.begin() as conn:
        conn.execute(text(statement))
    assert "append-only" in str(caught.value)


def test_a_leaf_altered_behind_the_applications_back_fails_the_audit_naming_it(database, signer):
    for batch in range(5):
        log_changes(database, 20, prefix=f"batch{batch}")
    with database.transaction() as session:
        create_checkpoint(session, COORDINATOR, signer)
    with database.reading() as session:
        genuine = prove_record(session, AUDITOR, "capabilities", "batch2-17")
        assert store.audit(session, verified_checkpoints(session, signer.verifier)).ok
    forged = genuine.leaf.leaf.decode().replace("batch2-17", "batch2-99")
    with triggers_dropped(database), database.engine.begin() as conn:
        conn.execute(text("UPDATE ledger_leaves SET leaf = :f WHERE seq = 57"), {"f": forged})
    with database.reading() as session:
        result = store.audit(session, verified_checkpoints(session, signer.verifier))
    assert not result.ok
    assert result.first_bad_leaf == 57
    assert "leaf 57" in result.problem
    with pytest.raises(InvalidProof):
        verify_record_inclusion(
            signer.verifier.vkey, genuine.checkpoint, forged.encode(), 57, genuine.hashes
        )


def test_a_leaf_rewritten_with_its_hash_is_caught_by_the_checkpoint(database, signer):
    log_changes(database, 40)
    with database.transaction() as session:
        create_checkpoint(session, COORDINATOR, signer)
    forged = '{"forged":true}'
    digest = leaf_hash(forged.encode())
    with triggers_dropped(database), database.engine.begin() as conn:
        conn.execute(
            text("UPDATE ledger_leaves SET leaf = :f, leaf_hash = :h WHERE seq = 12"),
            {"f": forged, "h": digest},
        )
    with database.reading() as session:
        result = store.audit(session, verified_checkpoints(session, signer.verifier))
    assert not result.ok
    assert result.bad_range == (0, 40)


def test_a_deleted_leaf_is_named_by_the_audit(database):
    log_changes(database, 9)
    with triggers_dropped(database), database.engine.begin() as conn:
        conn.execute(text("DELETE FROM ledger_openings WHERE seq = 4"))
        conn.execute(text("DELETE FROM ledger_leaves WHERE seq = 4"))
    with database.reading() as session:
        result = store.audit(session)
    assert result.first_bad_leaf == 4
    assert "leaf 4 is missing" in result.problem


def _log_concurrently(database, changes_of: Callable[[int], int]) -> list[BaseException]:
    """20 units of work at once, the n-th logging ``changes_of(n)`` changes; what they raised."""
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            log_changes(database, changes_of(n), prefix=f"t{n}")
        except BaseException as error:  # pragma: no cover - reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_units_of_work_get_gapless_sequence_numbers(database):
    database.listeners = [append.ledger_listener]  # the log alone, from its very first leaf
    assert _log_concurrently(database, lambda _n: 5) == []
    with database.reading() as session:
        seqs = session.scalars(select(LedgerLeaf.seq).order_by(LedgerLeaf.seq)).all()
        assert seqs == list(range(100))
        assert session.scalar(select(func.count()).select_from(LedgerLeaf)) == 100
        assert store.audit(session).ok
        reference = TreeLevels()
        reference.append_leaves(leaf.leaf for leaf in store.iter_leaves(session))
        assert store.root_hash(session) == reference.root()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_on_postgresql_concurrent_appenders_read_each_frontier_with_the_heads_update(database):
    """With every listener, a unit of work takes its commit sequence number and the head in one
    statement, the number's lock first, and reads the frontier the head row keeps: never the
    nodes, however long it waited (a read of the nodes would see them as they were when its
    statement began), and no statement of its own for the number."""
    log_changes(database, 3, prefix="first")  # the head's and the sequence's rows
    statements: list[str] = []
    event.listen(
        database.engine, "before_cursor_execute", lambda _c, _k, sql, *_: statements.append(sql)
    )
    errors = _log_concurrently(database, lambda n: 1 + n % 4)
    heads = [s for s in statements if s.startswith("WITH seq AS")]
    numbers = [s for s in statements if s.startswith("UPDATE commit_sequence")]
    again = [s for s in statements if s.startswith("SELECT") and "ledger_nodes" in s]
    assert (errors, len(heads), numbers, again) == ([], 20, [], [])
    with database.reading() as session:
        assert store.log_size(session) == 3 + sum(1 + n % 4 for n in range(20))
        assert store.audit(session).ok
