"""The web app's routes, one module per area."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    """Every page router, in the order their paths are matched."""
    from kuznia.web.routes import (  # the route modules import this package: load them late
        account,
        contracting,
        downloads,
        identity,
        imports,
        jobs,
        overview,
        planning,
        record_steps,
        records,
        registries,
        registry_forms,
        transparency,
        whatif,
    )

    return [
        identity.router,
        account.router,
        overview.router,
        planning.router,
        whatif.router,
        jobs.router,
        imports.router,
        downloads.router,
        registry_forms.router,
        record_steps.router,
        contracting.router,
        transparency.router,
        registries.router,
        records.router,
    ]
