"""Row locks on both engines, and money conversion at the planning rates.

Checks such as "commitments never exceed the pledge" read a sum and then write; under concurrent
requests that is only safe if the read happens under a lock that the other writers wait for:

* PostgreSQL: ``SELECT ... FOR UPDATE`` on the row that the rule is about (the pledge, the
  commitment, the contract). Other writers of that row wait until we commit, and then (READ
  COMMITTED) their next statement sees what we wrote.
* SQLite has one writer at a time. ``BEGIN IMMEDIATE`` takes the write lock before the first
  read, so nothing can change between the read and the write; other writers wait (busy
  timeout). A transaction that has written already holds that lock.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import models as db
from kuznia.errors import Conflict, InvalidInput
from kuznia.money import FxRates, Money, MoneyError, round_cents

Row = TypeVar("Row")


def write_lock(session: Session) -> None:
    """On SQLite, take the database's write lock now unless this transaction holds it already."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw: Any = connection.connection.dbapi_connection
    if not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def locked(session: Session, model: type[Row], record_id: str) -> Row | None:
    """The row, freshly read and locked until the transaction ends (None if there is none)."""
    write_lock(session)
    key: Any = model.id  # type: ignore[attr-defined]
    statement = (
        select(model)
        .where(key == record_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).first()


def planning_rates(session: Session) -> FxRates:
    """The planning frame's rates (base currency and ``fx_rates``)."""
    settings = session.get(db.PlanningSettings, 1)
    if settings is None:
        raise Conflict("no planning settings yet: import a scenario first")
    rates = {row.currency: row.rate for row in session.scalars(select(db.FxRate))}
    return FxRates.parse(settings.base_currency, rates)


def to_currency(money: Money, currency: str, rates: FxRates | None) -> tuple[Money, Decimal | None]:
    """``money`` in ``currency``, rounded half-even to cents, and the rate used (None if none).

    rate = rate(from) / rate(to), both in base-currency units per unit.
    """
    if money.currency == currency:
        return money, None
    if rates is None:
        raise InvalidInput.single("currency", f"{money.currency} needs converting to {currency}")
    try:
        rate = rates.rate(money.currency) / rates.rate(currency)
    except MoneyError as error:
        raise InvalidInput.single("currency", str(error)) from None
    return Money(round_cents(money.amount * rate), currency), rate
