"""Running a plan: export the scenario, solve it, store the plan beside its exact inputs.

**One plan per scenario digest.** Every path that plans the database (the API, the web's
background job, the CLI's first start) goes through :func:`compute_plan`: it plans the
*canonical* scenario (the bytes ``kuznia scenario export`` writes, read back), with the one set
of :data:`PLAN_OPTIONS`, so ``kuznia plan`` on the exported file computes the same plan. The
solve runs outside any transaction: no writer waits for it. :func:`store_plan` then keeps the
plan and the compressed scenario bytes it was made from (``plan_scenarios``), in a short unit
of work, numbered by the commit sequence.
"""

from __future__ import annotations

import secrets
import zlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kuznia.allocation import SolverOptions, plan_scenario
from kuznia.db.planning import PlanScenario, StoredPlan
from kuznia.errors import NotFound
from kuznia.money import round_cents
from kuznia.scenario.io import parse_scenario, scenario_sha256
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan
from kuznia.services.access.policy import Action, scope_of
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.commit_sequence import commit_seq
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.planning.plans import summary
from kuznia.services.registries.project_export import scenario_bytes

PLAN_OPTIONS = SolverOptions(time_limit=120.0)
"""The options of every stored plan and of the pages' current plan: one plan per digest."""


@dataclass(frozen=True, slots=True)
class CanonicalScenario:
    """A scenario as its canonical bytes say it, with those bytes and their SHA-256."""

    scenario: Scenario
    data: bytes
    sha256: str


@dataclass(frozen=True, slots=True)
class ComputedPlan:
    inputs: CanonicalScenario
    plan: Plan
    include_unreviewed: bool


def canonical_export(session: Session, *, include_unreviewed: bool = False) -> CanonicalScenario:
    """The database's scenario read back from its canonical bytes, so that what is planned is
    exactly what the exported file holds (record order included)."""
    data = scenario_bytes(session, include_unreviewed=include_unreviewed)
    return CanonicalScenario(parse_scenario(data), data, scenario_sha256(data))


def compute_plan(
    database: Database,
    actor: Actor,
    *,
    include_unreviewed: bool = False,
    options: SolverOptions = PLAN_OPTIONS,
) -> ComputedPlan:
    """Plan the database's current scenario (the ministry only); nothing is stored yet."""
    scope_of(actor, "plans", Action.CREATE)
    with database.reading() as session:
        inputs = canonical_export(session, include_unreviewed=include_unreviewed)
    plan = plan_scenario(inputs.scenario, inputs.sha256, options).plan
    return ComputedPlan(inputs, plan, include_unreviewed)


def _keep_inputs(session: Session, inputs: CanonicalScenario) -> None:
    if session.get(PlanScenario, inputs.sha256) is None:
        compressed = zlib.compress(inputs.data, 6)
        session.add(
            PlanScenario(sha256=inputs.sha256, compressed=compressed, size=len(inputs.data))
        )


def store_plan(uow: UnitOfWork, computed: ComputedPlan, *, label: str | None) -> dict[str, Any]:
    """Keep ``computed`` with its inputs; numbered by the commit sequence (unique, increasing)."""
    scope_of(uow.actor, "plans", Action.CREATE)
    number = commit_seq(uow)
    plan = computed.plan
    row = StoredPlan(
        id=f"plan-{number}-{secrets.token_hex(3)}",
        number=number,
        created_by=uow.actor.name[:200],
        label=label,
        scenario_sha256=computed.inputs.sha256,
        include_unreviewed=computed.include_unreviewed,
        status=plan.status.value,
        value=plan.value,
        total_spend_cents=round_cents(plan.total_spend),
        base_currency=computed.inputs.scenario.base_currency,
        document=plan.model_dump(mode="json", exclude_none=True),
    )
    _keep_inputs(uow.session, computed.inputs)
    uow.session.add(row)
    uow.session.flush()
    uow.record("plans", row.id, "create", None, summary(row))
    return summary(row)


def run_plan(
    database: Database,
    actor: Actor,
    *,
    label: str | None = None,
    include_unreviewed: bool = False,
    options: SolverOptions = PLAN_OPTIONS,
) -> dict[str, Any]:
    """Solve the current scenario and store the plan (the ministry only)."""
    computed = compute_plan(database, actor, include_unreviewed=include_unreviewed, options=options)
    with database.unit_of_work(actor) as uow:
        return store_plan(uow, computed, label=label)


def inputs_of(session: Session, sha256: str) -> CanonicalScenario:
    """The scenario a stored plan was made from, checked against its digest."""
    row = session.get(PlanScenario, sha256)
    if row is None:
        raise NotFound(f"no stored scenario {sha256}")
    data = zlib.decompress(row.compressed)
    if scenario_sha256(data) != sha256:
        raise NotFound(f"the stored scenario {sha256} does not match its digest")
    return CanonicalScenario(parse_scenario(data), data, sha256)
