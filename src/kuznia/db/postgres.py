"""pg8000 connections that cost one round trip per statement, and read timestamps in C.

pg8000 (1.31) runs a statement with parameters in three round trips: Parse and Sync, wait;
Describe and Sync, wait; Bind, Execute and Sync, wait. Nothing of the first two answers goes
into the third (the parameters travel as text, typed by the server), so
:class:`Connection` sends the five messages at once and reads the answers once, as libpq
does: the same messages in the same order, one Sync, so an error anywhere still ends the
statement (the server skips to the Sync) and is raised after it, and in autocommit the
statement is still its own implicit transaction. The BEGIN pg8000 sends before the first
statement of a transaction travels with that statement (pg8000 waited for it alone). A list's
page and its credential lookup went from six round trips to two; a registry create from 28 to 9.

It also converts each statement from pg8000's ``%s`` placeholders to PostgreSQL's ``$1`` once
per SQL text (pg8000 scans the text character by character at every execution: about half a
millisecond for a registry's page), and reads ``timestamptz``, ``timestamp`` and ``date``
values with :meth:`datetime.fromisoformat` (pg8000 uses ``strptime``: 25 µs a value, two
values a row), falling back to pg8000's own reader for anything else (``infinity``, BC, a
DateStyle other than ISO).

:func:`connect` is the engine's ``do_connect`` hook (``db/engine.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from pg8000 import converters, core, legacy
from pg8000.dbapi import convert_paramstyle
from pg8000.exceptions import DatabaseError

DATE, TIMESTAMP, TIMESTAMPTZ = 1082, 1114, 1184
"""PostgreSQL's type oids (``pg_type``)."""


def _iso(fallback: Callable[[str], Any], parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def read(data: str) -> Any:
        try:
            return parse(data)
        except ValueError:
            return fallback(data)

    return read


READERS: dict[int, Callable[[str], Any]] = {
    TIMESTAMPTZ: _iso(converters.timestamptz_in, datetime.fromisoformat),
    TIMESTAMP: _iso(converters.timestamp_in, datetime.fromisoformat),
    DATE: _iso(converters.date_in, date.fromisoformat),
}
"""Faster readers of pg8000's text values, each giving what pg8000's own gives (its tests)."""


@lru_cache(maxsize=4096)
def numbered(statement: str) -> str:
    """``statement`` with pg8000's ``%s`` placeholders as ``$1, $2, ...`` (pg8000's scanner,
    run once per SQL text: the text alone decides it, the values are passed as they are)."""
    converted, _ = convert_paramstyle("format", statement, ())
    return str(converted)


def translated(error: DatabaseError) -> Exception:
    """The exception pg8000's cursor raises for a server's error (``legacy.Cursor.execute``)."""
    message = error.args[0]
    code = message.get("C") if isinstance(message, dict) else None
    kinds: dict[str | None, type[Exception]] = {
        "28000": legacy.InterfaceError,
        "23505": legacy.IntegrityError,
    }
    kind = kinds.get(code, legacy.ProgrammingError)
    made: Exception = kind(message)
    return made


class Cursor(legacy.Cursor):  # type: ignore[misc]
    """pg8000's cursor (the DB-API SQLAlchemy's dialect uses), its placeholders numbered once
    per SQL text."""

    def execute(self, operation: str, args: Sequence[Any] = (), stream: Any = None) -> Cursor:
        connection = self._c
        if not args or stream is not None or self.paramstyle != "format" or connection is None:
            super().execute(operation, args, stream)
            return self
        begin = not connection._in_transaction and not connection.autocommit
        try:
            oids: Sequence[int] = self._input_oids
            self._context = connection.execute_unnamed(
                numbered(operation), vals=args, oids=oids, begin=begin
            )
        except AttributeError:
            if connection._sock is None:
                raise legacy.InterfaceError("connection is closed") from None
            raise
        except DatabaseError as error:
            raise translated(error) from error
        self._row_iter = iter(self._context.rows or [])
        self._input_oids: Sequence[int] = ()
        self.input_types: list[Any] = []
        return self


class Connection(legacy.Connection):  # type: ignore[misc]
    """A pg8000 DB-API connection whose statements take one round trip each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for oid, reader in READERS.items():
            self.register_in_adapter(oid, reader)

    def cursor(self) -> Cursor:
        return Cursor(self)

    def execute_unnamed(
        self,
        statement: str,
        vals: Sequence[Any] = (),
        oids: Sequence[int] = (),
        stream: Any = None,
        *,
        begin: bool = False,
    ) -> Any:
        """Run ``statement`` in one exchange; with ``begin``, open a transaction block first in
        the same exchange (no Sync between: if BEGIN fails, the server skips the statement)."""
        if stream is not None:  # COPY: pg8000's own exchange
            if begin:
                self.execute_simple("begin transaction")
            return super().execute_unnamed(statement, vals=vals, oids=oids, stream=stream)
        params = converters.make_params(self.py_types, vals)  # before anything is sent
        context = core.Context(statement)
        if begin:
            self.send_PARSE(core.NULL_BYTE, "begin transaction", ())
            self.send_BIND(core.NULL_BYTE, ())
            self.send_EXECUTE()
        self.send_PARSE(core.NULL_BYTE, statement, oids)
        self.send_DESCRIBE_STATEMENT(core.NULL_BYTE)
        self.send_BIND(core.NULL_BYTE, params)
        self.send_EXECUTE()
        core._write(self._sock, core.SYNC_MSG)
        core._flush(self._sock)
        self.handle_messages(context)
        return context


def connect(_dialect: Any, _record: Any, cargs: Sequence[Any], cparams: dict[str, Any]) -> Any:
    """SQLAlchemy's ``do_connect`` event: the connection pg8000's ``connect`` would open, as a
    :class:`Connection`."""
    return Connection(*cargs, **cparams)
