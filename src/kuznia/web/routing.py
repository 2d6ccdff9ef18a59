"""Routers that tell at once when a request's path cannot be one of theirs.

FastAPI (0.165) finds a request's route by asking each router the app includes, in order, and
each router asks each of its routes (a regular expression, and a context set and restored in the
request's scope for every one): a web page asked the ~220 API routes included before it, 0.3 ms
before its own handler began; a registry list, 70 routes (80 us), and the chosen router is asked
again as it hands the request on. A :class:`PathIndexedRouter` first compares the path with what
every one of its routes begins with (the route's path up to its first ``{``, one C call for all
of them) and answers "none of mine" when no route can match; otherwise it asks its routes as
FastAPI does. A path that begins like a route is still matched by the route's own expression, so
what a request reaches is unchanged (``tests/unit/web/test_routing.py`` resolves every route of
the app, with and without the index, and compares).

Every router of the API and of the web pages is one (that test fails for a plain ``APIRouter``
included in the app). A router reads its heads at its first request (for each prefix it is
included under) and again when a route or router is added to it; a router it includes must
have its routes by then, as every router here has them when its module is imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.routing import _get_scope_included_router
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Mount, Route, WebSocketRoute
from starlette.types import Scope


class PathIndexedRouter(APIRouter):
    """An ``APIRouter`` that rejects, in one comparison, a path none of its routes begins."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._heads: dict[str, tuple[str, ...]] = {}  # by the prefix it is included under

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        inclusion = _get_scope_included_router(scope)  # how FastAPI is asking: its prefix
        prefix: str = inclusion.include_context.prefix if inclusion is not None else ""
        heads = self._heads.get(prefix) or self._read_heads(prefix)
        if not get_route_path(scope).startswith(heads):
            return Match.NONE, {}
        return super().matches(scope)

    def _mark_routes_changed(self) -> None:
        super()._mark_routes_changed()
        self._heads = {}

    def _read_heads(self, prefix: str) -> tuple[str, ...]:
        heads = self._heads[prefix] = tuple(sorted({prefix + h for h in path_heads(self.routes)}))
        return heads


def path_heads(routes: list[BaseRoute]) -> Iterator[str]:
    """What the path of every request one of ``routes`` may match begins with: a route's path up
    to its first parameter, an included router's heads after its prefix, and the empty string
    (every path) for a route of any other kind."""
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's _IncludedRouter
        if isinstance(included, APIRouter):
            prefix: str = route.include_context.prefix  # type: ignore[attr-defined]
            yield from (prefix + head for head in path_heads(included.routes))
        elif isinstance(route, Route | WebSocketRoute | Mount):
            yield route.path.partition("{")[0]
        else:
            yield ""
