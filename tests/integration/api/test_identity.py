"""Logging in: cookies, CSRF, tokens, throttling, demo logins, the first coordinator."""

from __future__ import annotations

import logging

import pytest

from kuznia.cli.main import run
from kuznia.services.identity.users import create_demo_logins
from kuznia.services.kernel.actors import Actor
from tests.integration.api.conftest import make_client
from tests.integration.api.world import PASSWORD, World


def _log_in(client, email: str = "partner@test.kuznia", password: str = PASSWORD):
    return client.post("/api/v1/session", json={"email": email, "password": password})


def test_a_login_sets_an_httponly_strict_session_cookie_and_returns_a_csrf_token(client):
    answer = _log_in(client)
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert len(answer.json()["csrf_token"]) == 64
    assert client.get("/api/v1/me").json()["role"] == "partner"


def test_cookies_are_secure_when_asked_or_in_production(world: World):
    with make_client(world.database, cookie_secure=True) as client:
        assert "secure" in _log_in(client).headers["set-cookie"].lower()


def test_a_change_made_with_the_cookie_needs_the_csrf_token(client):
    csrf = _log_in(client).json()["csrf_token"]
    body = {"name": "mine"}
    assert client.post("/api/v1/tokens", json=body).status_code == 403
    wrong = client.post("/api/v1/tokens", json=body, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    assert (
        client.post("/api/v1/tokens", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    )


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    unknown = _log_in(client, email="nobody@test.kuznia")
    wrong = _log_in(client, password="not it at all")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]


def test_repeated_failed_logins_are_throttled_even_with_the_right_password(client):
    for _ in range(5):
        assert _log_in(client, password="guess guess guess").status_code == 401
    throttled = _log_in(client)
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0


def test_a_token_is_shown_once_stored_hashed_and_stops_working_when_revoked(client, world):
    headers = world.headers("company")
    made = client.post("/api/v1/tokens", json={"name": "ci"}, headers=headers).json()
    token = made["token"]
    listed = client.get("/api/v1/tokens", headers=headers).text
    assert token not in listed
    mine = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=mine).status_code == 200
    assert client.delete(f"/api/v1/tokens/{made['id']}", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=mine).status_code == 401


def test_an_unknown_token_is_refused_with_a_www_authenticate_challenge(client):
    answer = client.get("/api/v1/me", headers={"Authorization": "Bearer kz_nope"})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_passwords_and_tokens_never_reach_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    csrf = _log_in(client).json()["csrf_token"]
    made = client.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": csrf})
    _log_in(client, password="a wrong secret password")
    logged = caplog.text
    for secret in (PASSWORD, "a wrong secret password", made.json()["token"], csrf):
        assert secret not in logged


def test_demo_logins_exist_for_every_role_and_work(client, world: World):
    with world.database.unit_of_work(Actor.system("demo")) as uow:
        logins = create_demo_logins(uow)
    roles = ["coordinator", "partner", "company", "auditor", "investor"]  # the world has a fund
    assert [login.role for login in logins] == roles
    for role, _organisation, email, password in logins:
        answer = _log_in(client, email=email, password=password)
        assert answer.json()["role"] == role
    assert (
        _log_in(client, email=logins[1].email, password=logins[1].password).json()["partner_id"]
        == "partner-dk"
    )  # Denmark, when it is registered
    with world.database.unit_of_work(Actor.system("demo")) as uow:
        again = create_demo_logins(uow)
    assert again[0].password != logins[0].password


def test_the_demo_investor_is_a_fund_and_the_partner_a_government(client, world: World):
    with world.database.unit_of_work(Actor.system("demo")) as uow:
        logins = create_demo_logins(uow)
    partner = _log_in(client, email=logins[1].email, password=logins[1].password).json()
    assert partner["partner_id"] == "partner-dk"  # a government, never the fund
    investor = _log_in(client, email=logins[-1].email, password=logins[-1].password).json()
    assert (investor["role"], investor["partner_id"]) == ("investor", "fund-n")


@pytest.mark.usefixtures("world")
def test_the_first_coordinator_is_created_at_the_command_line(database_url, monkeypatch, client):
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a long enough password\n"))
    code = run(["--database-url", database_url, "admin", "create", "--email", "Chief@Gov.UA",
                "--password-stdin"])  # fmt: skip
    assert code == 0
    answer = _log_in(client, email="chief@gov.ua", password="a long enough password")
    assert answer.json()["role"] == "coordinator"


def test_a_login_says_whether_the_password_must_be_changed_first(client, world: World):
    made = client.post(
        "/api/v1/users",
        json={"organisation_id": "org-auditor", "email": "once@test.kuznia", "name": "Once"},
        headers=world.headers("coordinator"),
    )
    assert made.status_code == 201, made.text
    given = made.json()["password"]
    first = _log_in(client, email="once@test.kuznia", password=given)
    assert first.json()["password_change_required"] is True
    changed = client.post(
        "/api/v1/me/password",
        json={"current_password": given, "new_password": "a password of my own"},
        headers={"X-CSRF-Token": first.json()["csrf_token"]},
    )
    assert changed.status_code == 204, changed.text
    again = _log_in(client, email="once@test.kuznia", password="a password of my own")
    assert again.json()["password_change_required"] is False
