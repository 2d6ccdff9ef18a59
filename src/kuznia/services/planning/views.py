"""The current plan, cached by scenario digest, and what-if copies of it with a changed or
added pledge."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.allocation import PlanOutcome, SolverOptions, WarmStart, plan_scenario
from kuznia.db.planning import StoredPlan
from kuznia.errors import Forbidden, InvalidInput, Problem
from kuznia.scenario.io import (
    cross_reference_problems,
    dump_scenario,
    pydantic_problems,
    scenario_sha256,
)
from kuznia.scenario.model import Pledge, Scenario
from kuznia.scenario.plan import Plan
from kuznia.services.access.policy import Action, Scope, scope_of
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.scenarios import export_scenario


@dataclass(frozen=True, slots=True)
class PlannedScenario:
    scenario: Scenario
    sha256: str
    plan: Plan
    warm: WarmStart | None
    """Where a re-plan of a changed copy may start; None for a plan read from storage."""


class PlanCache:
    """The last few plans by scenario digest: pages show the current plan without re-solving
    it on every request, and a what-if starts warm from the plan it changes. One solve runs at
    a time; a caller asking for a plan being solved waits for it instead of solving it again."""

    def __init__(self, options: SolverOptions | None = None, size: int = 8) -> None:
        self._options = options or SolverOptions(time_limit=20.0, mip_gap=1e-2)
        self._size = size
        self._plans: OrderedDict[str, PlannedScenario] = OrderedDict()
        self._lock = threading.Lock()
        self._solving = threading.Lock()
        self._pending: set[str] = set()
        self.failure: str | None = None
        """Why the last background solve failed, if it did."""

    def current(self, session: Session) -> PlannedScenario:
        """The plan of the database's vetted proposals and confirmed pledges."""
        return self.plan(export_scenario(session))

    def current_or_start(self, session: Session) -> PlannedScenario | None:
        """The current plan if it is ready; otherwise start solving it in the background (once)
        and return None, so a page can say "computing" instead of holding the request."""
        scenario = export_scenario(session)
        digest = scenario_sha256(dump_scenario(scenario))
        found = self._cached(digest) or self._stored(session, scenario, digest)
        if found is not None:
            return found
        with self._lock:
            if digest in self._pending:
                return None
            self._pending.add(digest)
        threading.Thread(target=self._solve_quietly, args=(scenario, digest), daemon=True).start()
        return None

    def _solve_quietly(self, scenario: Scenario, digest: str) -> None:
        try:
            self.plan(scenario)
            self.failure = None
        except Exception as exc:  # reported on the page that waits for it
            self.failure = f"{type(exc).__name__}: {exc}"
        finally:
            with self._lock:
                self._pending.discard(digest)

    def _stored(self, session: Session, scenario: Scenario, digest: str) -> PlannedScenario | None:
        """The newest plan the ministry ran and stored (``services.plans``) for this very
        scenario: pages show what was decided, not a fresh solve of the same inputs."""
        row = session.scalars(
            select(StoredPlan)
            .where(StoredPlan.scenario_sha256 == digest, StoredPlan.include_unreviewed.is_(False))
            .order_by(StoredPlan.number.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        planned = PlannedScenario(scenario, digest, Plan.model_validate(row.document), None)
        with self._lock:
            self._plans[digest] = planned
        return planned

    def _cached(self, digest: str) -> PlannedScenario | None:
        with self._lock:
            found = self._plans.get(digest)
            if found is not None:
                self._plans.move_to_end(digest)
            return found

    def plan(self, scenario: Scenario, warm: WarmStart | None = None) -> PlannedScenario:
        digest = scenario_sha256(dump_scenario(scenario))
        found = self._cached(digest)
        if found is not None:
            return found
        with self._solving:
            found = self._cached(digest)
            if found is not None:
                return found
            outcome: PlanOutcome = plan_scenario(scenario, digest, self._options, warm)
            planned = PlannedScenario(scenario, digest, outcome.plan, outcome.warm)
            with self._lock:
                self._plans[digest] = planned
                while len(self._plans) > self._size:
                    self._plans.popitem(last=False)
        return planned


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
