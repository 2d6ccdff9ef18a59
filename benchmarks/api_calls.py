"""What the API's hot paths cost in-process, the figure that does not move between runs.

Served figures (``benchmarks/api.py``) depend on what else the two cores are doing: the same
code twice in a row can differ by a fifth. Here the app is called directly, as its server
would call it (raw ASGI, a coordinator's API token, the app's lifespan running, 8 requests
at a time), and each endpoint reports the Python function calls per request, counted by
cProfile (exact, from one run to the next), and the CPU time per request without the
profiler, beside the health check's measured in the same run.

    uv run python benchmarks/api_calls.py                                # SQLite
    uv run python benchmarks/api_calls.py --database-url postgresql://user@host/db
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from api import prepare  # the served benchmark's database and token (this script's folder)

Call = Callable[[int], Awaitable[int]]


def _caller(app: Any, token: str, method: str, path: str) -> Call:
    route, _, query = path.partition("?")

    async def call(i: int) -> int:
        body = (
            json.dumps({"name": f"calls {i}", "unit": "unit"}).encode() if method == "POST" else b""
        )
        headers = [
            (b"host", b"bench"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": method, "scheme": "http", "path": route, "raw_path": route.encode(),
                 "query_string": query.encode(), "root_path": "", "headers": headers,
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {}}  # fmt: skip
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        return status[0]

    return call


async def _run(call: Call, count: int, start: int) -> None:
    async def some(first: int) -> None:
        for i in range(first, first + count // 8):
            if (status := await call(i)) >= 300:
                raise SystemExit(f"answered {status}")

    await asyncio.gather(*(some(start + k * count) for k in range(8)))


async def _measure(call: Call, count: int) -> tuple[float, float]:
    """(function calls, CPU ms) per request."""
    await _run(call, 200, 0)  # warm: statements compiled and prepared, caches filled
    profile = cProfile.Profile()
    profile.enable()
    await _run(call, count, 10**6)
    profile.disable()
    calls = pstats.Stats(profile).total_calls / count  # type: ignore[attr-defined]
    began = time.process_time()
    await _run(call, count, 2 * 10**6)
    return calls, (time.process_time() - began) / count * 1000


async def _all(url: str, count: int) -> None:
    token = prepare(url)
    os.environ["KUZNIA_DATABASE_URL"] = url
    from kuznia.api.app import app_from_environment

    app = app_from_environment()
    endpoints = [("GET", "/api/v1/health"), ("GET", "/api/v1/proposals?limit=50"),
                 ("POST", "/api/v1/capabilities")]  # fmt: skip
    async with app.router.lifespan_context(app):
        figures = [await _measure(_caller(app, token, m, p), count) for m, p in endpoints]
    (health_calls, health_ms), *_ = figures
    for (method, path), (calls, ms) in zip(endpoints, figures, strict=True):
        print(f"{method} {path:<30} {calls:7.0f} calls/req ({calls / health_calls:4.1f}x health) "
              f"{ms:6.3f} ms CPU/req ({ms / health_ms:4.1f}x health)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint and pass")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'calls.sqlite3'}"
        asyncio.run(_all(url, args.requests))


if __name__ == "__main__":
    main()
