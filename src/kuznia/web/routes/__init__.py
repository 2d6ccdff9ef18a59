"""The web app's routes, one module per area."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from kuznia.web.routes import overview, plan, registries, session

    return [session.router, overview.router, plan.router, registries.router]
