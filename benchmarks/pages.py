"""Web pages as the coordinator at national scale, each beside a static file served in turn.

Serves a database holding the national demo with its first plan (``kuznia start --scale
national --no-serve`` makes one: pass it with ``--database-url``, or let this script make it
in a temporary directory, which takes a minute or two) under uvicorn on loopback, logs in as a
coordinator and fetches each page, alternating with ``/assets/css/kuznia.css`` (a static file:
the floor of the server and the network path). Two servers, one after the other (a first visit
happens once per process):

1. visited as soon as it answers (``--settle S`` seconds later): the first visit of each page
   then ("first at start": the served app is still warming its caches in the background);
2. visited once it has logged that its warm-up finished (the stored plan read, the public
   overview and the coordinator's plan page made): the first visit of each page then ("first
   warmed"), what a visitor sees once the server has been up for a while or a new plan was
   warmed; then median and minimum of the following visits beside the static file's (measured
   here, not on server 1, whose warm-up would share the cores with them).

Before logging in, the public overview ``/``: its first visit against the median of the visits
after it, on each server.

    uv run python benchmarks/pages.py [--database-url sqlite:///var/national.sqlite3] [--runs 9]
        [--settle 0]

Prints figures; asserts nothing about them.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from api import free_port  # a sibling script: python puts benchmarks/ on the path
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


class Server:
    """``kuznia serve`` on loopback (no job worker), its log read for the end of its warm-up."""

    def __init__(self, url: str) -> None:
        self.port = free_port()
        self.warmed = threading.Event()
        self.warm_up = ""
        kuznia = str(Path(sys.executable).parent / "kuznia")
        env = {**os.environ, "KUZNIA_DATABASE_URL": url, "KUZNIA_LOG_FORMAT": "text"}
        command = [kuznia, "serve", "--port", str(self.port), "--no-job-worker"]
        self.process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read_log, daemon=True).start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/api/v1/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("the server did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            # "pages warmed (start) in 9.12 s"; before the watcher, "pages warmed in 9.12 s"
            found = re.search(r"pages warmed (\(start\) )?in [0-9.]+ s|warming the pages", line)
            if found:
                self.warm_up = found.group(0)
                self.warmed.set()
            elif "Traceback" in line or "ERROR" in line:
                print("server:", line.rstrip(), file=sys.stderr)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def first_visits(client: httpx.Client) -> dict[str, float]:
    return {path: get(client, path) for path in PAGES}


def measure(client: httpx.Client, runs: int) -> dict[str, tuple[float, list[float], list[float]]]:
    """Each page's first visit, then ``runs`` visits of it alternating with the static file."""
    found = {}
    for path in PAGES:
        first = get(client, path)
        pages, statics = [], []
        for _ in range(runs):
            pages.append(get(client, path))
            statics.append(get(client, STATIC))
        found[path] = (first, pages, statics)
    return found


def show(
    measured: dict[str, tuple[float, list[float], list[float]]],
    warmed: dict[str, float],
    at_start: dict[str, float],
) -> None:
    print(
        f"{'page':<24}{'first at start':>15}{'first warmed':>14}{'median':>10}{'min':>9}"
        "   static file median   ratio"
    )
    for path, (_again, pages, statics) in measured.items():
        first = at_start[path]
        page_ms, static_ms = statistics.median(pages) * 1000, statistics.median(statics) * 1000
        print(
            f"{path:<24}{first * 1000:12.0f} ms{warmed[path] * 1000:11.0f} ms{page_ms:7.1f} ms"
            f"{min(pages) * 1000:6.1f} ms   {static_ms:10.1f} ms   {page_ms / static_ms:8.1f}"
        )


def public_overview(client: httpx.Client, runs: int, when: str) -> None:
    first = get(client, "/")
    later = [get(client, "/") for _ in range(runs)]
    median = statistics.median(later)
    print(
        f"public / {when}: first visit {first * 1000:.0f} ms, later visits "
        f"median {median * 1000:.1f} ms, ratio {first / median:.1f}"
    )


def visits(url: str, email: str, runs: int, settle: float, *, warmed: bool) -> Any:
    """One server's visits: each page's first visit as soon as it answers (after ``settle``
    s); or, once warmed, each page's first visit and then ``runs`` visits of each alternating
    with the static file (medians measured while the server warms would measure the warm-up)."""
    server = Server(url)
    began = time.perf_counter()
    try:
        if warmed:
            if not server.warmed.wait(600):
                raise SystemExit("the server did not finish warming in 10 minutes")
            when = (
                f"once warmed ({server.warm_up}, {time.perf_counter() - began:.1f} s after start)"
            )
        else:
            time.sleep(settle)
            when = f"{settle:.0f} s after start"
        with httpx.Client(base_url=server.base, timeout=300) as client:
            public_overview(client, runs, when)
            login = {"email": email, "password": PASSWORD}
            client.post("/api/v1/session", json=login).raise_for_status()
            return (first_visits(client), measure(client, runs)) if warmed else first_visits(client)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a database holding the national demo")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--settle", type=float, default=0.0, help="seconds before the first /")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or national_database(Path(tmp))
        email = coordinator_login(url)
        print(f"coordinator, kuznia serve (1 worker) on loopback, {args.runs} visits each")
        at_start = visits(url, email, args.runs, args.settle, warmed=False)
        warmed, measured = visits(url, email, args.runs, args.settle, warmed=True)
        show(measured, warmed, at_start)


if __name__ == "__main__":
    main()
