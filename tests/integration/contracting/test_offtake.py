"""Lines abroad state their offtake terms, and deliver to Ukraine inside the offtake period
(issue 12: "nothing checks offtake_until against deliveries")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kuznia.errors import InvalidInput
from kuznia.services.contracting.deliveries import DeliveryReport, report_delivery
from kuznia.services.registries import records
from tests.integration.contracting.world import (
    ABROAD_TERMS,
    COMPANY_2,
    COORDINATOR,
    DANISH,
    load_world,
    shell_draft,
    signed,
)
from tests.support.dump import dump_tables


@pytest.fixture
def world(database):
    load_world(database)  # line-2: co-ua-2's line in DK, all output to Ukraine until 2027-12
    return database


def _deliver(database, on: date, units: int, country: str | None) -> None:
    report = DeliveryReport("contract-dk", on, units, "depot", destination_country=country)
    with database.unit_of_work(COMPANY_2) as uow:
        report_delivery(uow, report)


def _line_2(database, **changes) -> None:
    with database.unit_of_work(COORDINATOR) as uow:
        records.update_record(uow, "proposals", "line-2", changes, None)


def test_a_line_abroad_states_its_offtake_terms_on_the_proposal(world):
    line = {"company_id": "co-ua-2", "site_country": "PL", "capability_id": "shell-155",
            "unit_cost_cents": 100_00, "currency": "EUR", "monthly_capacity": 10,
            "lead_time_months": 0, "ramp_up_months": 1}  # fmt: skip
    before = dump_tables(world)
    with pytest.raises(InvalidInput) as refused, world.unit_of_work(COORDINATOR) as uow:
        records.create_record(uow, "proposals", line)
    message = str(refused.value)
    assert "offtake_until: a ukrainian_abroad line states the last month its output goes" in message
    assert (
        "offtake_share_percent: a ukrainian_abroad line states the share of its output" in message
    )
    assert dump_tables(world) == before
    with (
        pytest.raises(InvalidInput, match="offtake_share_percent"),
        world.unit_of_work(COORDINATOR) as uow,
    ):
        records.create_record(uow, "proposals", {**line, "offtake_until": "2028-12"})
    with world.unit_of_work(COORDINATOR) as uow:
        made = records.create_record(
            uow, "proposals", {**line, "offtake_until": "2028-12", "offtake_share_percent": 100}
        )
    assert made["kind"] == "ukrainian_abroad"
    with world.unit_of_work(COORDINATOR) as uow:  # a line in Ukraine needs none
        records.create_record(uow, "proposals", {**line, "site_country": "UA"})
    with pytest.raises(InvalidInput, match="offtake_until"):
        _line_2(world, offtake_until=None)  # nor may an update drop them


def test_inside_the_offtake_period_a_line_abroad_delivers_to_ukraine(world):
    signed(world, shell_draft(), DANISH)
    before = dump_tables(world)
    for country, says in (("PL", "not PL"), (None, "not a country not stated")):
        with pytest.raises(InvalidInput) as refused:
            _deliver(world, date(2026, 6, 10), 10, country)
        message = str(refused.value)
        assert "destination_country: contract contract-dk is for a line abroad whose output" in (
            message
        )
        assert "goes to Ukraine until 2027-12-31 (100%): a delivery on 2026-06-10 goes to UA" in (
            message
        )
        assert says in message
        assert dump_tables(world) == before
    _deliver(world, date(2026, 6, 10), 10, "UA")


def test_after_the_offtake_period_a_line_abroad_delivers_anywhere(world):
    _line_2(world, offtake_until="2026-06")
    signed(
        world, shell_draft(abroad=replace(ABROAD_TERMS, offtake_until=date(2026, 6, 15))), DANISH
    )
    with pytest.raises(InvalidInput, match="until 2026-06-30 "):
        _deliver(world, date(2026, 6, 30), 10, "PL")  # the later end: the line's month
    _deliver(world, date(2026, 7, 1), 10, "PL")


def test_the_share_a_line_leaves_to_others_may_go_elsewhere(world):
    _line_2(world, offtake_share_percent=80)  # of 200 units, 40 may go elsewhere
    signed(world, shell_draft(), DANISH)
    _deliver(world, date(2026, 6, 10), 30, "PL")
    _deliver(world, date(2026, 6, 11), 50, "UA")
    with pytest.raises(InvalidInput) as refused:
        _deliver(world, date(2026, 6, 12), 20, "DE")
    assert "(80%)" in str(refused.value)
    assert "40 of 200 units may go elsewhere; 30 did and 20 more would exceed it" in str(
        refused.value
    )
    _deliver(world, date(2026, 6, 12), 10, "DE")
