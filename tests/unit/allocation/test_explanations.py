"""What a plan explains beyond its rows: what one more million buys (in value, units and needs)
and how priorities compare across capabilities once unit costs are counted."""

from __future__ import annotations

import pytest

from tests.support.factory import capability, line, need, pledge, scenario
from tests.support.planning import plan_of


def test_one_more_million_on_a_spent_pledge_buys_its_lines_units_for_the_needs_short() -> None:
    s = scenario(
        needs=(need(quantity=50, priority=2.0),),
        lines=(line(unit_cost="100000.00", monthly_capacity=100),),
        pledges=(pledge(amount="1000000.00"), pledge("idle", amount="5000.00", valid_to="2025-12",
                                                     valid_from="2025-01")),
        horizon=1,
    )  # fmt: skip
    marginal = plan_of(s).marginal_value
    assert marginal.pledges["pledge-1"] == pytest.approx(20.0)  # 10 units x priority 2
    assert marginal.units == {"pledge-1": {"cap-1": pytest.approx(10.0)}}
    assert marginal.needs == {"pledge-1": ("req-1",)}
    assert marginal.pledges["idle"] == 0.0  # money it cannot spend buys nothing


def test_a_pledge_with_money_left_buys_nothing_more() -> None:
    s = scenario(
        needs=(need(quantity=5),),
        lines=(line(unit_cost="100.00"),),
        pledges=(pledge(amount="1000000.00"),),
    )
    marginal = plan_of(s).marginal_value
    assert (marginal.pledges, marginal.units, marginal.needs) == ({"pledge-1": 0.0}, {}, {})


def test_priorities_rank_needs_by_value_per_million_on_their_capabilitys_cheapest_line() -> None:
    s = scenario(
        capabilities=(capability("missiles"), capability("drones"), capability("ships")),
        needs=(
            need("missile-need", capability="missiles", priority=5.0),
            need("drone-need", capability="drones", priority=1.0),
            need("ship-need", capability="ships", priority=50.0),
        ),
        lines=(
            line("missile-a", capability="missiles", unit_cost="100000.00"),
            line("missile-b", capability="missiles", unit_cost="250000.00"),
            line("drone-a", capability="drones", unit_cost="1000.00"),
        ),
        pledges=(pledge(),),
    )
    priorities = plan_of(s).priorities
    missile, drone, ship = (priorities[k] for k in ("missile-need", "drone-need", "ship-need"))
    assert (missile.unit_cost, missile.value_per_million, missile.rank) == (
        pytest.approx(100000), pytest.approx(50.0), 2,
    )  # fmt: skip
    assert (drone.unit_cost, drone.value_per_million, drone.rank) == (
        pytest.approx(1000), pytest.approx(1000.0), 1,
    )  # fmt: skip
    assert (ship.unit_cost, ship.value_per_million, ship.rank) == (None, None, 3)
