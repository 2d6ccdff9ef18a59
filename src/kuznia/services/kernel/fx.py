"""Money conversion at the planning rates (the planning frame's base currency and FX rates).

Conversion is ``round_half_even(x * rate, 2)`` (see :mod:`kuznia.money`).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Conflict, InvalidInput
from kuznia.money import FxRates, Money, MoneyError, round_cents


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
