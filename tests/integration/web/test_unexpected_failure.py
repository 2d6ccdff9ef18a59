"""A failure nobody expected, in a web page: the person gets a page in their language (500, or
503 and Retry-After when the database was only busy), the log gets where it failed but not the
failure's message (a database error's message holds a statement's parameters)."""

from __future__ import annotations

import logging
import warnings

import pytest
from sqlalchemy.exc import OperationalError

from kuznia.settings import load_settings
from kuznia.web.routes import transparency

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

    from kuznia.api import create_app

SECRET = "password-hash-or-site-location"


def _client(database, database_url) -> TestClient:
    app = create_app(load_settings(database_url=database_url), database=database)
    return TestClient(app, base_url="https://testserver", raise_server_exceptions=False)


def _fail_with(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(transparency, "log_view", failing)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_an_unexpected_failure_is_a_page_in_the_users_language(
    database, database_url, monkeypatch: pytest.MonkeyPatch, caplog, language: str
) -> None:
    _fail_with(monkeypatch, RuntimeError(SECRET))
    with _client(database, database_url) as client, caplog.at_level(logging.ERROR):
        answer = client.get("/log", headers={"Accept-Language": language})
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert f'lang="{language}"' in answer.text
    assert SECRET not in answer.text
    expected = "The server failed" if language == "en" else "Сервер"
    assert expected in answer.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unexpected RuntimeError on GET /log" in logged
    assert SECRET not in logged


def test_a_busy_database_asks_to_retry(database, database_url, monkeypatch) -> None:
    locked = OperationalError("UPDATE ...", {"p": SECRET}, Exception("database is locked"))
    _fail_with(monkeypatch, locked)
    with _client(database, database_url) as client:
        answer = client.get("/log")
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert answer.headers["content-type"].startswith("text/html")
    assert SECRET not in answer.text


def test_the_api_still_answers_a_problem_document(database, database_url, monkeypatch) -> None:
    from kuznia.services.transparency import log

    def failing(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(log, "leaves_between", failing)
    with _client(database, database_url) as client:
        answer = client.get("/api/v1/log/leaves")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert SECRET not in answer.text
