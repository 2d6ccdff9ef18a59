"""Structured logs: one JSON object a line, the same fields from every worker.

An access line holds the request id, the user id, the route template, the status and the
duration; never a body, a header, a cookie or a query value (a client may send a token as
``?token=``): the query appears as its parameter names only. As a last guard every message
passes :func:`redact`, which blanks anything shaped like a kuznia API token, a bearer
credential, a password field or a ``token=``/``password=`` pair.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

ACCESS_LOGGER = "kuznia.access"
FIELDS = (
    "request_id",
    "user_id",
    "method",
    "route",
    "path",
    "query_keys",
    "status",
    "duration_ms",
    "client",
    "pid",
)
_SECRET = re.compile(
    r"(kz_[A-Za-z0-9_\-]{8,})"
    r"|((?:bearer|basic)\s+)[^\s,;\"']+"
    r"|((?:token|password|passwd|secret|csrf_token|session|api_key)[\"']?\s*[=:]\s*[\"']?)[^\s&,;\"']+",
    re.IGNORECASE,
)


def _blank(match: re.Match[str]) -> str:
    prefix = match.group(2) or match.group(3) or ""
    return f"{prefix}[redacted]"


def redact(text: str) -> str:
    """``text`` with anything that looks like a credential replaced by ``[redacted]``."""
    return _SECRET.sub(_blank, text)


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", ...the access fields, "exception"}`` per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a terminal: the message and the access fields, redacted likewise."""

    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{n}={getattr(record, n)}" for n in FIELDS if hasattr(record, n))
        line = f"{record.levelname:<7} {record.name}: {redact(record.getMessage())} {extra}"
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
        return line.rstrip()


def log_config(log_format: str = "json", level: str = "INFO") -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` for uvicorn and kuznia (uvicorn's own access log is
    off: it writes query strings; :class:`kuznia.api.middleware.AccessLog` writes ours)."""
    formatter = (
        "kuznia.api.logs.JsonFormatter"
        if log_format == "json"
        else ("kuznia.api.logs.TextFormatter")
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "kuznia",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"kuznia": {"()": formatter}},
        "handlers": {"kuznia": handler},
        "loggers": {
            "uvicorn": {"handlers": ["kuznia"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "kuznia": {"handlers": ["kuznia"], "level": level, "propagate": False},
        },
    }
