"""Mounting the web app into the API's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kuznia.services.identity.sessions import SessionPolicy
from kuznia.services.kernel.database import Database
from kuznia.services.planning.views import PlanCache
from kuznia.services.wiring import open_database
from kuznia.settings import Settings
from kuznia.web.i18n import load_translations
from kuznia.web.routes import routers
from kuznia.web.state import WebState
from kuznia.web.templating import Templates

STATIC_PATH = "/assets"


def mount(
    app: FastAPI,
    settings: Settings,
    database: Database | None = None,
    policy: SessionPolicy | None = None,
) -> None:
    """Add the pages and ``/assets`` to ``app``, sharing the API's database and login policy."""
    db = database or getattr(app.state, "database", None) or open_database(settings)
    templates = Templates(load_translations())
    app.state.web = WebState(settings, db, templates, PlanCache(), policy or SessionPolicy())
    app.mount(STATIC_PATH, StaticFiles(packages=[("kuznia.web", "static")]), name="assets")
    for router in routers():
        app.include_router(router)
