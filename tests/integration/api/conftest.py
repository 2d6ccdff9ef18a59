"""Fixtures of the API tests: a seeded world and a client of the app on each engine."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from kuznia.api import create_app
from kuznia.api.config import ApiSettings
from kuznia.services.identity import users
from kuznia.services.kernel.database import Database
from kuznia.settings import load_settings
from tests.integration.api.world import World, seed

with warnings.catch_warnings():
    # Starlette suggests httpx2 for its test client; httpx is what the project locks.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def make_client(database: Database, **api: object) -> TestClient:
    settings = load_settings(database_url=str(database.engine.url))
    app = create_app(settings, api_settings=ApiSettings(**api), database=database)  # type: ignore[arg-type]
    return TestClient(app, base_url="https://testserver", raise_server_exceptions=False)


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id still, with test-sized cost (the production cost is ~0.3 s a hash here)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "hasher", lambda: cheap)


@pytest.fixture
def world(database: Database) -> World:
    return seed(database)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with make_client(world.database) as test_client:
        yield test_client
