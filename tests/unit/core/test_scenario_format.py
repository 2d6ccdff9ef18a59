import json

import jsonschema
import pytest

from kuznia.errors import InvalidInput
from kuznia.scenario.io import dump_scenario, parse_scenario
from kuznia.scenario.schemas import SCHEMA_FILES, render, shipped
from tests.factories import scenario_bytes, scenario_document


def problems_of(doc) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(json.dumps(doc))
    return [str(p) for p in caught.value.problems]


def test_a_good_scenario_parses_and_its_canonical_form_is_stable():
    scenario = parse_scenario(scenario_bytes())
    canonical = dump_scenario(scenario)
    assert dump_scenario(parse_scenario(canonical)) == canonical
    assert canonical.endswith(b"\n")


def test_canonical_form_sorts_records_naturally_by_id():
    doc = scenario_document()
    doc["requirements"] = [dict(doc["requirements"][0], id=f"req-{n}") for n in (10, 2, 1)]
    ids = [
        r["id"] for r in json.loads(dump_scenario(parse_scenario(json.dumps(doc))))["requirements"]
    ]
    assert ids == ["req-1", "req-2", "req-10"]


def test_the_shipped_json_schemas_match_the_models():
    for name in SCHEMA_FILES:
        assert shipped(name) == json.loads(render(name)), f"regenerate {name}"


def test_the_shipped_schema_accepts_the_canonical_form():
    canonical = json.loads(dump_scenario(parse_scenario(scenario_bytes())))
    jsonschema.Draft202012Validator(shipped("scenario.schema.json")).validate(canonical)


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


BAD_CASES = [
    (
        "wrong type",
        ("proposals", 0, "monthly_capacity"),
        "400",
        "proposals[0].monthly_capacity: Input should be a valid integer",
    ),
    (
        "money as a float",
        ("proposals", 1, "unit_cost"),
        4500.0,
        "proposals[1].unit_cost: 4500.0 is not a money amount",
    ),
    (
        "money with too many decimals",
        ("pledges", 0, "amount"),
        "1.005",
        "pledges[0].amount: '1.005' is not a money amount",
    ),
    (
        "negative money",
        ("proposals", 1, "setup_cost"),
        "-1.00",
        "proposals[1].setup_cost: Input should be greater than or equal to 0",
    ),
    (
        "negative quantity",
        ("requirements", 1, "quantity"),
        -5,
        "requirements[1].quantity: Input should be greater than or equal to 1",
    ),
    (
        "malformed month",
        ("requirements", 0, "due_month"),
        "2026-3",
        "requirements[0].due_month: '2026-3' is not a month",
    ),
    ("month 13", ("start_month",), "2026-13", "start_month: '2026-13' is not a month"),
    (
        "unknown currency",
        ("proposals", 0, "currency"),
        "XYZ",
        "proposals[0].currency: unknown currency 'XYZ'",
    ),
    (
        "currency without a rate",
        ("pledges", 0, "currency"),
        "GBP",
        "pledges[0].currency: no rate for GBP in fx_rates",
    ),
    (
        "unknown capability",
        ("requirements", 0, "capability"),
        "tanks",
        "requirements[0].capability: unknown capability 'tanks'",
    ),
    (
        "unknown earmark capability",
        ("pledges", 1, "capabilities"),
        ["fpv", "ghost"],
        "pledges[1].capabilities[1]: unknown capability 'ghost'",
    ),
    ("duplicate id", ("proposals", 1, "id"), "line-1", "proposals[1].id: duplicate id 'line-1'"),
    ("unknown field", ("pledges", 0, "colour"), "red", "pledges[0].colour: unknown field"),
    ("bad kind", ("proposals", 0, "kind"), "offshore", "proposals[0].kind: Input should be"),
    (
        "window backwards",
        ("pledges", 0, "valid_to"),
        "2025-01",
        "pledges[0].valid_to: is before valid_from",
    ),
    (
        "decay out of range",
        ("lateness_decay",),
        1.5,
        "lateness_decay: Input should be less than or equal to 1",
    ),
    (
        "bad country",
        ("proposals", 0, "site_country"),
        "Ukraine",
        "proposals[0].site_country: 'Ukraine' is not a country code",
    ),
]


@pytest.mark.parametrize(
    ("case", "path", "value", "expected"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_each_bad_scenario_is_rejected_with_its_json_path(case, path, value, expected):
    problems = problems_of(_set(scenario_document(), path, value))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_missing_field_is_named():
    doc = scenario_document()
    del doc["proposals"][1]["ship_lag_months"]
    assert "proposals[1].ship_lag_months: required field is missing" in problems_of(doc)


def test_every_problem_is_reported_not_just_the_first():
    doc = scenario_document()
    doc["proposals"][0]["monthly_capacity"] = -1
    doc["pledges"][1]["amount"] = 3.5
    assert len(problems_of(doc)) == 2


def test_not_json_and_wrong_format_are_clear():
    with pytest.raises(InvalidInput, match="not valid JSON"):
        parse_scenario(b"{nope")
    with pytest.raises(InvalidInput, match="format"):
        parse_scenario(json.dumps(scenario_document(format="kuznia.scenario/3")))
