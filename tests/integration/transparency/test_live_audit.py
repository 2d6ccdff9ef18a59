"""``kuznia log audit`` vouches for the live tables: the six tampering cases of issue 12 (and a
leaf rewritten with its hash), each made behind the application's back and each named; the
audit needs only the public key and never creates one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from kuznia.cli.main import run
from kuznia.db.contracting import MoneyFlow
from kuznia.money import Money
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.registries import records
from kuznia.services.transparency.checkpoints import LogSigner
from kuznia.services.wiring import database_at
from kuznia.transparency import generate_private_key, leaf_hash, private_key_to_pem
from tests.integration.contracting.world import UA_BUDGET, fpv_draft, load_world, signed
from tests.integration.transparency.conftest import ORIGIN, triggers_dropped

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def vkey(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The log's public key; the private key is where the signing commands find it."""
    path = tmp_path / "log-key.pem"
    key = generate_private_key()
    path.write_bytes(private_key_to_pem(key))
    monkeypatch.setenv("KUZNIA_LOG_KEY_FILE", str(path))
    monkeypatch.setenv("KUZNIA_LOG_ORIGIN", ORIGIN)
    return LogSigner(ORIGIN, key).verifier.vkey


@pytest.fixture
def kuznia(database_url: str, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--database-url", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, " ".join(err.split())

    return invoke


@pytest.fixture
def world(database_url: str, kuznia: Run, vkey: str) -> Database:
    """A signed contract (400 units, 200,000.00 EUR) with a commitment, a site with a secret
    address, a signed checkpoint; the audit passes."""
    database = database_at(database_url)
    load_world(database)
    signed(database, fpv_draft(), UA_BUDGET)
    with database.unit_of_work(UA_BUDGET) as uow:
        commit_funds(
            uow, "contract-1", FlowRequest(Money.parse("1000.00", "EUR"), date(2026, 2, 1))
        )
    with database.unit_of_work(Actor.system("test")) as uow:
        site = {"company_id": "co-ua-1", "name": "plant", "country": "UA", "address": "Kyiv 1"}
        records.create_record(uow, "sites", {"id": "site-1", **site})
    assert kuznia("log", "checkpoint")[0] == 0
    code, out, err = kuznia("log", "audit", "--key", vkey)
    assert (code, err) == (0, "")
    assert "every logged row, opening and node matches" in " ".join(out.split())
    yield database
    database.dispose()


def _commitment_id(database: Database) -> str:
    with database.reading() as session:
        return str(session.query(MoneyFlow.id).scalar())


def _update(database: Database, sql: str, table: str | None = None, **params: object) -> None:
    def go(conn: Connection) -> None:
        conn.execute(text(sql), params)

    if table is None:
        with database.engine.begin() as conn:
            go(conn)
        return
    with triggers_dropped(database, table), database.engine.begin() as conn:
        go(conn)


def test_a_contracts_units_and_amount_changed_in_the_table_are_named(world, kuznia, vkey):
    _update(
        world,
        "UPDATE contracts SET units = 401, amount_cents = amount_cents * 2 WHERE id = 'contract-1'",
    )
    code, _, err = kuznia("log", "audit", "--key", vkey)
    assert code == 1
    assert "contracts/contract-1: units is 401, the log says 400" in err
    assert "contracts/contract-1: amount_cents is 40000000, the log says 20000000" in err


def test_a_pledges_and_a_money_flows_amounts_changed_are_named(world, kuznia, vkey):
    flow = _commitment_id(world)
    _update(world, "UPDATE pledges SET amount_cents = amount_cents + 1 WHERE id = 'pledge-ua'")
    _update(world, "UPDATE money_flows SET amount_cents = 999999 WHERE id = :id", id=flow)
    code, _, err = kuznia("log", "audit", "--key", vkey)
    assert code == 1
    assert "pledges/pledge-ua: amount_cents is" in err
    assert f"money_flows/{flow}: amount_cents is 999999, the log says 100000" in err


def test_a_sites_secret_address_changed_is_named_without_showing_it(world, kuznia, vkey):
    _update(world, "UPDATE sites SET address = 'Lviv 9' WHERE id = 'site-1'")
    code, _, err = kuznia("log", "audit", "--key", vkey)
    assert code == 1
    assert "sites/site-1: address differs from the value committed to in leaf" in err
    assert "Lviv" not in err
    assert "Kyiv" not in err


def test_a_rewritten_opening_no_longer_opens_its_commitment(world, kuznia, vkey):
    _update(
        world,
        "UPDATE ledger_openings SET value = :v WHERE field = 'address'",
        "ledger_openings",
        v='"Lviv 9"',
    )
    code, _, err = kuznia("log", "audit", "--key", vkey)
    assert code == 1
    assert "the opening of address (after) in leaf" in err
    assert "(sites/site-1) does not match its commitment" in err


def test_a_zeroed_stored_node_is_named(world, kuznia, vkey):
    _update(
        world,
        "UPDATE ledger_nodes SET hash = :h WHERE level = 2 AND idx = 0",
        "ledger_nodes",
        h=bytes(32),
    )
    code, _, err = kuznia("log", "audit", "--key", vkey)
    assert code == 1
    assert "the stored node at level 2, index 0 (leaves 0..3) was rewritten" in err


def test_a_rewritten_frontier_of_the_log_head_is_named(world, kuznia, vkey):
    with world.engine.begin() as conn:
        kept = bytes(conn.execute(text("SELECT frontier FROM ledger_head")).scalar_one())
    _update(world, "UPDATE ledger_head SET frontier = :f", f=kept[:8] + bytes(len(kept) - 8))
    code, _, err = kuznia("log", "audit", "--key", vkey)
    assert code == 1
    assert "the log head's frontier was rewritten" in err


def test_a_leaf_rewritten_with_its_hash_is_named_not_just_a_range(world, kuznia, vkey):
    with world.engine.begin() as conn:
        leaf = conn.execute(text("SELECT leaf FROM ledger_leaves WHERE seq = 2")).scalar_one()
    forged = leaf.replace('"action":"create"', '"action":"update"').encode()
    _update(
        world,
        "UPDATE ledger_leaves SET leaf = :l, leaf_hash = :h WHERE seq = 2",
        "ledger_leaves",
        l=forged.decode(),
        h=leaf_hash(forged),
    )
    code, _, err = kuznia("log", "audit", "--key", vkey)
    assert code == 1
    assert "leaf 2 or leaf 3 was rewritten, content and hash together" in err


def test_without_a_public_key_the_audit_says_it_cannot_verify_and_creates_no_key(
    world, kuznia, monkeypatch, tmp_path
):
    monkeypatch.delenv("KUZNIA_LOG_KEY_FILE")
    monkeypatch.chdir(tmp_path)
    code, _, err = kuznia("log", "audit")
    assert code == 1
    assert "cannot verify the 1 checkpoints' signatures: no public key" in err
    assert not (tmp_path / "var").exists()
