"""Web pages as the coordinator at national scale, each beside a static file served in turn.

Serves a database holding the national demo with its first plan (``kuznia start --scale
national --no-serve`` makes one: pass it with ``--database-url``, or let this script make it
in a temporary directory, which takes a minute or two) under uvicorn on loopback, logs in as a
coordinator and fetches each page, alternating with ``/assets/css/kuznia.css`` (a static file:
the floor of the server and the network path). Prints the first visit of each page (it fills
the caches), then median and minimum of the following visits beside the static file's.

Before logging in, the public overview ``/``: its first visit (``--settle S`` seconds after the
server first answers: the served app reads the stored plan in the background as it starts)
against the median of the visits after it.

    uv run python benchmarks/pages.py [--database-url sqlite:///var/national.sqlite3] [--runs 9]
        [--settle 0]

Prints figures; asserts nothing about them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from api import free_port, start_server  # a sibling script: python puts benchmarks/ on the path
from kuznia.services.identity.users import create_admin
from kuznia.services.kernel.actors import Actor
from kuznia.services.wiring import database_at

PAGES = ("/", "/flows", "/plan", "/what-if", "/registries/proposals", "/contracts", "/log")
STATIC = "/assets/css/kuznia.css"
PASSWORD = "benchmark password"


def national_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'national.sqlite3'}"
    kuznia = str(Path(sys.executable).parent / "kuznia")
    print("loading the national demo and its first plan (kuznia start --no-serve) ...")
    subprocess.run([kuznia, "start", "--scale", "national", "--no-serve"], check=True,
                   env={**os.environ, "KUZNIA_DATABASE_URL": url}, cwd=folder,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return url


def coordinator_login(url: str) -> str:
    email = f"bench-{os.getpid()}-{time.time_ns()}@example.org"
    database = database_at(url)
    with database.unit_of_work(Actor.system("benchmark")) as uow:
        create_admin(uow, email=email, name="Bench", password=PASSWORD)
    database.dispose()
    return email


def get(client: httpx.Client, path: str) -> float:
    began = time.perf_counter()
    answer = client.get(path)
    seconds = time.perf_counter() - began
    if answer.status_code != 200:
        raise SystemExit(f"{path}: {answer.status_code} {answer.text[:200]}")
    return seconds


def measure(client: httpx.Client, runs: int) -> None:
    print(f"{'page':<24}{'first':>9}{'median':>10}{'min':>9}   static file median   ratio")
    for path in PAGES:
        first = get(client, path)
        pages, statics = [], []
        for _ in range(runs):
            pages.append(get(client, path))
            statics.append(get(client, STATIC))
        page_ms, static_ms = statistics.median(pages) * 1000, statistics.median(statics) * 1000
        print(
            f"{path:<24}{first * 1000:7.0f} ms{page_ms:7.1f} ms{min(pages) * 1000:6.1f} ms"
            f"   {static_ms:10.1f} ms   {page_ms / static_ms:8.1f}"
        )


def public_overview(client: httpx.Client, runs: int, settle: float) -> None:
    time.sleep(settle)
    first = get(client, "/")
    later = [get(client, "/") for _ in range(runs)]
    median = statistics.median(later)
    print(
        f"public / {settle:.0f} s after start: first visit {first * 1000:.0f} ms, later visits "
        f"median {median * 1000:.1f} ms, ratio {first / median:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a database holding the national demo")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--settle", type=float, default=0.0, help="seconds before the first /")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or national_database(Path(tmp))
        email = coordinator_login(url)
        port = free_port()
        server = start_server(url, port, workers=1)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
                public_overview(client, args.runs, args.settle)
                login = {"email": email, "password": PASSWORD}
                client.post("/api/v1/session", json=login).raise_for_status()
                print(f"coordinator, uvicorn (1 worker) on loopback, {args.runs} visits each")
                measure(client, args.runs)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
