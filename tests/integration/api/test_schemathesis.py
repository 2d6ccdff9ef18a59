"""schemathesis against the OpenAPI document, in-process over ASGI (no network), bounded:
no server error and no response that breaks the documented schema, for every operation, as a
coordinator (who may reach every code path) on each engine."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings

from tests.integration.api.conftest import make_client
from tests.integration.api.world import World

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # schemathesis imports starlette's test client
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]
MAX_EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


def _failures(world: World, operation) -> list[str]:
    """Run one operation's bounded examples; the failures found, described."""
    headers = world.headers("coordinator")

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Exception as exc:  # a failure group: keep going to report every operation
        return [f"{operation.label}: {exc}"]
    return []


def test_no_operation_fails_or_breaks_its_schema(world: World):
    # schemathesis' pytest plugin does not run on pytest 9 yet; its Python API does.
    app = make_client(world.database).app
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        failures += _failures(world, result.ok())
    assert failures == [], "\n\n".join(failures)
