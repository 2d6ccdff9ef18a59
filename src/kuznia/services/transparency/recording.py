"""What every change leaves behind: its audit event and its leaf in the transparency log,
written by the one change listener of the default wiring (``services/wiring.py``).

A writing unit of work takes the commit sequence number at its end, and on PostgreSQL that
number's row lock is held until it commits: every other writer waits meanwhile. So what
depends only on the changes is made before it is taken (the records as JSON, their public
parts in canonical form, the commitments to secret fields and their openings), and only what
depends on the number and on the leaves' places in the log after: the outer members of each
leaf, the hashes, the new nodes, and the one INSERT of it all.
"""

from __future__ import annotations

from kuznia.services.kernel.commit_sequence import commit_seq, has_seq, took_seq
from kuznia.services.kernel.reading import writing_connection
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.transparency.append import append_reserved, prepare_change
from kuznia.services.transparency.audit_trail import audit_rows, defer_audit
from kuznia.services.transparency.head import reserve, reserve_with_seq


def record_listener(uow: UnitOfWork) -> None:
    """The audit events and log leaves of every change of ``uow``, in its transaction."""
    if not uow.changes:
        return
    rows = audit_rows(uow)
    prepared = [prepare_change(c) for c in uow.changes]
    reserved = reserve_in_unit(uow, len(prepared))  # the commit sequence's lock, the head's
    defer_audit(uow, rows)
    append_reserved(uow.session, uow.actor, prepared, reserved)


def reserve_in_unit(uow: UnitOfWork, count: int) -> tuple[int, dict[int, bytes]]:
    """The unit of work's commit sequence number (if not taken yet), then ``count`` places in
    the log (:func:`head.reserve`): on PostgreSQL in one statement (``head.reserve_with_seq``),
    one round trip fewer while every other writer waits for the number's lock."""
    connection = writing_connection(uow.session)
    if connection.dialect.name == "postgresql" and not has_seq(uow):
        taken = reserve_with_seq(connection, count)
        if taken is not None:
            seq, reserved = taken
            took_seq(uow, seq)
            return reserved
    commit_seq(uow)
    return reserve(connection, count)
