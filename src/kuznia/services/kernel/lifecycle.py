"""Lifecycles as data: a table of (state, action) -> (new state, who may), and the one function
that enforces any such table.

Each bounded context states its tables once (``contracting/lifecycle.py``,
``registries/lifecycle.py``) with its own states, actions and parties (who someone is to the
record: the coordinator, the paying partner, the owning company...). Every path that changes a
status -- API, web forms, CLI, spreadsheet import, other use cases -- asks :meth:`Lifecycle.apply`
for the new state; nothing else compares statuses to decide what may happen.

Refusals:

* :class:`~kuznia.errors.Forbidden` when none of the actor's parties may ever take the action
  (from any state): it is not theirs to take;
* otherwise :class:`TransitionRefused` (a Conflict naming the field ``status`` and the current
  state) when the action is not open to them from the current state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from kuznia.errors import Conflict, Forbidden

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)
P = TypeVar("P", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class Transition(Generic[S, P]):
    """Where an action leads from a state, and which parties may take it."""

    to: S
    by: frozenset[P]


class Stateful(Protocol):
    """A row whose ``status`` column holds a lifecycle's states (as members or their values)."""

    status: Any


class TransitionRefused(Conflict):
    """The action does not lead anywhere from the record's current state."""

    field = "status"

    def __init__(self, message: str, state: StrEnum, action: StrEnum | None) -> None:
        super().__init__(f"{self.field}: {message}")
        self.state = state
        self.action = action


@dataclass(frozen=True, slots=True)
class Lifecycle(Generic[S, A, P]):
    """A transition table and the words of its refusals.

    ``records`` names the records (plural); ``verbs`` says what each action does, ``{it}``
    standing for the record ("sign {it} for Ukraine"); ``described`` words a state in a refusal
    (``{record}`` is the record's label), a state not listed reading "{record} is {state}".
    """

    records: str
    transitions: Mapping[tuple[S, A], Transition[S, P]]
    verbs: Mapping[A, str]
    described: Mapping[S, str] = field(default_factory=dict)

    def parties_for(self, action: A) -> frozenset[P]:
        """Every party that may take ``action`` from some state."""
        found: set[P] = set()
        for (_, taken), transition in self.transitions.items():
            if taken is action:
                found |= transition.by
        return frozenset(found)

    def actions_from(self, state: S, parties: Iterable[P]) -> tuple[A, ...]:
        """The actions someone who is ``parties`` to a record in ``state`` may take (a page
        offers these and no others)."""
        held = frozenset(parties)
        return tuple(a for (s, a), t in self.transitions.items() if s is state and t.by & held)

    def states_allowing(self, action: A) -> frozenset[S]:
        """The states from which someone may take ``action``."""
        return frozenset(state for state, taken in self.transitions if taken is action)

    def check_party(self, action: A, parties: Iterable[P], role: str) -> None:
        """Forbidden unless one of ``parties`` may take ``action`` from some state. Use cases
        that only the coordinator may run call this before reading the record, so that the
        refusal does not depend on whether the record exists."""
        if not self.parties_for(action) & set(parties):
            doing = self.verbs[action].format(it=self.records)
            raise Forbidden(f"a {role} may not {doing}")

    def apply(self, state: S, action: A, parties: Iterable[P], *, role: str, record: str) -> S:
        """The state ``action`` leads to from ``state``, taken by someone who is ``parties``
        to the record (``role`` and ``record``, its label, word the refusals)."""
        held = frozenset(parties)
        self.check_party(action, held, role)
        transition = self.transitions.get((state, action))
        if transition is None or not transition.by & held:
            doing = self.verbs[action].format(it="it")
            raise TransitionRefused(
                f"{self.describe(state, record)}; a {role} cannot {doing} now", state, action
            )
        return transition.to

    def take(self, row: Stateful, action: A, parties: Iterable[P], *, role: str, record: str) -> S:
        """Take ``action`` on ``row`` (:meth:`apply` from its status): the new status, set on
        the row if it changes (an action that keeps the state writes nothing)."""
        current = self.state_of(row.status)
        status = self.apply(current, action, parties, role=role, record=record)
        if status is not current:
            row.status = status
        return status

    def state_of(self, value: str) -> S:
        """``value`` (a stored status) as one of the table's states."""
        state, _action = next(iter(self.transitions))
        return type(state)(value)

    def describe(self, state: S, record: str) -> str:
        template = self.described.get(state, "{record} is {state}")
        return template.format(record=record, state=state.value)

    def action_towards(self, state: S, target: S, *, record: str) -> A:
        """The action leading from ``state`` to another state ``target``, for a client that
        sets a status rather than naming an action; TransitionRefused if none does."""
        for (start, action), transition in self.transitions.items():
            if start is state and transition.to is target and target is not state:
                return action
        now = self.describe(state, record)
        raise TransitionRefused(f"{now}; it cannot become {target.value}", state, None)
