"""A registry list reads its query by the model in one call: the same answers, the same errors
and the same OpenAPI parameters as FastAPI's own reading of a ``Query()`` model."""

import warnings
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query, Request

from kuznia.api.problems import install_problem_handlers
from kuznia.api.query_parameters import documented, parse_query
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.record_schemas import record_schemas

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

QUERIES = [
    "",
    "limit=7",
    "limit=2&limit=3",
    "limit=0&foo=1",
    "limit=x",
    "sort=-seq&cursor=abc",
    "sort=nope",
    "cursor=" + "x" * 501,
    "status=vetted&kind=new&currency=EUR&limit=200",
    "limit=201",
]


def _apps(model: Any) -> tuple[FastAPI, FastAPI]:
    """The same list answered from FastAPI's reading of the model and from ours."""
    by_fastapi, by_model = FastAPI(), FastAPI()

    @by_fastapi.get("/list", operation_id="list")
    def fastapi_list(query: Annotated[model, Query()]) -> Any:
        return query.model_dump()

    @by_model.get("/list", operation_id="list", openapi_extra=documented(model))
    def model_list(request: Request) -> Any:
        return parse_query(model, request).model_dump()

    for app in (by_fastapi, by_model):
        install_problem_handlers(app)
    return by_fastapi, by_model


@pytest.mark.parametrize("entity", sorted(REGISTRIES))
def test_answers_errors_and_documentation_match_fastapi(entity: str) -> None:
    by_fastapi, by_model = _apps(record_schemas(entity).query)
    parameters = [
        app.openapi()["paths"]["/list"]["get"].get("parameters") for app in (by_fastapi, by_model)
    ]
    assert parameters[0] == parameters[1]
    fastapi_client, model_client = TestClient(by_fastapi), TestClient(by_model)
    for query in QUERIES:
        expected = fastapi_client.get(f"/list?{query}")
        answered = model_client.get(f"/list?{query}")
        assert (answered.status_code, answered.json()) == (expected.status_code, expected.json())


def test_an_error_names_the_query_field() -> None:
    _, by_model = _apps(record_schemas("proposals").query)
    answer = TestClient(by_model).get("/list?limit=0&colour=red")
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"query.limit", "query.colour"}
