"""Monte Carlo evaluation of a plan: exact where the answer is known, ordered, reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from kuznia.demo import generate
from kuznia.risk import evaluate
from kuznia.risk.demo import demo_risk
from kuznia.risk.model import RiskClass
from tests.support.factory import capability, line, need, pledge, scenario
from tests.unit.risk.conftest import CERTAIN, FOREVER, NEVER, plan_of, risk_of, world


def _two_capabilities() -> object:
    return scenario(
        capabilities=(capability("cap-1"), capability("cap-2")),
        needs=(
            need("req-a", capability="cap-1", quantity=40, priority=2.0),
            need("req-b", capability="cap-2", quantity=60, priority=1.0),
        ),
        lines=(line("line-a", capability="cap-1"), line("line-b", capability="cap-2")),
        pledges=(pledge(),),
    )


def test_with_zero_strike_probability_every_path_is_the_plan_to_the_unit() -> None:
    s = _two_capabilities()
    data, disruption, plan = world(
        s, risk_of({"A": NEVER, "B": NEVER}, {"A": ("line-a",), "B": ("line-b",)})
    )
    e = evaluate(data, disruption, seed=5, paths=20)
    assert e.struck_paths == 0
    assert e.value.p90 == e.value.p10 == e.cvar10 == pytest.approx(plan.value, rel=1e-12)
    planned = {r.requirement: 0 for r in plan.deliveries}
    for r in plan.deliveries:
        planned[r.requirement] += r.units
    for req, units in planned.items():
        band = e.needs[req].units
        assert band.p90 == band.p50 == band.p10 == band.mean == units


def test_a_site_whose_loss_is_certain_gives_the_plan_without_that_site() -> None:
    s = _two_capabilities()
    data, disruption, _ = world(
        s, risk_of({"A": CERTAIN, "B": NEVER}, {"A": ("line-a",), "B": ("line-b",)})
    )
    e = evaluate(data, disruption, seed=1, paths=5)
    without = plan_of(s.model_copy(update={"proposals": (s.proposals[1],)}))
    assert e.value.p90 == e.value.p10 == pytest.approx(without.value, rel=1e-7)
    assert e.needs["req-a"].units.p10 == 0
    assert e.needs["req-b"].units.p90 == 60
    assert e.sites[0].site == "A"


def test_a_certain_loss_moves_the_money_to_a_line_with_nothing_to_open() -> None:
    s = scenario(
        needs=(need("req-1", quantity=60, due_month="2026-06"),),
        lines=(line("cheap", unit_cost="100.00"), line("dear", unit_cost="150.00")),
        pledges=(pledge(amount="6000.00"),),
    )
    data, disruption, plan = world(
        s, risk_of({"A": CERTAIN, "B": NEVER}, {"A": ("cheap",), "B": ("dear",)})
    )
    assert {r.proposal for r in plan.production} == {"cheap"}
    e = evaluate(data, disruption, seed=1, paths=3)
    without = plan_of(s.model_copy(update={"proposals": (s.proposals[1],)}))
    assert e.needs["req-1"].units.p50 == pytest.approx(40, abs=1e-5)
    assert e.value.p50 == pytest.approx(without.value, rel=1e-7)


def _small_world() -> tuple[object, object, object]:
    w = generate("small", 3)
    risk = demo_risk(w)
    harsher = tuple(
        RiskClass(**{**c.model_dump(), "monthly_probability": min(1.0, c.monthly_probability * 5)})
        for c in risk.classes
    )
    return world(w.scenario, risk.model_copy(update={"classes": harsher}))


def test_exceedance_levels_are_ordered_p90_below_p50_below_p10() -> None:
    data, disruption, plan = _small_world()
    e = evaluate(data, disruption, seed=11, paths=40)
    assert e.struck_paths > 0
    assert e.cvar10 <= e.value.p90 <= e.value.p50 <= e.value.p10 <= plan.value + 1e-6
    for figures in [*e.needs.values(), *e.capabilities.values()]:
        for b in (figures.units, figures.value):
            assert b.p90 <= b.p50 <= b.p10
    for fan in e.fans.values():
        assert np.all(np.array(fan.p90) <= np.array(fan.p50) + 1e-9)
        assert np.all(np.array(fan.p50) <= np.array(fan.p10) + 1e-9)


@pytest.mark.parametrize("n", [1, 2, 7, 10, 40, 101, 1000])
def test_pk_is_the_largest_value_reached_in_at_least_k_percent_of_paths(n: int) -> None:
    """The definition (docs/risk.md): P90 is the value reached in 90 % of paths, so
    P90 <= P50 <= P10; ties and sample sizes that are no multiple of 10 included."""
    from kuznia.risk.statistics import band, reached

    values = np.random.default_rng(n).integers(0, 12, n).astype(float)
    for k in (90, 50, 10):
        level = float(reached(values, k))
        assert np.mean(values >= level) >= k / 100, (k, level)
        higher = values[values > level]
        if higher.size:  # any higher value is reached in fewer than k % of paths
            assert np.mean(values >= higher.min()) < k / 100, (k, level)
    b = band(values)
    assert b.p90 <= b.p50 <= b.p10


def test_the_same_seed_gives_the_same_figures_whatever_the_order_of_paths() -> None:
    data, disruption, _ = _small_world()
    first = evaluate(data, disruption, seed=4, paths=12)
    again = evaluate(data, disruption, seed=4, paths=12)
    other = evaluate(data, disruption, seed=5, paths=12)
    assert first == again
    assert first != other


def test_an_unknown_risk_class_is_named_with_its_path() -> None:
    from kuznia.errors import InvalidInput
    from kuznia.risk import parse_risk

    doc = '{"format": "kuznia.risk/1", "classes": [], "sites": [{"id": "s", "risk_class": "x"}]}'
    with pytest.raises(InvalidInput) as err:
        parse_risk(doc)
    assert [(p.path, p.message) for p in err.value.problems] == [
        ("sites[0].risk_class", "unknown risk class 'x'")
    ]


def test_durations_must_sum_to_one() -> None:
    from pydantic import ValidationError

    from kuznia.risk.model import Duration

    with pytest.raises(ValidationError, match=r"sum to 0\.5"):
        RiskClass(id="c", monthly_probability=0.1, durations=(Duration(months=1, probability=0.5),))
    assert FOREVER[0].months == 600


def test_the_shipped_risk_schemas_are_the_models_own() -> None:
    from kuznia.risk.schemas import SCHEMA_FILES, generate, shipped

    for name in SCHEMA_FILES:
        assert shipped(name) == generate(name), f"regenerate: python -m kuznia.risk.schemas {name}"


def test_a_risk_file_round_trips_through_its_canonical_bytes() -> None:
    from kuznia.risk import dump_risk, parse_risk

    risk = demo_risk(generate("small", 2))
    assert parse_risk(dump_risk(risk)) == risk
