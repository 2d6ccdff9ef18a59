"""Where the API's short reads run (``api/deps.run_query``): on SQLite on the event loop, on
PostgreSQL in the thread pool; a write always in the thread pool."""

from __future__ import annotations

import threading

import pytest

from kuznia.api import deps
from kuznia.services.registries import records
from tests.integration.api.conftest import TestClient
from tests.integration.api.world import World


@pytest.fixture
def threads_of(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The name of the thread each use case ran in (the event loop's is the client's portal)."""
    seen: dict[str, str] = {}
    for name in ("list_records", "get_record", "create_record"):
        original = getattr(records, name)

        def spy(*args: object, _original=original, _name=name, **kwargs: object) -> object:
            seen[_name] = threading.current_thread().name
            return _original(*args, **kwargs)

        monkeypatch.setattr(records, name, spy)
    return seen


def test_reads_run_on_the_loop_only_where_the_database_is_in_the_process(
    client: TestClient, world: World, threads_of: dict[str, str]
):
    headers = world.headers("coordinator")
    listed = client.get("/api/v1/capabilities", headers=headers)
    assert listed.status_code == 200
    one = listed.json()["items"][0]["id"]
    assert client.get(f"/api/v1/capabilities/{one}", headers=headers).status_code == 200
    body = {"name": "Where it ran", "unit": "unit"}
    assert client.post("/api/v1/capabilities", json=body, headers=headers).status_code == 201
    loop = client.portal.call(lambda: threading.current_thread().name)  # type: ignore[union-attr]
    on_loop = world.database.embedded
    assert (threads_of["list_records"] == loop) is on_loop
    assert (threads_of["get_record"] == loop) is on_loop
    assert threads_of["create_record"] != loop


def test_a_postgresql_read_goes_to_the_thread_pool(monkeypatch: pytest.MonkeyPatch, world: World):
    """``run_query`` asks the database, not the route, where a read runs."""
    import anyio

    pooled: list[str] = []

    async def in_pool(read):  # type: ignore[no-untyped-def]
        pooled.append("pool")
        return read()

    monkeypatch.setattr(deps, "run_in_threadpool", in_pool)
    assert anyio.run(deps.run_query, world.database, lambda: 7) == 7
    assert pooled == ([] if world.database.embedded else ["pool"])
