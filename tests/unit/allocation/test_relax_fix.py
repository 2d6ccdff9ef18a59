"""The large-model path on small scenarios: relax-fix, the fixed-setup model, the Lagrangian
bound, payers and warm re-plans, each checked against the naive PuLP/CBC optimum or the full
model, so that a wrong bound or a wrong reduction fails here rather than on national data."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuznia.allocation import SolverOptions, strategy
from kuznia.allocation.bounds import lagrangian_bound
from kuznia.allocation.builder import MONEY_SCALE
from kuznia.allocation.fixing import fix_setups
from kuznia.allocation.formulation import build_formulation, in_pledges
from kuznia.allocation.payers import payer_groups, split_money
from kuznia.allocation.problem import build_problem
from kuznia.allocation.solver import Outcome, Session, SolveStatus
from kuznia.allocation.stages import FixedStages
from kuznia.scenario.model import Scenario
from tests.support.factory import random_scenario
from tests.support.planning import plan_checked
from tests.support.reference import solve_reference

SEEDS = range(int(os.environ.get("KUZNIA_XCHECK_SEEDS", "12")))
OPTIONS = SolverOptions(time_limit=5.0)


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat every model as large: pooled, relax-fix (no exact MILP)."""
    monkeypatch.setattr(strategy, "WHOLE_UNITS_MAX_COLS", -1)
    monkeypatch.setattr(strategy, "SETUP_MILP_MAX_INTEGERS", -1)


def _scenario(seed: int) -> Scenario:
    return random_scenario(seed, lines=7, needs=5, pledges=4, horizon=5)


@pytest.mark.parametrize("seed", SEEDS)
def test_relax_fix_plans_are_valid_and_their_bound_bounds_the_optimum(
    seed: int, large: None
) -> None:
    s = _scenario(seed)
    ref = solve_reference(s)
    assert ref.status == "optimal"
    plan = plan_checked(s, OPTIONS).plan
    assert plan.value <= ref.value + 1e-6
    assert plan.solver.bound >= ref.value - 1e-6 * max(1.0, ref.value)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_warm_replan_proves_its_bound_against_the_changed_scenarios_optimum(
    seed: int, large: None
) -> None:
    s = _scenario(seed)
    first = plan_checked(s, OPTIONS)
    if not s.pledges:
        return
    cut = s.pledges[0].model_copy(update={"amount": s.pledges[0].amount * 9 / 10})
    changed = s.model_copy(update={"pledges": (cut, *s.pledges[1:])})
    ref = solve_reference(changed)
    again = plan_checked(changed, OPTIONS, first.warm).plan
    assert again.value <= ref.value + 1e-6
    assert again.solver.bound >= ref.value - 1e-6 * max(1.0, ref.value)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6), prices=st.integers(0, 2**32 - 1))
def test_the_lagrangian_bound_holds_for_any_prices(seed: int, prices: int) -> None:
    s = random_scenario(seed % 50, lines=5, needs=4, pledges=3, horizon=4)
    form = build_formulation(build_problem(s))
    if not len(form.model.col_lower):
        return
    ref = solve_reference(s)
    rng = np.random.default_rng(prices)
    pi = rng.normal(scale=rng.choice([0.01, 1.0, 100.0]), size=len(form.model.row_lower))
    assert lagrangian_bound(form, pi) >= ref.value - 1e-6 * max(1.0, ref.value)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_bound_at_the_relaxations_duals_is_the_relaxations_value(seed: int) -> None:
    form = build_formulation(build_problem(_scenario(seed)))
    if not len(form.model.col_lower):
        return
    session = Session(form.model, OPTIONS)
    session.maximize(form.model.value_cost)
    relaxed = session.solve()
    bound = lagrangian_bound(form, relaxed.row_dual)
    # never below the relaxation at its own duals (weak duality), and tight at them
    assert relaxed.objective - 1e-6 <= bound <= relaxed.objective * (1 + 1e-6) + 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_the_fixed_setup_model_has_the_optimum_of_the_full_model_with_setups_fixed(
    seed: int,
) -> None:
    form = build_formulation(build_problem(_scenario(seed)))
    y = form.cols("y")
    if not len(y):
        return
    rng = np.random.default_rng(seed)
    for _ in range(3):
        y_open = _one_start_per_line(form.y_line, rng)
        full = Session(form.model, OPTIONS)
        full.maximize(form.model.value_cost)
        full.set_bounds(y, y_open.astype(float), y_open.astype(float))
        expected = full.solve()
        stages = FixedStages(form, y_open, OPTIONS, None)
        got = stages.value_stage(5.0)
        assert got.status == expected.status
        if expected.ok:
            assert got.objective == pytest.approx(expected.objective, rel=1e-7, abs=1e-6)
            values = stages.full_cols(got)
            assert np.all(values <= form.model.col_upper + 1e-7)
            assert np.array_equal(values[y] > 0.5, y_open)
            # the full basis, converted, is optimal for the fixed model at once
            basis = full.basis()
            assert basis is not None
            restarted = FixedStages(form, y_open, OPTIONS, None, full=basis)
            again = restarted.value_stage(5.0)
            assert again.objective == pytest.approx(expected.objective, rel=1e-7, abs=1e-6)


def _one_start_per_line(y_line: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    y_open = np.zeros(len(y_line), dtype=bool)
    for line in np.unique(y_line):
        cols = np.nonzero(y_line == line)[0]
        pick = rng.integers(-1, len(cols))
        if pick >= 0:
            y_open[cols[pick]] = True
    return y_open


def test_fixing_drops_the_opening_rows_and_closed_production() -> None:
    form = build_formulation(build_problem(_scenario(3)))
    y_open = np.zeros(len(form.y_line), dtype=bool)
    fixed = fix_setups(form, y_open)
    assert len(fixed.model.row_lower) < len(form.model.row_lower)
    assert not np.isin(form.cols("y"), fixed.cols).any()


@settings(max_examples=50, deadline=None)
@given(
    budgets=st.lists(st.integers(0, 10_000), min_size=1, max_size=6),
    payer_count=st.integers(1, 3),
    amounts=st.lists(st.floats(0, 5_000, allow_nan=False), min_size=0, max_size=12),
    data=st.data(),
)
def test_split_money_keeps_every_column_and_fills_pledges_in_order(
    budgets: list[int], payer_count: int, amounts: list[float], data: st.DataObject
) -> None:
    group = np.array([data.draw(st.integers(0, payer_count - 1)) for _ in budgets], dtype=np.int64)
    present = np.unique(group)
    col_payer = np.array([data.draw(st.sampled_from(present.tolist())) for _ in amounts])
    col_payer = col_payer.astype(np.int64)
    amount = np.array(amounts, dtype=np.float64)
    col, pledge, money = split_money(group, np.array(budgets), col_payer, amount, 1.0)
    assert np.allclose(np.bincount(col, weights=money, minlength=len(amount)), amount)
    assert np.all(group[pledge] == col_payer[col])
    for payer in present:
        members = np.nonzero(group == payer)[0]
        totals = np.array([money[pledge == q].sum() for q in members])
        within = totals[:-1] <= np.array(budgets)[members][:-1] + 1e-6
        assert within.all()  # only the last pledge takes what exceeds the payer's budgets
        n_cols = int((col_payer == payer).sum())
        assert int((np.isin(pledge, members)).sum()) == n_cols * len(members)


def test_pledges_alike_in_eligibility_and_window_are_one_payer() -> None:
    s = random_scenario(5, lines=6, needs=4, pledges=3)
    twin = s.pledges[0].model_copy(update={"id": "twin", "partner": "PL"})
    doubled = s.model_copy(update={"pledges": (*s.pledges, twin)})
    group = payer_groups(build_problem(doubled))
    assert group[-1] == group[0]
    assert len(np.unique(group)) == len(np.unique(payer_groups(build_problem(s))))


@pytest.mark.parametrize("seed", SEEDS)
def test_money_split_back_to_pledges_keeps_each_budget(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strategy, "WHOLE_UNITS_MAX_COLS", -1)  # pooled money, split by payer
    s = _scenario(seed)
    twins = tuple(g.model_copy(update={"id": f"{g.id}-twin"}) for g in s.pledges)
    doubled = s.model_copy(update={"pledges": (*s.pledges, *twins)})
    problem = build_problem(doubled)
    form = build_formulation(problem)
    if not len(form.model.col_lower):
        return
    solved = strategy.solve(form, OPTIONS)
    split, values = in_pledges(solved.form, solved.col_value)
    spent = np.bincount(split.f_pledge, weights=values[split.cols("f")], minlength=len(twins) * 2)
    spent += np.bincount(split.g_pledge, weights=values[split.cols("g")], minlength=len(spent))
    assert np.all(spent <= problem.budget * MONEY_SCALE + 1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_a_relaxation_that_does_not_finish_in_time_falls_back_to_the_greedy_setups(
    seed: int, large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = _scenario(seed)
    real = strategy.relax_fix
    empty = (np.zeros(0),) * 4
    stopped = Outcome(SolveStatus.TIME_LIMIT, 0.0, *empty, bound=0.0, mip_gap=0.0, seconds=0.0)

    reached: list[bool] = []

    def stalled(session: Session, *args: object) -> object:
        reached.append(True)
        monkeypatch.setattr(session, "solve", lambda: stopped)  # the relaxation only
        return real(session, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(strategy, "relax_fix", stalled)
    plan = plan_checked(s, OPTIONS).plan  # valid, or the test fails
    assert plan.baseline is not None
    if reached and plan.baseline.value > 0:  # a relaxation ran, and greedy had setups to offer
        assert plan.production
        assert any("did not reach its optimum" in note for note in plan.notes)
        ref = solve_reference(s)
        assert plan.solver.bound >= ref.value - 1e-6 * max(1.0, ref.value)
