"""The FastAPI application, built by :func:`create_app` from settings (nothing at import time).

Routers are included from one list, :data:`ROUTERS`: add a module's router factory there and
it is served, documented in the OpenAPI document, and covered by the authorization-matrix and
schemathesis tests, which enumerate routes from that document.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from kuznia.api.config import ApiSettings
from kuznia.api.deps import CSRF_HEADER, ApiState
from kuznia.api.middleware import AccessLog, BodyLimit, ClientAddress, SecurityHeaders
from kuznia.api.problems import ERROR_RESPONSES, FieldProblem, Problem, install_problem_handlers
from kuznia.api.routes import (
    audit,
    auth,
    contracting,
    identity,
    investment,
    jobs,
    open_data,
    operations,
    planning,
    public,
    registries,
    resilience,
    transparency,
)
from kuznia.services.kernel.database import Database
from kuznia.services.wiring import open_database
from kuznia.settings import Settings, load_settings
from kuznia.web import mount as mount_web
from kuznia.web.warming import warm_in_background

OPENAPI_URL = "/api/openapi.json"
log = logging.getLogger("kuznia.api")
DOCS_URL = "/api/docs"


def _router(module_router: APIRouter) -> Callable[[], APIRouter]:
    return lambda: module_router


ROUTERS: list[Callable[[], APIRouter]] = [
    _router(operations.router),
    _router(public.router),
    _router(auth.router),
    _router(identity.router),
    registries.registry_router,
    _router(planning.router),
    _router(jobs.router),
    _router(audit.router),
    _router(open_data.router),
    _router(transparency.router),
    _router(contracting.router),
    _router(resilience.router),
    _router(investment.router),
]
"""Every router of the API, in documentation order. One line per module."""


def _path_parameters(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"]


def add_links(schema: dict[str, Any]) -> None:
    """OpenAPI links from every create (``POST .../{collection}`` answering 201) to the
    operations on what it created (``/api/v1/{collection}/{id}...``, e.g. a commitment made
    under a contract to its disbursements): clients and schemathesis' stateful tests follow
    them."""
    paths: dict[str, dict[str, Any]] = schema.get("paths", {})
    for path, path_item in paths.items():
        created = path_item.get("post", {}).get("responses", {}).get("201")
        if created is None:
            continue
        base = "/api/v1/" + path.rsplit("/", 1)[-1]
        links: dict[str, Any] = {}
        for child, child_item in paths.items():
            head = child.removeprefix(base + "/").partition("/")[0]
            if not child.startswith(base + "/{") or not head.endswith("}"):
                continue
            for method, operation in child_item.items():
                names = _path_parameters(operation)
                if names == [head.strip("{}")] and "operationId" in operation:
                    links[operation["operationId"]] = {
                        "operationId": operation["operationId"],
                        "parameters": {names[0]: "$response.body#/id"},
                        "description": f"{method.upper()} {child} of the record just created",
                    }
        if links:
            created["links"] = links


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (Problem, FieldProblem):
                found = model.model_json_schema(ref_template="#/components/schemas/{model}")
                found.pop("$defs", None)
                components[model.__name__] = found
            add_links(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI at ``/api/docs`` from the files vendored in ``api/static/swagger-ui`` (see its
    VENDORED.txt): the API documentation works on a closed network."""
    assets = f"{DOCS_URL}/assets"
    app.mount(assets, StaticFiles(packages=[("kuznia.api", "static/swagger-ui")]), name="docs")

    @app.get(DOCS_URL, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title="kuznia API",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url="/assets/favicon.svg",
        )


def _add_cors(app: FastAPI, api: ApiSettings) -> None:
    """Cross-origin browsers may call the API only from the configured origins."""
    if not api.cors_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=api.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key", CSRF_HEADER],
        expose_headers=["ETag", "Location", "Idempotent-Replayed"],
    )


def create_app(
    settings: Settings,
    *,
    api_settings: ApiSettings | None = None,
    database: Database | None = None,
    warm_plans: bool = False,
    freeze_start_up: bool = False,
) -> FastAPI:
    """The API app. Pass ``database`` to share one (tests, the web pages); otherwise the app
    builds one from ``settings`` and disposes of it on shutdown. ``warm_plans`` reads the plan
    and the public overview in the background as the server starts, ``freeze_start_up`` calls
    :func:`freeze_start_up_objects` then (the served app does both)."""
    api = api_settings or ApiSettings()
    db = database or open_database(settings)
    lifespan = _lifespan(db, owned=database is None, warm=warm_plans, freeze=freeze_start_up)
    app = FastAPI(
        title="kuznia",
        summary="Needs, capacity, money and deliveries for financing Ukraine's defence production",
        version="1",
        openapi_url=OPENAPI_URL,
        docs_url=None,  # served by _mount_docs from vendored files, never a CDN
        redoc_url=None,
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.kuznia = ApiState(settings, api, db)
    app.state.database = db
    for make_router in ROUTERS:
        app.include_router(make_router())
    mount_web(app, settings, db, api.session_policy())  # the server-rendered pages, /assets
    _mount_docs(app)
    install_problem_handlers(app)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    _add_cors(app, api)
    app.add_middleware(BodyLimit, limit=api.max_body_bytes)
    app.add_middleware(SecurityHeaders, docs_path=DOCS_URL)
    app.add_middleware(AccessLog)  # inside ClientAddress: it logs the resolved client
    app.add_middleware(ClientAddress, trusted=settings.trusted_proxies)
    return app


def _lifespan(
    db: Database, *, owned: bool, warm: bool, freeze: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """What the app does as it starts and stops serving (``create_app``'s flags): on
    PostgreSQL its reads and writes then run on the event loop (``Database.serving``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            warm_in_background(app)
        async with db.serving():
            if freeze:
                freeze_start_up_objects()
            yield
        if owned:
            db.dispose()

    return lifespan


def freeze_start_up_objects() -> None:
    """Leave what this process built before serving (modules, the app and its routes,
    SQLAlchemy's mappers and statements: some 250,000 objects, alive as long as the process)
    out of the cyclic garbage collector's full collections. Each walked them all, about 0.27 s
    with the event loop stopped, every few hundred writes: frozen, a create on PostgreSQL cost
    the server 3.0 ms of CPU instead of 4.6 under 32 clients (``benchmarks/api.py``). They
    are still freed by reference counting; garbage cycles are collected first, not frozen."""
    gc.collect()
    gc.freeze()


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory``: settings from ``KUZNIA_*`` variables. A worker that cannot
    start says why (uvicorn's supervisor only says that it died)."""
    try:
        app = create_app(load_settings(), warm_plans=True, freeze_start_up=True)
    except Exception:
        log.exception("worker %d failed to start", os.getpid())
        raise
    log.info("worker %d started", os.getpid())
    return app
