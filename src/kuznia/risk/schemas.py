"""The shipped JSON Schemas of the risk formats, generated from the models and checked for drift
by a test (``python -m kuznia.risk.schemas`` rewrites them), by the exchange formats' one
:class:`~kuznia.scenario.schemas.SchemaSet`."""

from __future__ import annotations

from kuznia.risk.model import RiskSection
from kuznia.risk.report import Evaluation, RobustComparison
from kuznia.scenario.schemas import SchemaSet

SCHEMAS = SchemaSet(
    "kuznia.risk.schema",
    {
        "risk.schema.json": RiskSection,
        "risk-evaluation.schema.json": Evaluation,
        "risk-robust.schema.json": RobustComparison,
    },
)
SCHEMA_FILES = SCHEMAS.files
generate = SCHEMAS.generate
render = SCHEMAS.render
shipped = SCHEMAS.shipped
write_all = SCHEMAS.write_all


if __name__ == "__main__":
    write_all()
