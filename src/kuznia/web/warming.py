"""The first visit as fast as the next: what the public overview and the plan page need, done
before anyone asks.

At national scale the stored plan takes seconds to parse and check, the overview's aggregates
most of a second, the coordinator's plan page (every funded line, the charts) several seconds,
the templates and FastAPI's first request (it builds its routes' parameter checks then) a
moment more; the first visitor used to wait for all of it. As the server starts, a background
thread reads the plan into the plan cache, visits the public overview once in each language
through the app itself (the answers are thrown away) and makes the coordinator's plan page parts
in each language (``routes/planning.warm_plan_page``), so all of that is done; a visitor
arriving meanwhile waits only for what is left (the cache loads a plan once, and a page's parts
are made once per commit).

Then it watches for a new stored plan (the newest plan's number, one indexed lookup every
``WATCH_SECONDS``) while the server runs: a plan job stores it in a worker's process, and this
server warms it as it did at start. What it warms is what a visit would have made: remembered
under the same keys, emptied by the next write (the commit sequence), never shared between
kinds of reader.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import MutableMapping
from typing import Any

from fastapi import FastAPI

from kuznia.web.i18n import LANGUAGES
from kuznia.web.routes.planning import warm_plan_page
from kuznia.web.state import WebState

log = logging.getLogger(__name__)

WATCH_SECONDS = 2.0
"""How often a server looks for a newly stored plan."""


async def _visit(app: FastAPI, lang: str) -> int:
    """``GET /`` by nobody logged in, asking for ``lang``, through the whole app; its status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"localhost"), (b"accept-language", lang.encode())],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
    }
    answer: dict[str, Any] = {}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    await app(scope, receive, send)
    return int(answer.get("status", 0))


def warm(app: FastAPI) -> None:
    """The plan the pages show, the public overview, then the plan page, in every language."""
    web: WebState = app.state.web
    web.plans.warm(web.database)
    for lang in LANGUAGES:
        asyncio.run(_visit(app, lang.code))  # no plan stored: queues its job, as a visit would
    for lang in LANGUAGES:
        warm_plan_page(web, lang.code)


def _newest(app: FastAPI) -> int | None:
    web: WebState = app.state.web
    with web.database.reading() as session:
        return web.plans.newest_stored(session)


def _warm_logged(app: FastAPI, why: str) -> bool:
    began = time.perf_counter()
    try:
        warm(app)
    except Exception:
        log.exception("warming the pages (%s) failed; the first visits will load the plan", why)
        return False
    log.info("pages warmed (%s) in %.2f s", why, time.perf_counter() - began)
    return True


def _watch(
    app: weakref.ref[FastAPI],
    loop: asyncio.AbstractEventLoop | None,
    seen: int | None,
    every: float,
) -> None:
    """Warm again whenever a newer plan is stored, while the server that started it serves
    (its event loop runs) and the app exists."""
    failing = False
    while True:
        time.sleep(every)
        served = app()
        if served is None or (loop is not None and not loop.is_running()):
            return
        try:
            newest = _newest(served)
        except Exception as error:  # the database away for a while: pages load what they need
            if not failing:
                log.warning("cannot look for a new plan (%s); trying again", error)
            failing = True
            continue
        failing = False
        if newest != seen:
            seen = newest
            _warm_logged(served, f"plan {newest} stored")
        del served


def warm_in_background(app: FastAPI, watch_seconds: float | None = None) -> threading.Thread:
    """:func:`warm` in a daemon thread: the server answers at once. A failure is logged; pages
    then load what they need themselves, as without warming. Once warm, a second daemon thread
    warms again after each new stored plan, looking every ``watch_seconds`` (default
    :data:`WATCH_SECONDS`; 0: never). Returns the first."""
    every = WATCH_SECONDS if watch_seconds is None else watch_seconds
    try:  # called as the server starts (its lifespan): the watcher ends when that loop stops
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None

    def run() -> None:
        try:
            seen = _newest(app)  # before warming: a plan stored meanwhile is warmed again
        except Exception:
            seen = None
        _warm_logged(app, "start")
        if every > 0:
            watcher = threading.Thread(
                target=_watch,
                args=(weakref.ref(app), loop, seen, every),
                name="kuznia-watch-plans",
                daemon=True,
            )
            watcher.start()

    thread = threading.Thread(target=run, name="kuznia-warm-pages", daemon=True)
    thread.start()
    return thread
