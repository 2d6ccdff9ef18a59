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


def test_the_plan_workbook_shows_the_action_of_an_unmet_need_and_the_units_a_million_buys() -> None:
    import io

    from openpyxl import load_workbook

    from kuznia.spreadsheets.plan_sheets import plan_workbook

    s = scenario(
        capabilities=(capability("cap-1"), capability("cap-2")),
        needs=(need(quantity=30, priority=2.0),),
        lines=(line(monthly_capacity=10, unit_cost="100.00"),),
        pledges=(
            pledge(amount="1000.00"),
            pledge("drones-only", amount="5000.00", capabilities=("cap-2",)),
        ),
    )
    book = load_workbook(io.BytesIO(plan_workbook(s, plan_of(s))))
    unmet = [tuple(c.value for c in row) for row in book["unmet"].iter_rows()]
    header, row = unmet[0], dict(zip(unmet[0], unmet[1], strict=True))
    assert header[9:] == (
        "binding limit", "what binds", "pledges holding money", "lines",
        "extra money to meet it (EUR)", "units no line can deliver in time",
        "value per 1,000,000 on its cheapest line", "rank by value per money",
    )  # fmt: skip
    assert (row["binding limit"], row["pledges holding money"], row["lines"]) == (
        "earmarks", "drones-only", "line-1",
    )  # fmt: skip
    assert row["extra money to meet it (EUR)"] == pytest.approx(2000.00)
    assert row["value per 1,000,000 on its cheapest line"] == pytest.approx(20_000.0)
    units = [tuple(c.value for c in r) for r in book["marginal units"].iter_rows()]
    # a million more on pledge-1 buys the 20 units still missing, not a million's worth
    assert units[1][:7] == ("pledge-1", "DK", "cap-1", "unit", pytest.approx(20.0), 20_000.0, 1)
