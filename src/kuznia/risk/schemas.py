"""The shipped JSON Schemas of the risk formats, generated from the models and checked for drift
by a test (``python -m kuznia.risk.schemas`` rewrites them)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pydantic import BaseModel

from kuznia.risk.model import RiskSection
from kuznia.risk.report import Evaluation, RobustComparison

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "risk.schema.json": RiskSection,
    "risk-evaluation.schema.json": Evaluation,
    "risk-robust.schema.json": RobustComparison,
}


def generate(name: str) -> dict[str, Any]:
    schema = SCHEMA_FILES[name].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://kuznia.example/schema/{name}"
    return schema


def render(name: str) -> str:
    return json.dumps(generate(name), indent=2, ensure_ascii=False) + "\n"


def shipped(name: str) -> dict[str, Any]:
    text = resources.files("kuznia.risk.schema").joinpath(name).read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def write_all() -> None:
    for name in SCHEMA_FILES:
        target = resources.files("kuznia.risk.schema").joinpath(name)
        with resources.as_file(target) as path:
            path.write_text(render(name), encoding="utf-8")


if __name__ == "__main__":
    write_all()
