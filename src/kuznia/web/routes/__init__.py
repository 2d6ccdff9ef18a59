"""The web app's routes, one module per area."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from kuznia.web.routes import (
        contracting,
        forms,
        overview,
        planning,
        registries,
        session,
        transparency,
        whatif,
    )

    return [
        session.router,
        overview.router,
        planning.router,
        whatif.router,
        forms.router,
        contracting.router,
        transparency.router,
        registries.router,
    ]
