"""Scenario files are written by orjson, byte for byte as the standard library writes them."""

from __future__ import annotations

import json

import pytest

from kuznia.demo import generate
from kuznia.errors import InvalidInput
from kuznia.scenario.io import (
    canonical_json_bytes,
    dump_scenario,
    parse_scenario,
    scenario_document,
)


def _standard(doc: object) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@pytest.mark.parametrize("scale", ["small", "national"])
def test_a_demo_scenario_is_written_as_the_standard_library_writes_it(scale):
    scenario = generate(scale, 1).scenario
    data = dump_scenario(scenario)
    assert data == _standard(scenario_document(scenario))
    assert dump_scenario(parse_scenario(data)) == data


@pytest.mark.parametrize(
    "doc",
    [
        {"small": 1e-05, "large": 1e16, "plain": [0.1, 100.0, 5e-324, 1e300]},
        {"nan": float("nan"), "inf": float("inf")},
        {"big": 2**70, "negative": -(2**64)},
        {"text": 'a\x1f\x7f\u2028é"\\\n\t\U0001f600', "empty": [[], {}], "none": None},
        {"nested": [{"a": [True, False]}, {"b": {"c": [1, 2.5, "x"]}}], "ключ": "значення"},
        [],
        "just a string",
    ],
)
def test_awkward_documents_come_out_byte_for_byte_as_json_dumps(doc):
    assert canonical_json_bytes(doc) == _standard(doc)


def test_a_syntax_error_is_still_located_by_line_and_column():
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(b'{\n  "format": "kuznia.scenario/1",\n  oops\n}')
    assert "at line 3 column 3" in str(caught.value.problems[0])


def test_plans_are_written_as_the_standard_library_writes_them():
    from kuznia.scenario.plan import dump_plan, plan_document
    from tests.support.planning import plan_of
    from tests.support.projects import random_scenario2

    for scenario in (generate("small", 1).scenario, random_scenario2(1)):
        plan = plan_of(scenario)
        assert dump_plan(plan) == _standard(plan_document(plan))
    awkward = plan.model_copy(update={"value": 1e-05})
    assert dump_plan(awkward) == _standard(plan_document(awkward))
