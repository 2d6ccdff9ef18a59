"""The path index of the routers (``web/routing.py``) changes what no request reaches."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute, Match, Mount, Route, WebSocketRoute

from kuznia.api import create_app
from kuznia.settings import load_settings
from kuznia.web.routing import PathIndexedRouter

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
ODD_PATHS = (
    "", "/", "/api", "/api/", "/api/v1", "/api/v1/", "/api/v1/nope", "/API/v1/proposals",
    "/api/v1//proposals", "/assets", "/assets/", "/api/docs/", "/nope", "/registries",
)  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    path = tmp_path_factory.mktemp("routing") / "kuznia.sqlite3"
    return create_app(load_settings(database_url=f"sqlite:///{path}"))


def included(routes: list[BaseRoute]) -> Iterator[APIRouter]:
    """Every router the app includes, at every depth."""
    for route in routes:
        router = getattr(route, "original_router", None)
        if isinstance(router, APIRouter):
            yield router
            yield from included(router.routes)


def leaf_paths(routes: list[BaseRoute], prefix: str = "") -> Iterator[str]:
    for route in routes:
        router = getattr(route, "original_router", None)
        if isinstance(router, APIRouter):
            yield from leaf_paths(router.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
        elif isinstance(route, Route | WebSocketRoute | Mount):
            yield prefix + route.path


def filled(path: str) -> str:
    """``path`` with a value in each parameter (a path parameter takes two segments)."""
    path = re.sub(r"\{[^}:]+:path\}", "a/b.css", path)
    return re.sub(r"\{[^}:]+\}", "x-1", re.sub(r"\{[^}:]+:int\}", "7", path))


def sample_paths(app: FastAPI) -> list[str]:
    """Each route's path filled, with and without a trailing slash, longer, cut at its first
    parameter; and paths no route has."""
    paths = set(ODD_PATHS)
    for path in leaf_paths(app.router.routes):
        full = filled(path)
        head = path.partition("{")[0]
        paths |= {full, full + "/", full.rstrip("/"), full + "x", full + "/more", head, head[:-1]}
    return sorted(paths)


def scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def resolved(route: BaseRoute, request: dict[str, Any]) -> tuple[Match, int | None]:
    """How ``route`` (one of the app's own) matches ``request``, and the route it hands it to,
    through every router it includes."""
    match, _ = route.matches(request)
    while match is not Match.NONE and hasattr(route, "_match"):  # FastAPI's _IncludedRouter
        match, _, chosen, _ = route._match(request)
        if chosen is None:
            return match, None
        route = chosen
    return match, id(route) if match is not Match.NONE else None


def outcomes(app: FastAPI, paths: list[str]) -> list[tuple[Match, int | None]]:
    return [
        resolved(route, scope(method, path))
        for method, path in itertools.product(METHODS, paths)
        for route in app.router.routes
    ]


def test_every_router_the_app_includes_is_path_indexed(app: FastAPI) -> None:
    plain = [r for r in included(app.router.routes) if not isinstance(r, PathIndexedRouter)]
    assert [r.routes[0].path for r in plain if r.routes] == []  # type: ignore[attr-defined]
    assert len(list(included(app.router.routes))) > 30


def test_the_index_changes_no_match_of_any_route(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = sample_paths(app)
    assert len(paths) > 600
    indexed = outcomes(app, paths)
    monkeypatch.setattr(PathIndexedRouter, "matches", APIRouter.matches)
    plain = outcomes(app, paths)
    assert indexed == plain
    assert {m for m, _ in indexed} == {Match.NONE, Match.PARTIAL, Match.FULL}


def test_routes_added_after_a_request_are_reached() -> None:
    router = PathIndexedRouter(prefix="/api/v1")
    router.add_api_route("/first", lambda: None)
    assert router.matches(scope("GET", "/api/v1/second"))[0] is Match.NONE  # heads read here
    router.add_api_route("/second", lambda: None)
    app = FastAPI()
    app.include_router(router)
    assert [resolved(r, scope("GET", "/api/v1/second"))[0] for r in app.router.routes][-1] is (
        Match.FULL
    )


def test_a_router_included_under_a_prefix_is_reached_under_it() -> None:
    child = PathIndexedRouter(prefix="/api/v1")
    child.add_api_route("/first", lambda: None)
    parent = PathIndexedRouter()
    parent.include_router(child, prefix="/mirror")
    app = FastAPI()
    app.include_router(parent)
    [route] = app.router.routes[-1:]
    assert resolved(route, scope("GET", "/mirror/api/v1/first"))[0] is Match.FULL
    assert resolved(route, scope("GET", "/api/v1/first"))[0] is Match.NONE
