"""The contracting context over HTTP: contracts (``contracts``), money (``money``) and
deliveries (``deliveries``), one router in that order."""

from __future__ import annotations

from fastapi import APIRouter

from kuznia.api.routes.contracting import contracts, deliveries, money

router = APIRouter()
for _part in (contracts, money, deliveries):
    router.include_router(_part.router)
