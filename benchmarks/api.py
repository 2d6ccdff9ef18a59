"""Throughput and latency of the HTTP API under concurrent clients on loopback.

Starts ``uvicorn`` in a subprocess on 127.0.0.1 with a fresh database holding the small demo,
then drives three endpoints with N concurrent httpx clients: the trivial health check (the
ceiling of this app and server), a registry list and a registry create, each authenticated with
a personal API token. Prints requests per second and p50/p99 latency, and each endpoint's
throughput as a share of the health check's, measured before and after it in the same run.
``--workers 1 2`` runs it all once per number of uvicorn worker processes.

    uv run python benchmarks/api.py                       # SQLite, 32 clients, 1 worker
    uv run python benchmarks/api.py --database-url postgresql://user@host/db --workers 1 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from kuznia.demo import generate
from kuznia.services.identity.sessions import SessionPolicy, issue_token
from kuznia.services.identity.users import create_admin
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.registries.demo import load_world
from kuznia.services.wiring import database_at


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def line(self, ceiling: float | None = None) -> str:
        share = f"  {self.rate / ceiling:6.0%} of health" if ceiling else ""
        done = len(self.latencies)
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
        p99 = ordered[min(done - 1, int(done * 0.99))] * 1000 if ordered else float("nan")
        return (
            f"{self.name:<34} {done:>6} req {done / self.seconds:>8.0f} req/s "
            f"p50 {p50:>7.1f} ms  p99 {p99:>7.1f} ms  errors {self.errors}{share}"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str) -> str:
    """Migrate, load the small demo, create a coordinator; return an API token."""
    database = database_at(url)
    database.upgrade()
    with database.unit_of_work(Actor.system("benchmark")) as uow:
        load_world(uow, generate("small", 1))
        user = create_admin(
            uow, email="bench@example.org", name="Bench", password="benchmark password"
        )
    actor = Actor(
        role=Role.COORDINATOR,
        user_id=user["id"],
        organisation_id=user["organisation_id"],
        label=user["email"],
    )
    with database.unit_of_work(actor) as uow:
        _, token = issue_token(uow, "benchmark", 1, SessionPolicy())
    database.dispose()
    return token


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KUZNIA_DATABASE_URL": url}
    command = [
        sys.executable, "-m", "uvicorn", "kuznia.api.app:app_from_environment", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
        "--workers", str(workers), "--timeout-worker-healthcheck", "120",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60 * workers
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


Request = Callable[[httpx.AsyncClient, int], Any]


async def drive(
    base: str, token: str, name: str, request: Request, clients: int, total: int, limit: float
) -> Result:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    stop = time.perf_counter() + limit
    headers = {"Authorization": f"Bearer {token}"}
    # One client (one keep-alive connection) per simulated user: a shared pool of 32
    # connections costs httpx more CPU per request than the server spends answering.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    async def worker() -> None:
        nonlocal errors
        async with httpx.AsyncClient(
            base_url=base, headers=headers, limits=limits, timeout=60.0
        ) as client:
            await client.get("/api/v1/health")  # connect before the clock starts
            await ready.wait()
            for i in counter:
                if time.perf_counter() > stop:
                    return
                began = time.perf_counter()
                answer = await request(client, i)
                latencies.append(time.perf_counter() - began)
                errors += answer.status_code >= 400

    ready = asyncio.Event()
    tasks = [asyncio.create_task(worker()) for _ in range(clients)]
    await asyncio.sleep(1.0)
    began = time.perf_counter()
    ready.set()
    await asyncio.gather(*tasks)
    seconds = time.perf_counter() - began
    return Result(name, latencies, errors, seconds)


def endpoints() -> list[tuple[str, Request]]:
    def health(client: httpx.AsyncClient, _i: int) -> Any:
        return client.get("/api/v1/health")

    def listing(client: httpx.AsyncClient, _i: int) -> Any:
        return client.get("/api/v1/proposals?limit=50")

    def create(client: httpx.AsyncClient, i: int) -> Any:
        return client.post("/api/v1/capabilities", json={"name": f"bench {i}", "unit": "unit"})

    return [
        ("GET /api/v1/health (ceiling)", health),
        ("GET /api/v1/proposals?limit=50", listing),
        ("POST /api/v1/capabilities", create),
    ]


def run_all(base: str, token: str, args: argparse.Namespace) -> None:
    """Health, list, create, health: each endpoint against the mean of the two health runs."""
    (health_name, health), *others = endpoints()

    def run(name: str, request: Request) -> Result:
        return asyncio.run(
            drive(base, token, name, request, args.clients, args.requests, args.seconds)
        )

    before = run(health_name, health)
    results = [run(name, request) for name, request in others]
    after = run(health_name + " again", health)
    ceiling = (before.rate + after.rate) / 2
    print(before.line())
    for result in results:
        print(result.line(ceiling))
    print(after.line())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3000, help="per endpoint")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per endpoint")
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="uvicorn workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        token = prepare(url)
        shown = make_url(url).render_as_string(hide_password=True)
        for workers in args.workers:
            port = free_port()
            server = start_server(url, port, workers)
            try:
                print(f"{args.clients} concurrent clients, uvicorn ({workers} worker(s)), {shown}")
                run_all(f"http://127.0.0.1:{port}", token, args)
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
