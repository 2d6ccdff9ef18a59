"""The contracting context over HTTP: contracts (``contracts``), money (``money``), an
investment's money (``investment_money``) and deliveries (``deliveries``), one router in that
order."""

from __future__ import annotations

from kuznia.api.routes.contracting import contracts, deliveries, investment_money, money
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter()
for _part in (contracts, money, investment_money, deliveries):
    router.include_router(_part.router)
