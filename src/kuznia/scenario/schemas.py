"""The shipped JSON Schemas: generated from the models, committed, checked for drift by a test.

:class:`SchemaSet` is the one way a package ships schemas of its models (the exchange formats
here, the risk formats in ``risk/schemas.py``): generate, render as committed, read the shipped
file, rewrite them all (``python -m <package>.schemas``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from pydantic import BaseModel

from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan

DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class SchemaSet:
    """The schema files of one resource package (``package``), each generated from its model."""

    package: str
    files: Mapping[str, type[BaseModel]]

    def generate(self, name: str) -> dict[str, Any]:
        schema = self.files[name].model_json_schema(mode="validation")
        schema["$schema"] = DIALECT
        schema["$id"] = f"https://kuznia.example/schema/{name}"
        return schema

    def render(self, name: str) -> str:
        return json.dumps(self.generate(name), indent=2, ensure_ascii=False) + "\n"

    def shipped(self, name: str) -> dict[str, Any]:
        text = resources.files(self.package).joinpath(name).read_text("utf-8")
        result: dict[str, Any] = json.loads(text)
        return result

    def write_all(self) -> None:
        """Regenerate every schema file of the package."""
        for name in self.files:
            target = resources.files(self.package).joinpath(name)
            with resources.as_file(target) as path:
                path.write_text(self.render(name), encoding="utf-8")


SCHEMAS = SchemaSet(
    "kuznia.scenario.schema",
    {"scenario.schema.json": Scenario, "plan.schema.json": Plan},
)
SCHEMA_FILES = SCHEMAS.files
generate = SCHEMAS.generate
render = SCHEMAS.render
shipped = SCHEMAS.shipped
write_all = SCHEMAS.write_all


if __name__ == "__main__":
    write_all()
