"""The change listeners every :class:`~kuznia.services.database.Database` reports to.

Add a listener here (not at call sites) so that no path that changes state can skip it.
"""

from __future__ import annotations

from kuznia.services.unit_of_work import ChangeListener


def default_listeners() -> list[ChangeListener]:
    """Listeners run, in this order, inside every unit of work before it commits."""
    from kuznia.services.audit import audit_listener  # first: takes the commit sequence lock
    from kuznia.services.ledger import ledger_listener

    return [audit_listener, ledger_listener]
