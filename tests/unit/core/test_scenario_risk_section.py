"""A scenario file's optional ``risk`` section: a ``kuznia.risk/1`` document read, checked and
written by the scenario format, ignored by the optimizer (docs/risk.md)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from kuznia.allocation import SolverOptions, plan_scenario
from kuznia.demo import generate
from kuznia.errors import InvalidInput
from kuznia.risk import dump_risk, parse_risk
from kuznia.risk.demo import demo_risk
from kuznia.scenario.io import dump_scenario, parse_scenario, scenario_sha256
from kuznia.scenario.plan import dump_plan
from kuznia.scenario.schemas import shipped
from tests.factories import format2_document, scenario_document

SECTION: dict[str, Any] = {
    "format": "kuznia.risk/1",
    "classes": [
        {"id": "front_line", "name": "Front line", "monthly_probability": 0.04,
         "capacity_loss": 1.0,
         "durations": [{"months": 1, "probability": 0.5}, {"months": 2, "probability": 0.5}]},
    ],
    "sites": [{"id": "site-1", "risk_class": "front_line", "proposals": []}],
}  # fmt: skip


def _with_risk(doc: dict[str, Any], section: Any = SECTION) -> bytes:
    return json.dumps({**doc, "risk": section}).encode()


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(data)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("document", [scenario_document, format2_document], ids=["/1", "/2"])
def test_both_formats_read_the_section_and_write_it_last_byte_for_byte(document) -> None:
    without = parse_scenario(json.dumps(document()))
    scenario = parse_scenario(_with_risk(document()))
    assert scenario.risk == parse_risk(json.dumps(SECTION))
    canonical = dump_scenario(scenario)
    assert dump_scenario(parse_scenario(canonical)) == canonical
    written = json.loads(canonical)
    assert list(written)[-1] == "risk"
    assert written["risk"] == json.loads(dump_risk(scenario.risk))
    assert {k: v for k, v in written.items() if k != "risk"} == json.loads(dump_scenario(without))
    jsonschema.Draft202012Validator(shipped("scenario.schema.json")).validate(written)


def test_a_file_without_the_section_has_no_risk_key_and_the_same_bytes() -> None:
    scenario = parse_scenario(json.dumps(scenario_document()))
    assert scenario.risk is None
    assert b'"risk"' not in dump_scenario(scenario)
    world = generate("small", 1)
    data = dump_scenario(world.scenario)
    assert dump_scenario(parse_scenario(data)) == data


def _mutated(**changes: Any) -> dict[str, Any]:
    section = json.loads(json.dumps(SECTION))
    for path, value in changes.items():
        kind, index, field = path.split("__")
        section[kind][int(index)][field] = value
    return section


BAD_SECTIONS = {
    "unknown class": (_mutated(sites__0__risk_class="rear"), "risk.sites[0].risk_class"),
    "unknown line": (_mutated(sites__0__proposals=["line-x"]), "risk.sites[0].proposals[0]"),
    "durations": (
        _mutated(classes__0__durations=[{"months": 1, "probability": 0.4}]),
        "risk.classes[0].durations",
    ),
    "probability": (
        _mutated(classes__0__monthly_probability=1.5),
        "risk.classes[0].monthly_probability",
    ),
    "unknown field": (_mutated(sites__0__location="50.4,30.5"), "risk.sites[0].location"),
    "no format": ({k: v for k, v in SECTION.items() if k != "format"}, "risk.format"),
    "other format": ({**SECTION, "format": "kuznia.risk/9"}, "risk.format"),
    "not an object": ([SECTION], "risk"),
    "null": (None, "risk"),
}


@pytest.mark.parametrize(("section", "path"), BAD_SECTIONS.values(), ids=list(BAD_SECTIONS))
def test_a_bad_section_names_its_path_inside_the_scenario(section, path) -> None:
    found = problems_of(_with_risk(scenario_document(), section))
    assert any(p.startswith((f"{path}:", f"{path}.")) for p in found), found


def test_a_duplicate_site_in_the_section_is_named() -> None:
    section = {**SECTION, "sites": SECTION["sites"] * 2}
    assert problems_of(_with_risk(scenario_document(), section)) == [
        "risk.sites[1].id: duplicate site 'site-1'"
    ]


def test_a_scenario_with_and_without_the_section_plans_identically() -> None:
    world = generate("small", 1)
    plain = dump_scenario(world.scenario)
    risky = dump_scenario(world.scenario.model_copy(update={"risk": demo_risk(world)}))
    assert parse_scenario(risky).risk == demo_risk(world)
    options = SolverOptions(threads=1)
    digest = scenario_sha256(plain)
    one = plan_scenario(parse_scenario(plain), digest, options).plan
    two = plan_scenario(parse_scenario(risky), digest, options).plan
    assert one.production
    assert one.production == two.production
    assert one.deliveries == two.deliveries
    assert one.funding == two.funding
    assert dump_plan(one.model_copy(update={"timings_s": two.timings_s})) == dump_plan(two)
