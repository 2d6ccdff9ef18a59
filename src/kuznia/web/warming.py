"""The first visit as fast as the next: what the public overview needs, done before anyone asks.

At national scale the stored plan takes seconds to parse and check, the overview's aggregates
most of a second, the templates and FastAPI's first request (it builds its routes' parameter
checks then) a moment more; the first visitor used to wait for all of it. As the server
starts, a background thread reads the plan into the plan cache and visits the public overview
once in each language through the app itself (the answers are thrown away), so all of that is
done; a visitor arriving meanwhile waits only for what is left (the cache loads a plan once).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import MutableMapping
from typing import Any

from fastapi import FastAPI

from kuznia.web.i18n import LANGUAGES
from kuznia.web.state import WebState

log = logging.getLogger(__name__)


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
    """The plan the pages show, then the public overview in every language."""
    web: WebState = app.state.web
    web.plans.warm(web.database)
    for lang in LANGUAGES:
        asyncio.run(_visit(app, lang.code))  # no plan stored: queues its job, as a visit would


def warm_in_background(app: FastAPI) -> threading.Thread:
    """:func:`warm` in a daemon thread: the server answers at once. A failure is logged; pages
    then load what they need themselves, as without warming."""

    def run() -> None:
        began = time.perf_counter()
        try:
            warm(app)
        except Exception:
            log.exception("warming the pages failed; the first visits will load the plan")
            return
        log.info("pages warmed in %.2f s", time.perf_counter() - began)

    thread = threading.Thread(target=run, name="kuznia-warm-pages", daemon=True)
    thread.start()
    return thread
