"""The web app's routes, one module per area."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    """Every page router, in the order their paths are matched."""
    from kuznia.web.routes import (  # the route modules import this package: load them late
        account,
        contract_deliveries,
        contract_money,
        contract_steps,
        contracting,
        downloads,
        identity,
        imports,
        inbox,
        investment,
        investment_money,
        jobs,
        overview,
        planning,
        plans,
        record_steps,
        records,
        registries,
        registry_forms,
        resilience,
        transparency,
        whatif,
    )

    return [
        identity.router,
        account.router,
        overview.router,
        inbox.router,
        planning.router,
        plans.router,
        whatif.router,
        jobs.router,
        resilience.router,
        investment.router,
        imports.router,
        downloads.router,
        registry_forms.router,
        record_steps.router,
        contracting.router,
        contract_steps.router,
        contract_money.router,
        contract_deliveries.router,
        investment_money.router,
        transparency.router,
        registries.router,
        records.router,
    ]
