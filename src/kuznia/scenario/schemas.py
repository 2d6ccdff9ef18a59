"""The shipped JSON Schemas: generated from the models, committed, checked for drift by a test."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan

SCHEMA_FILES: dict[str, type[Scenario] | type[Plan]] = {
    "scenario.schema.json": Scenario,
    "plan.schema.json": Plan,
}


def generate(name: str) -> dict[str, Any]:
    model = SCHEMA_FILES[name]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://kuznia.example/schema/{name}"
    return schema


def render(name: str) -> str:
    return json.dumps(generate(name), indent=2, ensure_ascii=False) + "\n"


def shipped(name: str) -> dict[str, Any]:
    text = resources.files("kuznia.scenario.schema").joinpath(name).read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def write_all() -> None:
    """Regenerate the schema files (``python -m kuznia.scenario.schemas``)."""
    for name in SCHEMA_FILES:
        target = resources.files("kuznia.scenario.schema").joinpath(name)
        with resources.as_file(target) as path:
            path.write_text(render(name), encoding="utf-8")


if __name__ == "__main__":
    write_all()
