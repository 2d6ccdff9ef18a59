"""``kuznia serve``: the HTTP API (and whatever else the app mounts) under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from kuznia.cli.common import console, state

APP_FACTORY = "kuznia.api.app:app_from_environment"


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API; its documentation is at /api/docs, the OpenAPI document at
    /api/openapi.json. Settings come from KUZNIA_* variables.

    Example: kuznia serve --host 0.0.0.0 --port 8080
    """
    settings = state(ctx).settings
    state(ctx).database()  # migrates an SQLite file; refuses an unmigrated PostgreSQL database
    state(ctx).close()
    os.environ["KUZNIA_DATABASE_URL"] = settings.database_url
    console.print(f"kuznia API on http://{host}:{port}/api/docs")
    uvicorn.run(
        APP_FACTORY, factory=True, host=host, port=port, workers=workers, server_header=False
    )
