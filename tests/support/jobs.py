"""Job handlers for the worker tests: module-level functions, so a spawned child finds them."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from kuznia.services.jobs.queue import JobOrder
from kuznia.services.jobs.worker import ProgressReport
from kuznia.services.kernel.database import Database


def slow(database: Database, order: JobOrder, report: ProgressReport) -> Mapping[str, Any]:
    """Reports progress for ``seconds`` (default 60), then answers."""
    del database
    seconds = float(order.params.get("seconds", 60))
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < seconds:
        report(elapsed / seconds, f"{elapsed:.1f} s")
        time.sleep(0.1)
    return {"slept": seconds}


def crash(database: Database, order: JobOrder, report: ProgressReport) -> Mapping[str, Any]:
    """Dies the way a killed process does: no answer, a non-zero exit code."""
    del database, order, report
    os._exit(3)


def refuse(database: Database, order: JobOrder, report: ProgressReport) -> Mapping[str, Any]:
    del database, order, report
    raise ValueError("no such thing")
