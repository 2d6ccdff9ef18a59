"""The robust plan against the nominal one, dispersal, and sweeps on a real Dask cluster."""

from __future__ import annotations

from kuznia.risk import compare, dask_client, evaluate
from kuznia.risk.compare import choose
from kuznia.risk.robust import Objective, robust_plan
from kuznia.risk.runner import sweep
from kuznia.risk.statistics import cvar
from tests.unit.risk.test_evaluation import _small_world


def test_the_robust_lp_never_has_a_lower_cvar_bound_than_the_nominal_plan_on_its_sample() -> None:
    data, disruption, _ = _small_world()
    for goal in Objective:
        found = robust_plan(data, disruption, seed=2, paths=20, objective=goal)
        if goal is Objective.CVAR:
            assert found.surrogate_cvar >= found.nominal_surrogate_cvar - 1e-6


def test_the_robust_plan_never_has_a_lower_cvar_than_the_nominal_plan_on_the_same_sample() -> None:
    data, disruption, _ = _small_world()
    found = robust_plan(data, disruption, seed=2, paths=20)
    robust, _ = choose(data, found, disruption, 2, 20, None)
    on_sample = [cvar(sweep(d, disruption, seed=2, paths=20).value) for d in (data, robust)]
    assert on_sample[1] >= on_sample[0]


def test_a_comparison_reports_both_plans_with_their_dispersal() -> None:
    data, disruption, _ = _small_world()
    result = compare(data, disruption, seed=3, paths=10, sample_paths=10)
    assert result.nominal.paths == result.robust.paths == 10
    for figures in (result.nominal, result.robust):
        for d in figures.dispersal.values():
            assert 0 < d.herfindahl <= 1
            assert d.largest_share <= d.top3_share <= 1 + 1e-12
            assert d.herfindahl >= 1 / d.sites - 1e-12


def test_the_same_seed_gives_the_same_figures_on_one_and_two_workers() -> None:
    data, disruption, _ = _small_world()
    here = evaluate(data, disruption, seed=9, paths=16)
    with dask_client(1) as one:
        on_one = evaluate(data, disruption, seed=9, paths=16, client=one)
    with dask_client(2) as two:
        on_two = evaluate(data, disruption, seed=9, paths=16, client=two)
    assert here == on_one == on_two
