"""The cost of the inbox count every signed-in page shows in its navigation.

Loads the small demo into a fresh SQLite file, stores a plan and draws up a draft contract from
every line it funds (so there are contracts to sign), then times per role: an empty reading
transaction (the floor of anything a page reads), the inbox count (``waiting_counts``: one COUNT
query per kind, through the access policy), the same kept until a write commits
(``WaitingCache``, what the navigation uses) and the contract list (``contract_lines``, what the
contracts page reads), and prints each as milliseconds per call and as a multiple of the floor
measured in the same run.

    uv run python benchmarks/inbox.py [--rounds 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from kuznia.db import registries as db
from kuznia.db.planning import StoredPlan
from kuznia.demo import generate
from kuznia.scenario.plan import Plan
from kuznia.services.contracting.drafting import contracts_from_plan
from kuznia.services.contracting.inbox import WaitingCache, waiting_counts
from kuznia.services.contracting.views import contract_lines
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.database import Database
from kuznia.services.planning.runs import run_plan
from kuznia.services.registries.demo import load_world
from kuznia.services.wiring import database_at

COORDINATOR = Actor(role=Role.COORDINATOR, label="bench")


def _world(folder: Path) -> tuple[Database, str]:
    database = database_at(f"sqlite:///{folder / 'bench.sqlite3'}")
    database.upgrade()
    with database.unit_of_work(Actor.system("bench")) as uow:
        load_world(uow, generate("small", 1))
    plan_id = str(run_plan(database, COORDINATOR, label="bench")["id"])
    with database.unit_of_work(COORDINATOR) as uow:
        row = uow.session.get(StoredPlan, plan_id)
        assert row is not None
        made = contracts_from_plan(uow, Plan.model_validate(row.document))
        partner = uow.session.get(db.Pledge, made[0].pledge_id)
        assert partner is not None
    return database, partner.partner_id


def _time(rounds: int, call: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        call()
    return (time.perf_counter() - start) / rounds * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        database, partner_id = _world(Path(folder))
        with database.reading() as session:
            contracts = len(contract_lines(session, COORDINATOR))
        print(f"small demo, {contracts} contracts; {rounds} rounds each; ms per call")
        partner = Actor(role=Role.PARTNER, partner_id=partner_id, label="bench")
        for name, actor in (("coordinator", COORDINATOR), ("partner", partner)):
            _report(database, name, actor, rounds)
        database.dispose()


def _report(database: Database, name: str, actor: Actor, rounds: int) -> None:
    def floor() -> object:
        with database.reading() as session:
            return session.execute(text("SELECT 1")).scalar()

    def counts() -> object:
        with database.reading() as session:
            return waiting_counts(session, actor)

    cache = WaitingCache()

    def cached() -> object:
        with database.reading() as session:
            return cache.counts(session, actor)

    def listing() -> object:
        with database.reading() as session:
            return contract_lines(session, actor)

    base, inbox, kept, contracts = (
        _time(rounds, call) for call in (floor, counts, cached, listing)
    )
    print(
        f"{name:12} empty read {base:5.2f}   inbox count {inbox:5.2f} ({inbox / base:4.1f}x)"
        f"   kept until a write {kept:5.2f} ({kept / base:4.1f}x)"
        f"   contract list {contracts:5.2f} ({contracts / base:4.1f}x)"
    )


if __name__ == "__main__":
    main()
