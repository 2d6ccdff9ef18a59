"""Evaluations of stored plans as background jobs (``risk`` jobs of the durable queue).

A job reads the plan, the exact scenario it was made from and the database's disruption model,
sweeps the paths (in the job's own process, or on the Dask cluster DASK_SCHEDULER_ADDRESS names:
a job's process may not start worker processes of its own), reports its progress as paths
complete, and stores the figures in one short unit of work.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy.orm import Session

from kuznia.db.jobs import Job
from kuznia.db.planning import StoredPlan
from kuznia.db.resilience import EvaluationKind, RiskEvaluation
from kuznia.errors import InvalidInput, NotFound
from kuznia.risk import Objective, compare, dask_client, disruption_of, evaluate, plan_data
from kuznia.risk.runner import SCHEDULER_VARIABLE
from kuznia.scenario.plan import Plan
from kuznia.services.access.policy import Action, scope_of
from kuznia.services.jobs import queue
from kuznia.services.jobs.queue import JobOrder
from kuznia.services.jobs.worker import ProgressReport
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.planning.runs import inputs_of
from kuznia.services.resilience.inputs import risk_section, risk_sha256

RISK_JOB = "risk"
MAX_PATHS, MAX_SAMPLE_PATHS = 10_000, 200


def submit_risk_job(
    session: Session,
    actor: Actor,
    *,
    plan_id: str,
    kind: EvaluationKind = EvaluationKind.EVALUATE,
    paths: int = 200,
    seed: int = 0,
    sample_paths: int = 50,
) -> Job:
    """Queue an evaluation of a stored plan (the ministry only: who may create evaluations)."""
    scope_of(actor, "risk_evaluations", Action.CREATE)
    if session.get(StoredPlan, plan_id) is None:
        raise InvalidInput.single("plan_id", f"unknown plan {plan_id!r}")
    problems = [
        ("paths", f"{paths} is outside 1..{MAX_PATHS}", not 1 <= paths <= MAX_PATHS),
        ("seed", f"{seed} is negative", seed < 0),
        (
            "sample_paths",
            f"{sample_paths} is outside 1..{MAX_SAMPLE_PATHS}",
            not 1 <= sample_paths <= MAX_SAMPLE_PATHS,
        ),
    ]
    for field, message, bad in problems:
        if bad:
            raise InvalidInput.single(field, message)
    params = {
        "plan_id": plan_id, "kind": kind.value, "paths": paths, "seed": seed,
        "sample_paths": sample_paths,
    }  # fmt: skip
    key = f"risk:{plan_id}:{kind.value}:{paths}:{seed}:{sample_paths}"
    return queue.submit(session, actor, RISK_JOB, params, dedupe_key=key)


@contextmanager
def _client() -> Iterator[Any]:
    address = os.environ.get(SCHEDULER_VARIABLE)
    with dask_client(0, address) if address else nullcontext(None) as client:
        yield client


def run_risk_job(database: Database, order: JobOrder, report: ProgressReport) -> Mapping[str, Any]:
    """The ``risk`` handler: inputs, sweep (progress per path), store."""
    p = order.params
    kind, paths, seed = EvaluationKind(p["kind"]), int(p["paths"]), int(p["seed"])
    report(0.02, "reading the plan and the disruption model")
    with database.reading() as session:
        stored = session.get(StoredPlan, p["plan_id"])
        if stored is None:
            raise NotFound(f"no plan {p['plan_id']!r}")
        plan_id, plan = stored.id, Plan.model_validate(stored.document)
        inputs = inputs_of(session, stored.scenario_sha256)
        section = risk_section(session, inputs.scenario)
    data, disruption = plan_data(inputs.scenario, plan, section), disruption_of(section)
    runs = 2 if kind is EvaluationKind.ROBUST else 1

    def progress(done: int, total: int) -> None:
        report(0.05 + 0.9 * done / (total * runs), f"{done:,} of {total:,} paths")

    with _client() as client:
        if kind is EvaluationKind.ROBUST:
            document = compare(
                data, disruption, seed=seed, paths=paths, sample_paths=int(p["sample_paths"]),
                objective=Objective.CVAR, nominal_seconds=plan.timings_s.total, client=client,
                progress=progress,
            ).model_dump(mode="json")  # fmt: skip
        else:
            document = evaluate(
                data, disruption, seed=seed, paths=paths, client=client, progress=progress
            ).model_dump(mode="json")
    report(0.97, "storing the figures")
    with database.unit_of_work(order.actor) as uow:
        row = RiskEvaluation(
            id=f"risk-{secrets.token_hex(6)}", plan_id=plan_id, kind=kind, paths=paths,
            seed=seed, sample_paths=int(p["sample_paths"]) if runs == 2 else None,
            risk_sha256=risk_sha256(section), created_by=order.actor.name[:200],
            document=document,
        )  # fmt: skip
        uow.session.add(row)
        uow.session.flush()
        uow.record("risk_evaluations", row.id, "create", None, evaluation_summary(row))
    return {"evaluation_id": row.id, "of_plan": plan_id}


def evaluation_summary(row: RiskEvaluation) -> dict[str, Any]:
    """What the log and lists carry of an evaluation: its parameters and headline figures."""
    doc = row.document
    figures = doc.get("robust", doc) if row.kind == EvaluationKind.ROBUST else doc
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "kind": str(row.kind),
        "paths": row.paths,
        "seed": row.seed,
        "sample_paths": row.sample_paths,
        "risk_sha256": row.risk_sha256,
        "created_by": row.created_by,
        "planned_value": figures.get("planned_value"),
        "value_p90": figures.get("value", {}).get("p90"),
        "cvar10": figures.get("cvar10"),
    }
