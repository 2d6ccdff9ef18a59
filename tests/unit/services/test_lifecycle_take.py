"""``Lifecycle.take``: the one apply-and-set every status change of a row goes through."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest

from kuznia.services.kernel.lifecycle import Lifecycle, Transition, TransitionRefused


class Door(StrEnum):
    SHUT = "shut"
    OPEN = "open"


class Act(StrEnum):
    OPEN = "open"
    KNOCK = "knock"


class Who(StrEnum):
    OWNER = "owner"


DOOR = Lifecycle(
    records="doors",
    transitions={
        (Door.SHUT, Act.OPEN): Transition(Door.OPEN, frozenset({Who.OWNER})),
        (Door.SHUT, Act.KNOCK): Transition(Door.SHUT, frozenset({Who.OWNER})),
    },
    verbs={Act.OPEN: "open {it}", Act.KNOCK: "knock on {it}"},
)


class Row:
    """A row that counts how often its status is written."""

    def __init__(self, status: Any) -> None:
        self._status = status
        self.writes = 0

    @property
    def status(self) -> Any:
        return self._status

    @status.setter
    def status(self, value: Any) -> None:
        self._status = value
        self.writes += 1


def test_a_step_sets_the_new_status_on_the_row_and_returns_it() -> None:
    row = Row("shut")  # a stored value, read as the table's state
    assert DOOR.take(row, Act.OPEN, {Who.OWNER}, role="owner", record="door d") is Door.OPEN
    assert (row.status, row.writes) == (Door.OPEN, 1)


def test_a_step_that_keeps_the_state_writes_nothing() -> None:
    row = Row(Door.SHUT)
    assert DOOR.take(row, Act.KNOCK, {Who.OWNER}, role="owner", record="door d") is Door.SHUT
    assert row.writes == 0


def test_a_refused_step_names_the_state_and_leaves_the_row() -> None:
    row = Row(Door.OPEN)
    with pytest.raises(TransitionRefused, match="status: door d is open"):
        DOOR.take(row, Act.OPEN, {Who.OWNER}, role="owner", record="door d")
    assert (row.status, row.writes) == (Door.OPEN, 0)
