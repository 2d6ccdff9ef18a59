"""What changed between two plans: per requirement (units delivered), per pledge (money spent),
per capability (units delivered; needs the scenario to know each requirement's capability)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kuznia.money import format_cents, round_cents
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan, spend_by_pledge


@dataclass(frozen=True)
class Change:
    """One line of a diff: what, before, after (units, or cents for money)."""

    key: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class PlanDiff:
    requirements: tuple[Change, ...]
    pledges: tuple[Change, ...]  # cents of base currency
    capabilities: tuple[Change, ...]
    value: tuple[float, float]
    total_spend: tuple[str, str]

    @property
    def empty(self) -> bool:
        return not (self.requirements or self.pledges or self.capabilities)


def _delivered(plan: Plan) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for row in plan.deliveries:
        out[row.requirement] += row.units
    return out


def _changes(a: dict[str, int], b: dict[str, int]) -> tuple[Change, ...]:
    keys = sorted(set(a) | set(b))
    return tuple(Change(k, a.get(k, 0), b.get(k, 0)) for k in keys if a.get(k, 0) != b.get(k, 0))


def diff_plans(a: Plan, b: Plan, scenario: Scenario | None = None) -> PlanDiff:
    """Only what differs; capabilities only when the scenario is given."""
    da, db = _delivered(a), _delivered(b)
    caps: tuple[Change, ...] = ()
    if scenario is not None:
        cap_of = {r.id: r.capability for r in scenario.requirements}
        ca: dict[str, int] = defaultdict(int)
        cb: dict[str, int] = defaultdict(int)
        for rid, n in da.items():
            ca[cap_of.get(rid, "?")] += n
        for rid, n in db.items():
            cb[cap_of.get(rid, "?")] += n
        caps = _changes(ca, cb)
    return PlanDiff(
        requirements=_changes(da, db),
        pledges=_changes(spend_by_pledge(a), spend_by_pledge(b)),
        capabilities=caps,
        value=(a.value, b.value),
        total_spend=(
            format_cents(round_cents(a.total_spend)),
            format_cents(round_cents(b.total_spend)),
        ),
    )
