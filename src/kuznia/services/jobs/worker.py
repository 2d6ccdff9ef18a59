"""Workers: claim a queued job, run it in a child process, report its progress, record how it
ended.

Each job runs in a fresh child process: a HiGHS solve cannot be interrupted from Python, but a
process can be ended, so cancelling is immediate and a stuck or memory-hungry job cannot take
the worker (or the web server it is embedded in) with it. Children come from a ``forkserver``:
a clean single-threaded process that imported the handlers' modules once, so a job starts in
milliseconds instead of re-importing kuznia (a plain ``fork`` of a threaded web server is not
safe, and ``spawn`` pays the imports for every job). The child sends
progress over a pipe; the worker writes it to the job's row with a heartbeat every few seconds
and reads whether cancelling was asked for. A worker that dies leaves its job ``running`` with
an old heartbeat: any worker queues such a job again (``queue.requeue_lost``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing.connection import Connection
from typing import Any

from kuznia.errors import KuzniaError
from kuznia.services.jobs import queue
from kuznia.services.jobs.queue import JobOrder
from kuznia.services.kernel.database import Database
from kuznia.settings import Settings

log = logging.getLogger(__name__)

ProgressReport = Callable[[float, str], None]
Handler = Callable[[Database, JobOrder, ProgressReport], Mapping[str, Any]]
"""Runs one job in the child process: returns its result (JSON-able), raises to fail it."""
DatabaseOpener = Callable[[Settings], Database]


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    poll_seconds: float = 1.0
    heartbeat_seconds: float = 2.0
    lost_after: timedelta = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Ending:
    """How a job's run ended: ``done`` with a result, ``failed`` with a reason, ``cancelled``,
    or ``released`` (the worker is stopping: the job is queued again)."""

    how: str
    result: Mapping[str, Any] | None = None
    reason: str = ""


def _child_main(
    pipe: Connection, opener: DatabaseOpener, settings: Settings, handler: Handler, order: JobOrder
) -> None:
    """The child process: open the database, run the handler, send how it ended."""
    database = opener(settings)

    def report(fraction: float, note: str) -> None:
        pipe.send(("progress", float(fraction), str(note)))

    try:
        pipe.send(("done", dict(handler(database, order, report))))
    except KuzniaError as exc:
        pipe.send(("failed", exc.message))
    except Exception as exc:  # any failure is the job's outcome, with its cause
        traceback.print_exc()
        pipe.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        database.dispose()
        pipe.close()


class Worker:
    """Runs the jobs of ``handlers``' kinds, one at a time, until asked to stop."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        handlers: Mapping[str, Handler],
        opener: DatabaseOpener,
        config: WorkerConfig | None = None,
    ) -> None:
        self.database, self.settings, self.handlers = database, settings, dict(handlers)
        self.opener = opener
        self.config = config or WorkerConfig()
        self.stopping = threading.Event()
        self._swept = float("-inf")

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            try:
                ran = self.run_once()
            except Exception:  # the database may be away for a moment: keep serving
                log.exception("worker %s: polling failed", self.config.name)
                ran = False
            if not ran:
                self.stopping.wait(self.config.poll_seconds)

    def run_once(self) -> bool:
        """Claim and run one job; False if none was queued."""
        kinds = sorted(self.handlers)
        if time.monotonic() - self._swept > self.config.lost_after.total_seconds() / 4:
            self._swept = time.monotonic()
            with self.database.transaction() as session:
                queue.requeue_lost(session, self.config.lost_after)
        with self.database.reading() as session:
            if not queue.has_queued(session, kinds):
                return False
        with self.database.transaction() as session:
            order = queue.claim(session, self.config.name, kinds)
        if order is None:
            return False
        log.info("worker %s: running %s (%s)", self.config.name, order.id, order.kind)
        self._record(order, self._run(order))
        return True

    def _run(self, order: JobOrder) -> Ending:
        context = _context(self.handlers.values())
        receiver, sender = context.Pipe(duplex=False)
        args = (sender, self.opener, self.settings, self.handlers[order.kind], order)
        process = context.Process(target=_child_main, args=args, daemon=True)
        process.start()
        sender.close()
        try:
            return self._watch(order, process, receiver)
        finally:
            if process.is_alive():
                process.terminate()
            process.join(5)
            receiver.close()

    def _watch(self, order: JobOrder, process: Any, receiver: Connection) -> Ending:
        progress, note, beat = 0.0, "started", 0.0
        while True:
            if receiver.poll(0.25):
                try:
                    message = receiver.recv()
                except EOFError:
                    return Ending("failed", reason=_lost(process))
                if message[0] == "progress":
                    progress, note = message[1], message[2]
                elif message[0] == "done":
                    return Ending("done", result=message[1])
                else:
                    return Ending("failed", reason=message[1])
            elif not process.is_alive() and not receiver.poll(0):
                return Ending("failed", reason=_lost(process))
            if self.stopping.is_set():
                return Ending("released")
            if time.monotonic() - beat >= self.config.heartbeat_seconds:
                beat = time.monotonic()
                with self.database.transaction() as session:
                    if queue.heartbeat(session, order.id, progress, note):
                        return Ending("cancelled")

    def _record(self, order: JobOrder, ending: Ending) -> None:
        with self.database.transaction() as session:
            if ending.how == "done":
                queue.finish(session, order.id, ending.result or {})
            elif ending.how == "failed":
                queue.fail(session, order.id, ending.reason)
            elif ending.how == "cancelled":
                queue.stopped(session, order.id)
            else:
                queue.release(session, order.id)
        log.info("worker %s: %s %s %s", self.config.name, order.id, ending.how, ending.reason)


_PRELOADED: set[str] = set()


def _context(handlers: Iterable[Handler]) -> Any:
    """The forkserver context, with the handlers' modules preloaded (set once, before it starts)."""
    context = multiprocessing.get_context("forkserver")
    modules = {h.__module__ for h in handlers} | {"kuznia.services.wiring"}
    if not modules <= _PRELOADED:
        _PRELOADED.update(modules)
        context.set_forkserver_preload(sorted(_PRELOADED))
    return context


def _lost(process: Any) -> str:
    process.join(1)
    return f"the job's process ended without an answer (exit code {process.exitcode})"


def start_in_thread(worker: Worker) -> threading.Thread:
    """Run ``worker`` beside a web server (the embedded default); ``worker.stopping`` ends it."""
    thread = threading.Thread(target=worker.run_forever, name="kuznia-worker", daemon=True)
    thread.start()
    return thread
