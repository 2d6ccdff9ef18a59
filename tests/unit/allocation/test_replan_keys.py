"""Re-plans start from what the earlier solve knew, under names that survive the change: payers
named by their first pledge, setup pools by their class's first line; a new earmark's split
pools inherit the statuses of the pools they came from (``inherit.py``); a joint plan's engine
run starts from the joint LP's setups and keeps its bound."""

from __future__ import annotations

import numpy as np
import pytest

from kuznia.allocation import SolverOptions, strategy
from kuznia.allocation.builder import R_BUDGET, R_SETUP, G
from kuznia.allocation.formulation import build_formulation
from kuznia.allocation.inherit import inherited
from kuznia.allocation.problem import build_problem
from kuznia.scenario.model import Scenario
from tests.support.factory import random_scenario
from tests.support.planning import plan_checked, plan_of
from tests.support.projects import random_scenario2
from tests.support.reference import solve_reference


def _twins(seed: int) -> Scenario:
    """A random scenario whose first pledge has a twin (same terms, another id): one payer."""
    s = random_scenario(seed, lines=8, needs=5, pledges=3, horizon=6)
    free = s.pledges[0].model_copy(update={"capabilities": (), "site_countries": ()})
    twin = free.model_copy(update={"id": "twin"})
    return s.model_copy(update={"pledges": (free, twin, *s.pledges[1:])})


def _earmarked(s: Scenario, capability: str) -> Scenario:
    first = s.pledges[0].model_copy(update={"capabilities": (capability,)})
    return s.model_copy(update={"pledges": (first, *s.pledges[1:])})


def _keys(form: object, block: int, rows: bool) -> set[int]:
    keys = form.model.row_key if rows else form.model.col_key  # type: ignore[attr-defined]
    return set((keys[(keys >> 56) == block]).tolist())


@pytest.mark.parametrize("seed", range(4))
def test_an_earmark_that_splits_a_payer_keeps_the_other_payers_names(seed: int) -> None:
    s = _twins(seed)
    before = build_formulation(build_problem(s))
    after = build_formulation(build_problem(_earmarked(s, "cap-0")))
    assert len(after.payers.pledge_ids) == len(before.payers.pledge_ids) + 1
    old, new = _keys(before, R_BUDGET, rows=True), _keys(after, R_BUDGET, rows=True)
    assert old <= new  # every earlier payer's budget row is there under its name
    assert len(new - old) == 1  # and the twin left alone is the one new payer


@pytest.mark.parametrize("seed", range(6))
def test_setup_pools_of_classes_an_earmark_does_not_split_keep_their_names(seed: int) -> None:
    s = _twins(seed)
    before = build_formulation(build_problem(s))
    after = build_formulation(build_problem(_earmarked(s, "cap-0")))
    lines_of = lambda f: {  # noqa: E731
        k: frozenset(np.nonzero(f.line_class == k)[0].tolist()) for k in np.unique(f.line_class)
    }
    still = {min(lines) for lines in lines_of(before).values() if lines in lines_of(after).values()}
    old, new = _keys(before, R_SETUP, rows=True), _keys(after, R_SETUP, rows=True)
    unsplit = {k for k in old if (k >> 28) & ((1 << 28) - 1) in still}
    assert unsplit <= new
    # setup money of those classes from every payer but the earmarked pledge's (named 0)
    h, field = before.problem.horizon, (1 << 28) - 1
    money = {
        k
        for k in _keys(before, G, rows=False)
        if (k & field) // h in still and (k >> 28) & field != 0
    }
    assert money <= _keys(after, G, rows=False)


@pytest.mark.parametrize("seed", range(6))
def test_an_earmark_re_plan_starts_from_a_basis_naming_every_new_pool(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strategy, "WHOLE_UNITS_MAX_COLS", -1)  # the pooled paths warm-start
    monkeypatch.setattr(strategy, "SETUP_MILP_MAX_INTEGERS", -1)  # relax-fix, as on national
    s = _twins(seed)
    options = SolverOptions(time_limit=5.0)
    first = plan_checked(s, options)
    changed = _earmarked(s, "cap-0")
    form = build_formulation(build_problem(changed))
    warm = inherited(form, first.warm)
    assert warm is not None
    assert warm.basis is not None
    assert first.warm.basis is not None
    fixed = np.isin(form.model.col_key, first.warm.basis.col_key)
    if warm.reshaped:
        assert len(warm.basis.col_key) > len(first.warm.basis.col_key)
        gained = np.isin(form.model.col_key, warm.basis.col_key) & ~fixed
        assert gained.any()
    again = plan_checked(changed, options, first.warm).plan
    ref = solve_reference(changed)
    tol = 1e-6 * max(1.0, ref.value)
    assert again.value <= ref.value + tol
    assert again.solver.bound >= ref.value - tol
    if again.status == "optimal":
        assert again.value >= ref.value * (1 - options.mip_gap) - tol


@pytest.mark.parametrize("seed", [1, 4, 7])
def test_a_large_joint_plan_starts_from_the_joint_setups_and_keeps_their_bound(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the large path the joint LP's rounded setups start the engine's run; its plan is
    valid (``plan_of`` checks it), under the optimum, and its bound is a bound."""
    from kuznia.allocation import builds

    monkeypatch.setattr(builds, "WHOLE_UNITS_MAX_COLS", 0)
    monkeypatch.setattr(builds, "SETUP_MILP_MAX_INTEGERS", -1)
    monkeypatch.setattr(strategy, "WHOLE_UNITS_MAX_COLS", -1)
    monkeypatch.setattr(strategy, "SETUP_MILP_MAX_INTEGERS", -1)
    s = random_scenario2(seed)
    options = SolverOptions(time_limit=20.0)
    plan = plan_of(s, options)
    assert plan.solver.method.startswith("builds-lp+relax-fix")
    ref = solve_reference(s, time_limit=60.0, solver="highs")
    assert plan.value <= ref.value * (1 + 1e-9) + 1e-6
    assert plan.solver.bound >= ref.value * (1 - 1e-9) - 1e-6
