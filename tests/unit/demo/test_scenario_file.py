from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from kuznia.demo import DemoWorld, generate
from kuznia.scenario.io import dump_scenario, parse_scenario
from kuznia.scenario.schemas import shipped


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = shipped("scenario.schema.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("world", ["small", "national"])
def test_the_generated_scenario_validates_against_the_shipped_schema(
    world: str, validator: Draft202012Validator, request: pytest.FixtureRequest
) -> None:
    demo: DemoWorld = request.getfixturevalue(world)
    errors = list(validator.iter_errors(json.loads(dump_scenario(demo.scenario))))
    assert errors == []


@pytest.mark.parametrize("world", ["small", "national"])
def test_the_scenario_round_trips_through_the_reader_to_the_same_bytes(
    world: str, request: pytest.FixtureRequest
) -> None:
    demo: DemoWorld = request.getfixturevalue(world)
    data = dump_scenario(demo.scenario)
    assert dump_scenario(parse_scenario(data)) == data


@pytest.mark.slow
def test_the_stress_scenario_is_valid_and_round_trips(validator: Draft202012Validator) -> None:
    data = dump_scenario(generate("stress", 3).scenario)
    assert list(validator.iter_errors(json.loads(data))) == []
    assert dump_scenario(parse_scenario(data)) == data
