"""Operations (issue 18, finding 9): health and readiness that touch the database, structured
access logs that never hold a secret, no-store on logged-in answers, and concurrent writers on
SQLite that wait their turn or get 503 with Retry-After, never 500."""

from __future__ import annotations

import gc
import json
import logging
import sqlite3
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event

from kuznia.api import create_app
from kuznia.api.logs import JsonFormatter, redact
from kuznia.db.migrate import upgrade
from kuznia.services.kernel.database import Database
from kuznia.services.wiring import database_at
from kuznia.settings import load_settings
from tests.integration.api.world import PASSWORD, World

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _client_of(database: Database) -> TestClient:
    app = create_app(load_settings(database_url=str(database.engine.url)), database=database)
    return TestClient(app, base_url="https://testserver", raise_server_exceptions=False)


def test_health_and_readiness_answer_ok_when_the_database_is_there(client):
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    ready = client.get("/api/v1/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "schema": "at head"}


def test_health_and_readiness_fail_when_the_database_cannot_be_reached():
    gone = Database(create_engine("postgresql+pg8000://nobody@127.0.0.1:9/none"))
    with _client_of(gone) as client:
        health, ready = client.get("/api/v1/health"), client.get("/api/v1/ready")
    assert health.status_code == ready.status_code == 503
    assert ready.json()["database"] == "unreachable"
    assert "Retry-After" in ready.headers


def test_readiness_fails_while_the_schema_is_behind_the_code(tmp_path: Path):
    database = database_at(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(database.engine, "0003")
    with _client_of(database) as client:
        ready = client.get("/api/v1/ready")
    database.dispose()
    assert ready.status_code == 503
    assert ready.json() == {"status": "not ready", "database": "ok", "schema": "behind"}


def test_the_access_log_has_the_request_fields_and_never_a_token_from_the_query(
    client, world: World, caplog
):
    caplog.set_level(logging.INFO, logger="kuznia.access")
    token = world.tokens["auditor"]
    answer = client.get(
        f"/api/v1/me?token={token}&x=1",
        headers={**world.headers("auditor"), "X-Request-ID": "req-42"},
    )
    assert answer.headers["x-request-id"] == "req-42"
    (line,) = [r for r in caplog.records if r.name == "kuznia.access"]
    assert line.request_id == "req-42"  # type: ignore[attr-defined]
    assert line.user_id == world.users["auditor"]  # type: ignore[attr-defined]
    assert line.route == "/api/v1/me"  # type: ignore[attr-defined]
    assert line.status == answer.status_code  # type: ignore[attr-defined]
    assert line.duration_ms >= 0  # type: ignore[attr-defined]
    formatted = json.loads(JsonFormatter().format(line))
    assert formatted["query_keys"] == ["token", "x"]
    assert token not in caplog.text
    assert token not in JsonFormatter().format(line)


def test_a_request_id_that_is_not_sane_is_replaced(client):
    answer = client.get("/api/v1/health", headers={"X-Request-ID": "bad id\nforged: line"})
    assert answer.headers["x-request-id"] != "bad id\nforged: line"
    assert len(answer.headers["x-request-id"]) == 32


def test_credentials_in_a_log_message_are_redacted():
    text = redact(
        "GET /x?token=abc123 Authorization: Bearer kz_0123456789abcdef password=hunter22 ok"
    )
    assert "abc123" not in text
    assert "kz_0123456789abcdef" not in text
    assert "hunter22" not in text
    assert text.endswith("ok")


def test_logged_in_pages_are_not_stored_by_caches_and_static_assets_are(client):
    assert (
        client.post(
            "/api/v1/session", json={"email": "auditor@test.kuznia", "password": PASSWORD}
        ).status_code
        == 200
    )
    assert client.get("/").headers["cache-control"] == "no-store"
    assert client.get("/registries/sites").headers["cache-control"] == "no-store"
    asset = client.get("/assets/favicon.svg")
    assert asset.status_code == 200
    assert "no-store" not in asset.headers.get("cache-control", "")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_thirty_two_concurrent_creates_on_sqlite_wait_their_turn_and_never_fail(
    client, world: World
):
    headers = world.headers("coordinator")

    def create(n: int):
        body = {"name": f"concurrent capability {n}", "unit": "pcs"}
        return client.post("/api/v1/capabilities", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(create, range(32)))
    statuses = [a.status_code for a in answers]
    assert all(s in (201, 503) for s in statuses), statuses
    assert all("Retry-After" in a.headers for a in answers if a.status_code == 503)
    assert statuses.count(201) >= 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_writers_that_wait_longer_than_the_busy_timeout_get_503_with_retry_after(
    client, world: World
):
    engine = world.database.engine
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout=200"))
    engine.dispose()  # pooled connections had the 10 s timeout
    headers = world.headers("coordinator")
    holder = sqlite3.connect(engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock for long

    def create(n: int):
        body = {"name": f"blocked capability {n}", "unit": "pcs"}
        return client.post("/api/v1/capabilities", json=body, headers=headers)

    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            answers = list(pool.map(create, range(32)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert {a.status_code for a in answers} == {503}
    assert all(a.headers["Retry-After"] == "1" for a in answers)
    assert create(99).status_code == 201


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_thirty_two_concurrent_logins_on_sqlite_never_fail(world: World):
    with _client_of(world.database) as client:

        def log_in(n: int):
            password = PASSWORD if n % 4 == 0 else "wrong password"
            body = {"email": f"{('auditor', 'partner')[n % 2]}@test.kuznia", "password": password}
            return client.post("/api/v1/session", json=body).status_code

        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(log_in, range(32)))
    assert set(statuses) <= {200, 401, 429}, statuses


def test_a_worker_that_cannot_start_logs_why(monkeypatch, caplog):
    from kuznia.api.app import app_from_environment

    monkeypatch.setenv("KUZNIA_ENVIRONMENT", "production")
    monkeypatch.delenv("KUZNIA_SECRET_KEY", raising=False)
    with pytest.raises(ValueError, match="KUZNIA_SECRET_KEY"):
        app_from_environment()
    (failure,) = [r for r in caplog.records if "failed to start" in r.getMessage()]
    assert "KUZNIA_SECRET_KEY" in str(failure.exc_info[1]) if failure.exc_info else False


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_served_worker_freezes_its_start_up_objects_and_a_test_app_does_not(
    monkeypatch, tmp_path, world: World
):
    """``app_from_environment`` (what ``kuznia serve`` runs) keeps what it built before
    serving out of the collector's full collections; an app built for a test leaves the
    collector alone (a test process would otherwise freeze every test's leftovers)."""
    from fastapi.testclient import TestClient

    from kuznia.api.app import app_from_environment

    before = gc.get_freeze_count()
    with _client_of(world.database) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert gc.get_freeze_count() == before
    monkeypatch.setenv("KUZNIA_DATABASE_URL", f"sqlite:///{tmp_path / 'served.db'}")
    try:
        with TestClient(app_from_environment()) as client:
            assert gc.get_freeze_count() > before + 10_000
            assert client.get("/api/v1/health").status_code == 200
    finally:
        gc.unfreeze()
