"""The current plan the pages show (stored plans, cached by scenario digest; never solved in a
request), and what-if copies of it with a changed or added pledge."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.allocation import PlanOutcome, SolverOptions, WarmStart, plan_scenario
from kuznia.db.kernel import CommitSequence
from kuznia.db.planning import StoredPlan
from kuznia.errors import Forbidden, InvalidInput, NotFound, Problem
from kuznia.scenario.io import (
    cross_reference_problems,
    dump_scenario,
    pydantic_problems,
    scenario_sha256,
)
from kuznia.scenario.model import Pledge, Scenario
from kuznia.scenario.plan import Plan
from kuznia.services.access.policy import Action, Scope, scope_of
from kuznia.services.jobs.queue import job_document
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.planning.jobs import ensure_current_plan_job
from kuznia.services.planning.runs import (
    PLAN_OPTIONS,
    CanonicalScenario,
    canonical_export,
    inputs_of,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PlannedScenario:
    scenario: Scenario
    sha256: str
    plan: Plan
    warm: WarmStart | None
    """Where a re-plan of a changed copy may start; None for a plan read from storage."""


@dataclass(frozen=True, slots=True)
class CurrentPlan:
    """What the pages show: the plan of the current inputs if it is stored, otherwise the last
    stored plan (``up_to_date`` False) while ``job`` computes the current one."""

    planned: PlannedScenario | None
    up_to_date: bool
    job: Mapping[str, Any] | None = None


class PlanCache:
    """The last few plans by scenario digest, so pages show the stored plan without reading and
    parsing it on every request, and the digest of the inputs per commit sequence number (the
    inputs cannot have changed while no write committed). Pages never solve: a missing plan is
    a background job (:func:`~kuznia.services.planning.jobs.ensure_current_plan_job`). Only the
    what-if solves in the request, warm from the plan it changes, with the same options."""

    def __init__(self, options: SolverOptions = PLAN_OPTIONS, size: int = 8) -> None:
        self._options = options
        self._size = size
        self._plans: OrderedDict[str, PlannedScenario] = OrderedDict()
        self._inputs: tuple[int, CanonicalScenario] | None = None
        self._derived: tuple[int, dict[Hashable, tuple[Plan, Any]]] = (-1, {})
        self._makers: dict[Hashable, threading.RLock] = {}  # what is being derived, by entry
        self._lock = threading.Lock()
        self._loading = threading.Lock()  # one reader parses a stored plan; the others wait
        self._solving = threading.Lock()

    def warm(self, database: Database) -> None:
        """Read and check the plan the pages will show, before anyone asks: a stored national
        plan takes seconds to validate, which the first visitor would otherwise wait for. Queues
        nothing (a page queues the job of a missing plan when it is visited)."""
        with database.reading() as session:
            inputs = self._current_inputs(session)
            if self._cached(inputs.sha256) is None and self._stored(session, inputs) is None:
                self._latest(session)

    @staticmethod
    def newest_stored(session: Session) -> int | None:
        """The number of the newest stored plan (one indexed lookup): what a server watches to
        read a new plan before anyone asks (``web/warming.py``)."""
        return session.scalar(select(func.max(StoredPlan.number)))

    def current(self, session: Session, database: Database) -> CurrentPlan:
        """The current plan for the pages; queues its computation when it is not stored yet."""
        inputs = self._current_inputs(session)
        found = self._cached(inputs.sha256) or self._stored(session, inputs)
        if found is not None:
            return CurrentPlan(found, up_to_date=True)
        with database.transaction() as writing:
            job = job_document(ensure_current_plan_job(writing, inputs.sha256))
        return CurrentPlan(self._latest(session), up_to_date=False, job=job)

    def shown(self, session: Session) -> CurrentPlan:
        """The current plan if it is stored, else the last stored one; queues nothing (for a
        reader that writes nothing, as the command line)."""
        inputs = self._current_inputs(session)
        found = self._cached(inputs.sha256) or self._stored(session, inputs)
        if found is not None:
            return CurrentPlan(found, up_to_date=True)
        return CurrentPlan(self._latest(session), up_to_date=False)

    def derived(
        self, session: Session, planned: PlannedScenario, key: Hashable, compute: Callable[[], T]
    ) -> T:
        """``compute()`` for the plan shown, remembered until the next write commits.

        For what depends only on the stored data and that plan (a page's aggregates and charts;
        ``key`` names everything else it depends on: the page, the language, what the viewer may
        see). Every write takes a new commit sequence number, which empties this memory; a plan
        stored or shown in another's place is another plan, so another entry. One caller makes
        an entry; the others asking for it meanwhile (a visitor during the warm-up) wait for it
        rather than make it again."""
        seq = _commit_seq(session)
        entry = (planned.sha256, key)
        found = self._remembered(seq, entry, planned)
        if found is not None:
            return found[1]  # type: ignore[no-any-return]
        with self._maker(entry):  # one makes it (a visitor, or the warm-up), the others wait
            found = self._remembered(seq, entry, planned)
            if found is not None:
                return found[1]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                if self._derived[0] == seq:
                    memory = self._derived[1]
                    memory[entry] = (planned.plan, value)
                    while len(memory) > 8 * self._size:  # pages x languages x kinds of viewer
                        del memory[next(iter(memory))]
        return value

    def _remembered(
        self, seq: int, entry: tuple[str, Hashable], planned: PlannedScenario
    ) -> tuple[Plan, Any] | None:
        with self._lock:
            if self._derived[0] != seq:
                self._derived = (seq, {})
                self._makers.clear()
            found = self._derived[1].get(entry)
        return found if found is not None and found[0] is planned.plan else None

    def _maker(self, entry: tuple[str, Hashable]) -> threading.RLock:
        with self._lock:
            return self._makers.setdefault(entry, threading.RLock())

    def _current_inputs(self, session: Session) -> CanonicalScenario:
        seq = _commit_seq(session)
        with self._loading:  # while the inputs are warmed, a page waits for them (once)
            with self._lock:
                if self._inputs is not None and self._inputs[0] == seq:
                    return self._inputs[1]
            inputs = canonical_export(session)
            with self._lock:
                self._inputs = (seq, inputs)
            return inputs

    def _stored(self, session: Session, inputs: CanonicalScenario) -> PlannedScenario | None:
        """The newest plan stored for exactly these inputs: pages show what was decided."""
        with self._loading:  # a page asking while the plan is warmed waits for it, once
            found = self._cached(inputs.sha256)
            return found if found is not None else self._load_stored(session, inputs)

    def _load_stored(self, session: Session, inputs: CanonicalScenario) -> PlannedScenario | None:
        row = session.scalars(
            select(StoredPlan)
            .where(
                StoredPlan.scenario_sha256 == inputs.sha256,
                StoredPlan.include_unreviewed.is_(False),
            )
            .order_by(StoredPlan.number.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return self._keep(PlannedScenario(inputs.scenario, inputs.sha256, _plan_of(row), None))

    def _latest(self, session: Session) -> PlannedScenario | None:
        """The newest stored plan of reviewed inputs whose scenario is kept, with that scenario."""
        rows = session.scalars(
            select(StoredPlan)
            .where(StoredPlan.include_unreviewed.is_(False))
            .order_by(StoredPlan.number.desc())
            .limit(5)
        )
        for row in rows:
            cached = self._cached(row.scenario_sha256)
            if cached is not None:
                return cached
            try:
                inputs = inputs_of(session, row.scenario_sha256)
            except NotFound:  # a plan stored before its inputs were kept
                continue
            return self._keep(PlannedScenario(inputs.scenario, inputs.sha256, _plan_of(row), None))
        return None

    def _keep(self, planned: PlannedScenario) -> PlannedScenario:
        with self._lock:
            self._plans[planned.sha256] = planned
            self._plans.move_to_end(planned.sha256)
            while len(self._plans) > self._size:
                self._plans.popitem(last=False)
        return planned

    def _cached(self, digest: str) -> PlannedScenario | None:
        with self._lock:
            found = self._plans.get(digest)
            if found is not None:
                self._plans.move_to_end(digest)
            return found

    def plan(self, scenario: Scenario, warm: WarmStart | None = None) -> PlannedScenario:
        """Solve ``scenario`` (a what-if copy) with the plans' options, warm from ``warm``."""
        digest = scenario_sha256(dump_scenario(scenario))
        found = self._cached(digest)
        if found is not None:
            return found
        with self._solving:
            found = self._cached(digest)
            if found is not None:
                return found
            outcome: PlanOutcome = plan_scenario(scenario, digest, self._options, warm)
            return self._keep(PlannedScenario(scenario, digest, outcome.plan, outcome.warm))


def _commit_seq(session: Session) -> int:
    """The last commit sequence number (the row stays in the session: one read per request)."""
    sequence = session.get(CommitSequence, 1)
    return sequence.value if sequence is not None else 0


def _plan_of(row: StoredPlan) -> Plan:
    return Plan.model_validate(row.document)


# --- what-if ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PledgeChange:
    """A pledge as it would be in the what-if: an existing id changes it, a new id adds it."""

    pledge_id: str
    partner_id: str
    amount: str
    currency: str
    valid_from: str
    valid_to: str
    capabilities: tuple[str, ...] = ()
    site_countries: tuple[str, ...] = ()
    company_countries: tuple[str, ...] = ()


def check_what_if(actor: Actor, scenario: Scenario, change: PledgeChange) -> None:
    """A what-if changes nothing stored, but only those who may change a pledge may model it:
    the coordinator any pledge, a partner its own (``authz`` rules for updating pledges)."""
    if scope_of(actor, "pledges", Action.UPDATE) is Scope.ALL:
        return
    existing = {g.id: g.partner for g in scenario.pledges}
    owner = existing.get(change.pledge_id, change.partner_id)
    if (
        actor.partner_id is None
        or actor.partner_id not in (owner, change.partner_id)
        or (owner != change.partner_id)
    ):
        raise Forbidden("a partner may model changes to its own pledges only")


def apply_pledge_change(scenario: Scenario, change: PledgeChange) -> Scenario:
    """``scenario`` with the pledge replaced or added; every problem is reported with its field
    (``amount``, ``capabilities[0]``...) as :class:`InvalidInput`."""
    try:
        pledge = Pledge(
            id=change.pledge_id, partner=change.partner_id, amount=change.amount,
            currency=change.currency, valid_from=change.valid_from, valid_to=change.valid_to,
            capabilities=change.capabilities, site_countries=change.site_countries,
            company_countries=change.company_countries,
        )  # fmt: skip
    except ValidationError as exc:
        raise InvalidInput(pydantic_problems(exc), "the pledge is not valid") from None
    others = tuple(g for g in scenario.pledges if g.id != change.pledge_id)
    changed = scenario.model_copy(update={"pledges": (*others, pledge)})
    index = len(others)
    problems = [
        Problem(p.path.removeprefix(f"pledges[{index}]."), p.message)
        for p in cross_reference_problems(changed)
        if p.path.startswith(f"pledges[{index}]")
    ]
    if problems:
        raise InvalidInput(problems, "the pledge is not valid")
    return changed
