"""``kuznia serve``: the HTTP API (and whatever else the app mounts) under uvicorn."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kuznia.cli.common import console, state

if TYPE_CHECKING:  # the server is imported when it starts: `--help` needs none of it
    import uvicorn

    from kuznia.settings import Settings

APP_FACTORY = "kuznia.api.app:app_from_environment"
WORKER_STARTUP_SECONDS = 120
STARTUP_FAILURE = 3
"""The exit status when the one worker could not start (``uvicorn.run``'s)."""


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    worker_timeout: Annotated[
        int,
        typer.Option(
            min=5,
            max=600,
            help="Seconds a worker may take to answer the supervisor's health check.",
        ),
    ] = WORKER_STARTUP_SECONDS,
    job_worker: Annotated[
        bool,
        typer.Option(
            "--job-worker/--no-job-worker",
            help="Also run one job worker (plans as background jobs) in this process; turn it "
            "off where `kuznia worker` runs the jobs.",
        ),
    ] = True,
) -> None:
    """Serve the HTTP API; its documentation is at /api/docs, the OpenAPI document at
    /api/openapi.json, readiness at /api/v1/ready. Settings come from KUZNIA_* variables;
    logs are JSON lines on stderr (KUZNIA_LOG_FORMAT=text for a terminal).

    Behind a reverse proxy, set KUZNIA_TRUSTED_PROXIES to its address: X-Forwarded-For is
    believed from those peers only (never from any local process by default).

    Example: kuznia serve --host 0.0.0.0 --port 8080 --workers 4
    """
    serve(ctx, host, port, workers=workers, worker_timeout=worker_timeout, job_worker=job_worker)


def serve(
    ctx: typer.Context,
    host: str,
    port: int,
    *,
    workers: int = 1,
    worker_timeout: int = WORKER_STARTUP_SECONDS,
    job_worker: bool = True,
    listening: str = "",
) -> None:
    """What ``kuznia serve`` does; ``listening`` is printed once the server listens (one
    worker): the quick start says where to open it only when a browser will get an answer."""
    settings = state(ctx).settings
    state(ctx).database()  # migrates an SQLite file; refuses an unmigrated PostgreSQL database
    state(ctx).close()
    os.environ["KUZNIA_DATABASE_URL"] = settings.database_url
    console.print(f"kuznia API on http://{host}:{port}/api/docs ({workers} worker(s))")
    stop = _start_job_worker(ctx) if job_worker else None
    try:
        _run(settings, _Listen(host, port, workers, worker_timeout), listening)
    finally:
        if stop is not None:
            stop()


def _start_job_worker(ctx: typer.Context) -> Callable[[], None]:
    """One job worker beside the web server, in this process (the embedded default)."""
    from kuznia.services.jobs.worker import start_in_thread
    from kuznia.services.wiring import make_worker

    worker = make_worker(state(ctx).database(), state(ctx).settings)
    start_in_thread(worker)
    return worker.stopping.set


@dataclass(frozen=True)
class _Listen:
    host: str
    port: int
    workers: int
    worker_timeout: int


def _run(settings: Settings, listen: _Listen, listening: str) -> None:
    import uvicorn

    from kuznia.api.logs import log_config

    options: dict[str, Any] = {
        "factory": True,
        "host": listen.host,
        "port": listen.port,
        "workers": listen.workers,
        "server_header": False,
        # uvloop and httptools (C), not asyncio's loop and h11: under 32 clients the health
        # check cost the server 0.5 ms of CPU instead of 0.77, a registry list 4.4 instead of 6.2
        "http": "httptools",
        "loop": "uvloop",
        "proxy_headers": False,  # kuznia.api.middleware.ClientAddress decides, from the settings
        "access_log": False,  # kuznia.api.middleware.AccessLog writes it, without query values
        "log_config": log_config(settings.log_format, settings.log_level),
        # Each worker is a fresh interpreter that imports kuznia (about 5 s of CPU); several of them
        # on few cores used to miss uvicorn's default 5 s health check, and the supervisor killed
        # them ("Child process died", no cause) and started others, which died the same way.
        "timeout_worker_healthcheck": listen.worker_timeout,
    }
    if listen.workers > 1:
        uvicorn.run(APP_FACTORY, **options)
    else:
        _serve_one(uvicorn.Config(APP_FACTORY, **options), listening)


def _serve_one(config: uvicorn.Config, listening: str) -> None:
    """One worker in this process, as ``uvicorn.run`` runs it, saying ``listening`` once its
    socket listens (``Server.startup`` has returned)."""
    import uvicorn

    class Announcing(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started and listening:
                console.print(listening)

    config.load_app()
    server = Announcing(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)
