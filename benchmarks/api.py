"""Throughput and latency of the HTTP API under concurrent clients on loopback.

Starts ``uvicorn`` in a subprocess on 127.0.0.1 with a fresh database holding the small demo,
then drives three endpoints with N concurrent httpx clients: the trivial health check (the
ceiling of this app and server), a registry list and a registry create, each authenticated with
a personal API token. Prints requests per second and p50/p99 latency, and each endpoint's
throughput as a share of the health check's, measured before and after it in the same run.
``--workers 1 2`` runs it all once per number of uvicorn worker processes.

Beside each figure: the server's CPU time per request (the uvicorn process and its children,
read from ``/proc/<pid>/stat`` before and after the run) and how many cores it kept busy, and
the benchmark's own CPU time per request (the clients share the machine with the server): a
server near one busy core per worker is server-bound, one well below it waits on the clients.
The load average is printed at the start, and the targets of issue 14 (a list at least 50%,
a create at least 25% of the health check) as PASS or MISS.

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

TARGETS = {"GET /api/v1/proposals?limit=50": 0.50, "POST /api/v1/capabilities": 0.25}
"""Issue 14: each endpoint's throughput as a share of the health check's, at least."""


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def line(self, ceiling: float | None = None) -> str:
        share = f"  {self.rate / ceiling:4.0%} of health" if ceiling else ""
        done = len(self.latencies)
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
        p99 = ordered[min(done - 1, int(done * 0.99))] * 1000 if ordered else float("nan")
        per = 1000 / max(done, 1)
        return (
            f"{self.name:<34} {done:>6} req {done / self.seconds:>6.0f} req/s "
            f"p50 {p50:>6.1f} ms  p99 {p99:>6.1f} ms  errors {self.errors}  "
            f"server {self.server_cpu * per:5.2f} ms cpu/req ({self.server_cpu / self.seconds:.2f} "
            f"cores)  client {self.client_cpu * per:5.2f} ms cpu/req{share}"
        )


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (None if it has ended)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rpartition(")")[2].split()


def process_tree(root: int) -> list[int]:
    """``root`` and every live descendant (uvicorn's workers and what they started)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    """User and system CPU time of ``root``'s process tree, reaped children included."""
    ticks = 0
    for pid in process_tree(root):
        fields = _stat(pid)
        if fields is not None:  # utime, stime, cutime, cstime
            ticks += sum(int(f) for f in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


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


def run_all(base: str, token: str, server: int, args: argparse.Namespace) -> list[str]:
    """Health, list, create, health: each endpoint against the mean of the two health runs.
    Returns the PASS/MISS lines of the targets."""
    (health_name, health), *others = endpoints()

    def run(name: str, request: Request) -> Result:
        served, began = cpu_seconds(server), time.process_time()
        result = asyncio.run(
            drive(base, token, name, request, args.clients, args.requests, args.seconds)
        )
        result.server_cpu = cpu_seconds(server) - served
        result.client_cpu = time.process_time() - began
        return result

    before = run(health_name, health)
    results = [run(name, request) for name, request in others]
    after = run(health_name + " again", health)
    ceiling = (before.rate + after.rate) / 2
    print(before.line())
    for result in results:
        print(result.line(ceiling))
    print(after.line())
    verdicts = []
    for result in results:
        share, target = result.rate / ceiling, TARGETS[result.name]
        verdict = "PASS" if share >= target and not result.errors else "MISS"
        verdicts.append(f"{verdict} {result.name}: {share:.0%} of health (target {target:.0%})")
    return verdicts


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
        print(f"load average at the start: {Path('/proc/loadavg').read_text().strip()}")
        verdicts = []
        for workers in args.workers:
            port = free_port()
            server = start_server(url, port, workers)
            try:
                print(f"{args.clients} concurrent clients, uvicorn ({workers} worker(s)), {shown}")
                found = run_all(f"http://127.0.0.1:{port}", token, server.pid, args)
                verdicts += [f"{workers} worker(s): {v}" for v in found]
            finally:
                server.terminate()
                server.wait(timeout=30)
        print("targets (issue 14):", *verdicts, sep="\n  ")


if __name__ == "__main__":
    main()
