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

from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.transparency.append import append_prepared, prepare_change
from kuznia.services.transparency.audit_trail import audit_rows, defer_audit


def record_listener(uow: UnitOfWork) -> None:
    """The audit events and log leaves of every change of ``uow``, in its transaction."""
    if not uow.changes:
        return
    rows = audit_rows(uow)
    prepared = [prepare_change(c) for c in uow.changes]
    defer_audit(uow, rows)  # the commit sequence's lock, then the log head's
    append_prepared(uow.session, uow.actor, prepared)
