"""A draft contract's problems come back together: its numbers, schedule and parties in one
InvalidInput (each with its field), so a form shows them in one round."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kuznia.errors import InvalidInput
from kuznia.services.contracting.drafting import create_contract
from tests.integration.contracting.world import COORDINATOR, fpv_draft, load_world
from tests.support.dump import dump_tables


@pytest.fixture
def world(database):
    load_world(database)
    return database


def test_an_unknown_company_and_a_schedule_that_does_not_add_up_are_reported_together(world):
    draft = replace(fpv_draft(), company_id="co-nowhere", schedule={"2026-03": 1})
    before = dump_tables(world)
    with pytest.raises(InvalidInput) as refused, world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, draft)
    paths = {p.path for p in refused.value.problems}
    assert {"company_id", "schedule"} <= paths, refused.value.problems
    assert dump_tables(world) == before


def test_an_unknown_pledge_and_a_bad_month_are_reported_together(world):
    draft = replace(fpv_draft(), pledge_id="pledge-nowhere", schedule={"2019-01": 100})
    with pytest.raises(InvalidInput) as refused, world.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, draft)
    assert {p.path for p in refused.value.problems} == {"pledge_id", "schedule.2019-01"}
