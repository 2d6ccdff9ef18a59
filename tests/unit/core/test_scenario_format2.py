"""``kuznia.scenario/2``: projects and pledge purposes read, checked (each error names its field)
and written; a ``/1`` file reads and writes as before."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from kuznia.errors import InvalidInput
from kuznia.scenario.bounds import MAX_BUILD_MONTHS, MAX_CAPEX
from kuznia.scenario.io import dump_scenario, parse_scenario
from kuznia.scenario.plan import PLAN_FORMAT_2, Plan
from kuznia.scenario.schemas import shipped
from tests.factories import scenario_bytes
from tests.support.factory import line, pledge
from tests.support.planning import plan_of
from tests.support.projects import project, scenario2

BOTH = ("production", "investment")


def doc2() -> dict[str, Any]:
    s = scenario2(
        lines=(line(),),
        projects=(project(), project("proj-2", company_country="UA", site_country="DK")),
        pledges=(pledge(purposes=BOTH, projects=("proj-1",)), pledge("pledge-2")),
    )
    result: dict[str, Any] = json.loads(dump_scenario(s))
    return result


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(json.dumps(doc))
    return [str(p) for p in caught.value.problems]


def test_a_format_2_scenario_round_trips_byte_for_byte_and_fits_the_schema():
    data = json.dumps(doc2()).encode()
    canonical = dump_scenario(parse_scenario(data))
    assert dump_scenario(parse_scenario(canonical)) == canonical
    doc = json.loads(canonical)
    assert doc["format"] == "kuznia.scenario/2"
    assert len(doc["projects"]) == 2
    assert doc["pledges"][1]["purposes"] == ["production"]  # the default, written in a /2 file
    jsonschema.Draft202012Validator(shipped("scenario.schema.json")).validate(doc)


def test_a_format_1_file_reads_and_writes_unchanged():
    s = parse_scenario(scenario_bytes())
    assert s.version == 1
    assert s.projects == ()
    out = json.loads(dump_scenario(s))
    assert out["format"] == "kuznia.scenario/1"
    assert "projects" not in out
    assert all("purposes" not in g and "projects" not in g for g in out["pledges"])
    assert all(g.for_production and not g.for_investment for g in s.pledges)


def test_version_2_fields_in_a_format_1_file_are_refused():
    doc = doc2()
    doc["format"] = "kuznia.scenario/1"
    found = problems(doc)
    assert any(p.startswith("projects:") for p in found)
    assert any(p.startswith("pledges[0].purposes:") for p in found)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("projects", 1, "capex"), "0.00", "projects[1].capex: capex must be more than 0"),
        (("projects", 1, "capex"), "-5.00", "projects[1].capex: capex must be more than 0"),
        (
            ("projects", 1, "capex"),
            "1000000000000.00",
            f"projects[1].capex: capex is at most {MAX_CAPEX}",
        ),
        (
            ("projects", 0, "build_months"),
            MAX_BUILD_MONTHS + 1,
            f"projects[0].build_months: Input should be less than or equal to {MAX_BUILD_MONTHS}",
        ),
        (("projects", 0, "build_months"), -1, "projects[0].build_months: Input should be greater"),
        (("projects", 0, "earliest_start"), "2100-01", "projects[0].earliest_start: 2100-01 is"),
        (("projects", 0, "earliest_start"), "soon", "projects[0].earliest_start: 'soon' is not"),
        (("projects", 0, "kind"), "partner_domestic", "projects[0].kind: a DE firm's site in UA"),
        (("projects", 1, "kind"), "in_ukraine", "projects[1].kind: a UA firm's site in DK"),
        (("projects", 0, "kind"), "offshore", "projects[0].kind: Input should be"),
        (("projects", 1, "id"), "proj-1", "projects[1].id: duplicate id 'proj-1'"),
        (("projects", 0, "id"), "line-1", "projects[0].id: 'line-1' is already a proposal's id"),
        (("projects", 0, "capability"), "cap-9", "projects[0].capability: unknown capability"),
        (("projects", 0, "currency"), "JPY", "projects[0].currency: no rate for JPY"),
        (("pledges", 0, "projects", 0), "proj-9", "pledges[0].projects[0]: unknown project"),
        (("pledges", 0, "purposes"), [], "pledges[0].purposes: Tuple should have at least 1"),
        (("pledges", 0, "purposes"), ["charity"], "pledges[0].purposes[0]: Input should be"),
        (
            ("pledges", 0, "purposes"),
            ["investment", "investment"],
            "pledges[0].purposes: lists investment 2 times",
        ),
    ],
)
def test_each_bad_project_field_is_refused_with_its_path(path, value, expected):
    doc = doc2()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    found = problems(doc)
    assert any(p.startswith(expected) for p in found), found


def test_only_a_format_2_scenario_yields_a_format_2_plan_and_both_fit_the_plan_schema():
    two = plan_of(
        scenario2(lines=(line(),), pledges=(pledge(purposes=BOTH),), projects=(project(),))
    )
    assert two.format == PLAN_FORMAT_2
    validator = jsonschema.Draft202012Validator(shipped("plan.schema.json"))
    validator.validate(json.loads(two.model_dump_json(exclude_none=True)))
    one = plan_of(parse_scenario(scenario_bytes()))
    assert one.format == "kuznia.plan/1"
    assert one.builds is None
    assert one.capacity_value is None
    validator.validate(json.loads(one.model_dump_json(exclude_none=True)))
    assert isinstance(two, Plan)
