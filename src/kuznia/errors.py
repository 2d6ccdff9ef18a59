"""Domain errors: one hierarchy, mapped to HTTP (RFC 9457) and CLI exit codes in one place each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class KuzniaError(Exception):
    """Base of every error kuznia raises on purpose."""

    title = "Error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located by a JSON path such as ``proposals[17].unit_cost``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidInput(KuzniaError):
    """The input is wrong; ``problems`` lists every problem found, each with where it is."""

    title = "Invalid input"

    def __init__(self, problems: Sequence[Problem], summary: str | None = None) -> None:
        self.problems = tuple(problems)
        head = summary or f"{len(self.problems)} problem(s) in the input"
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        if not self.problems or (len(self.problems) == 1 and head == str(self.problems[0])):
            super().__init__(head)
        else:
            super().__init__(f"{head}:\n{shown}{more}")

    @classmethod
    def single(cls, path: str, message: str) -> InvalidInput:
        return cls([Problem(path, message)], summary=f"{path}: {message}" if path else message)

    @classmethod
    def of(cls, problems: Sequence[Problem], summary: str) -> InvalidInput:
        """Every problem found, under ``summary``; one problem alone says just itself."""
        if len(problems) == 1:
            return cls.single(problems[0].path, problems[0].message)
        return cls(problems, summary)


class NotFound(KuzniaError):
    title = "Not found"


class Forbidden(KuzniaError):
    title = "Forbidden"


class Unauthorized(KuzniaError):
    title = "Unauthorized"


class Conflict(KuzniaError):
    """A rule about the current state stops the change (duplicate id, stale version, overspend)."""

    title = "Conflict"


class PreconditionFailed(KuzniaError):
    """The record changed since the client read it (If-Match did not match)."""

    title = "Precondition failed"
