"""The web app's routes, one module per area."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from kuznia.web.routes import forms, ledger, overview, plan, registries, session, whatif

    return [
        session.router,
        overview.router,
        plan.router,
        whatif.router,
        forms.router,
        ledger.router,
        registries.router,
    ]
