"""The web app's routes, one module per area."""

from __future__ import annotations

from importlib import import_module

from fastapi import APIRouter

ROUTE_MODULES = (
    "identity", "account", "overview", "inbox", "planning", "plans", "whatif", "jobs",
    "resilience", "investment", "imports", "downloads", "registry_forms", "record_steps",
    "contracting", "contract_steps", "contract_money", "contract_deliveries", "investment_money",
    "transparency", "registries", "records",
)  # fmt: skip
"""The page routers' modules, in the order their paths are matched (``records`` last: its
``/registries/{entity}/{id}`` would shadow the more specific paths)."""


def routers() -> list[APIRouter]:
    """Every page router, in the order their paths are matched (the route modules import this
    package: they are loaded late)."""
    return [import_module(f"kuznia.web.routes.{name}").router for name in ROUTE_MODULES]
