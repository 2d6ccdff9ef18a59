"""Authentication that cannot be turned against users (issue 18, findings 2, 3 and 7):
throttling per account *and* client with growing delays, proxies believed only when configured,
a password change ending every other session and token, throttled re-authentication, and CSRF
tokens bound to the session."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kuznia.api import create_app
from kuznia.api.config import ApiSettings
from kuznia.api.middleware import forwarded_client
from kuznia.db.identity import LoginFailure
from kuznia.settings import load_settings
from tests.integration.api.world import PASSWORD, World

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EMAIL = "auditor@test.kuznia"
WRONG = "not the password at all"


def _app(world: World, proxies: str = "", **api: object):
    settings = load_settings(database_url=str(world.database.engine.url), trusted_proxies=proxies)
    return create_app(settings, api_settings=ApiSettings(**api), database=world.database)  # type: ignore[arg-type]


def _client(world: World, address: str = "127.0.0.2", proxies: str = "", app=None, **api: object):
    return TestClient(
        app or _app(world, proxies, **api),
        base_url="https://testserver",
        raise_server_exceptions=False,
        client=(address, 5000),
    )


def _log_in(client, password: str = PASSWORD, email: str = EMAIL, **headers: str):
    return client.post(
        "/api/v1/session", json={"email": email, "password": password}, headers=headers
    )


def _age(world: World, seconds: float) -> None:
    """Make every recorded failure ``seconds`` old: as if the client had waited that long (or,
    with 0, as if it had not waited at all, however slow this machine is)."""
    at = datetime.now(UTC) - timedelta(seconds=seconds)
    with world.database.transaction() as session:  # row by row: SQLite has no date arithmetic
        for failure in session.scalars(select(LoginFailure)):
            failure.at = at


def test_failures_from_one_client_never_lock_out_the_right_password_from_another(world: World):
    with _client(world, "127.0.0.2") as attacker, _client(world, "127.0.0.3") as user:
        answers = [_log_in(attacker, WRONG).status_code for _ in range(10)]
        assert answers[:5] == [401] * 5
        assert 429 in answers[5:]
        _age(world, 0)
        assert _log_in(attacker).status_code == 429  # this client waits, even when right
        assert _log_in(user).status_code == 200


def test_the_delay_doubles_with_each_failure_after_the_free_ones(world: World):
    with _client(world) as client:
        for _ in range(5):
            assert _log_in(client, WRONG).status_code == 401
        for expected in (1, 2, 4, 8):
            _age(world, 0)
            throttled = _log_in(client, WRONG)
            assert throttled.status_code == 429
            assert int(throttled.headers["Retry-After"]) == expected
            _age(world, expected + 0.5)
            assert _log_in(client, WRONG).status_code == 401
        _age(world, 17)
        assert _log_in(client).status_code == 200  # and then the slate is clean
        assert _log_in(client, WRONG).status_code == 401


def test_the_delay_is_capped(world: World):
    with _client(world, login_max_delay_seconds=3) as client:
        for _ in range(5):
            _log_in(client, WRONG)
        for _ in range(4):
            _age(world, 5)
            assert _log_in(client, WRONG).status_code == 401
        _age(world, 0)
        assert int(_log_in(client, WRONG).headers["Retry-After"]) == 3


def test_guessing_from_many_clients_slows_those_clients_but_not_one_that_never_failed(
    world: World,
):
    app = _app(world, login_account_total_failures=3)
    for n in range(4):
        with _client(world, f"192.0.2.{n}", app=app) as guesser:
            assert _log_in(guesser, WRONG).status_code == 401
    _age(world, 0)
    with _client(world, "192.0.2.1", app=app) as guesser:
        assert _log_in(guesser, WRONG).status_code == 429  # it failed here before
    with _client(world, "198.51.100.7", app=app) as user:
        assert _log_in(user).status_code == 200


def test_one_client_spraying_many_accounts_is_slowed_down(world: World):
    with _client(world, login_client_failures=3) as sprayer:
        for n in range(3):
            assert _log_in(sprayer, WRONG, email=f"user{n}@test.kuznia").status_code == 401
        _age(world, 0)
        assert _log_in(sprayer, WRONG, email="other@test.kuznia").status_code == 429


def test_x_forwarded_for_is_not_believed_from_a_client_that_is_not_a_trusted_proxy(world: World):
    with _client(world, "127.0.0.1") as local:
        for _ in range(50):
            _log_in(local, WRONG, **{"X-Forwarded-For": "198.51.100.9"})
        # the failures count against 127.0.0.1, which chose the header, not 198.51.100.9:
        assert _log_in(local, **{"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    with _client(world, "198.51.100.9") as auditor:
        assert _log_in(auditor).status_code == 200


def test_a_trusted_proxy_names_the_client_and_what_the_client_wrote_is_ignored(world: World):
    with _client(world, "10.0.0.5", proxies="10.0.0.0/24") as proxy:
        for _ in range(6):
            _log_in(proxy, WRONG, **{"X-Forwarded-For": "198.51.100.9, 203.0.113.66"})
        _age(world, 0)
        assert _log_in(proxy, **{"X-Forwarded-For": "198.51.100.9, 203.0.113.66"}).status_code == (
            429
        )
        assert _log_in(proxy, **{"X-Forwarded-For": "203.0.113.66, 198.51.100.9"}).status_code == (
            200
        )


def test_the_forwarded_client_is_the_right_most_hop_that_is_not_a_trusted_proxy():
    import ipaddress

    trusted = [ipaddress.ip_network("10.0.0.0/8")]
    assert forwarded_client("10.0.0.1", "1.2.3.4, 5.6.7.8, 10.0.0.2", trusted) == "5.6.7.8"
    assert forwarded_client("192.0.2.1", "5.6.7.8", trusted) == "192.0.2.1"
    assert forwarded_client("10.0.0.1", "", trusted) == "10.0.0.1"
    assert forwarded_client("10.0.0.1", "garbage, 5.6.7.8", trusted) == "5.6.7.8"
    assert forwarded_client("10.0.0.1", "5.6.7.8, garbage", trusted) == "10.0.0.1"


def test_an_ipv6_client_is_throttled_by_its_slash_64(world: World):
    with _client(world, "2001:db8::1") as first, _client(world, "2001:db8::2") as same_host:
        for _ in range(5):
            _log_in(first, WRONG)
        _age(world, 0)
        assert _log_in(same_host, WRONG).status_code == 429


# ------------------------------------------------------------------------ password change


def _session(world: World, address: str) -> tuple[TestClient, str]:
    client = _client(world, address)
    answer = _log_in(client)
    assert answer.status_code == 200
    return client, answer.json()["csrf_token"]


def _change(client, csrf: str, current: str, new: str = "a brand new long password"):
    body = {"current_password": current, "new_password": new}
    return client.post("/api/v1/me/password", json=body, headers={"X-CSRF-Token": csrf})


def test_a_password_change_ends_every_other_session_and_api_token(world: World):
    mine, csrf = _session(world, "127.0.0.2")
    other, _ = _session(world, "127.0.0.3")
    made = mine.post("/api/v1/tokens", json={"name": "ci"}, headers={"X-CSRF-Token": csrf})
    token = {"Authorization": f"Bearer {made.json()['token']}"}
    assert other.get("/api/v1/me").status_code == 200
    assert mine.get("/api/v1/me", headers=token).status_code == 200
    assert _change(mine, csrf, PASSWORD).status_code == 204
    assert other.get("/api/v1/me").status_code == 401
    assert mine.get("/api/v1/me", headers=token).status_code == 401
    assert mine.get("/api/v1/me").status_code == 200  # the session that changed it stays
    assert _log_in(other, "a brand new long password").status_code == 200
    assert _log_in(other, PASSWORD).status_code == 401
    mine.close()
    other.close()


def test_a_password_change_made_with_a_token_keeps_that_token_only(client, world: World):
    headers = world.headers("auditor")
    extra = client.post("/api/v1/tokens", json={"name": "other"}, headers=headers).json()
    body = {"current_password": PASSWORD, "new_password": "a brand new long password"}
    assert client.post("/api/v1/me/password", json=body, headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    other = {"Authorization": f"Bearer {extra['token']}"}
    assert client.get("/api/v1/me", headers=other).status_code == 401


def test_wrong_current_passwords_are_throttled(world: World):
    mine, csrf = _session(world, "127.0.0.2")
    answers = [_change(mine, csrf, WRONG).status_code for _ in range(12)]
    assert answers[:5] == [422] * 5
    assert 429 in answers[5:]
    assert set(answers[5:]) <= {422, 429}
    _age(world, 0)
    assert _change(mine, csrf, PASSWORD).status_code == 429  # the stolen session must wait too
    mine.close()


# ----------------------------------------------------------------------------------- CSRF


@pytest.mark.parametrize("planted", ["A" * 40, "x" * 64])
def test_a_planted_double_submit_cookie_does_not_pass_the_api_csrf_check(world: World, planted):
    mine, _csrf = _session(world, "127.0.0.2")
    mine.cookies.set("kuznia_csrf", planted)  # (no domain: httpx then sends it to testserver)
    answer = mine.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": planted})
    assert answer.status_code == 403
    assert f"kuznia_csrf={planted}" in answer.request.headers["cookie"]  # it was sent
    mine.close()


def test_the_csrf_token_of_one_session_does_not_pass_with_another(world: World):
    mine, _ = _session(world, "127.0.0.2")
    _other, theirs = _session(world, "127.0.0.3")
    answer = mine.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": theirs})
    assert answer.status_code == 403
    mine.close()
    _other.close()


def test_a_planted_cookie_does_not_pass_the_web_forms(world: World):
    with _client(world) as browser:
        assert browser.get("/login").status_code == 200
        browser.cookies.clear()
        browser.cookies.set("kuznia_csrf", "A" * 40)
        form = {"email": EMAIL, "password": PASSWORD, "csrf_token": "A" * 40}
        answer = browser.post("/login", data=form, follow_redirects=False)
        assert answer.status_code == 403
        assert answer.request.headers["cookie"] == "kuznia_csrf=" + "A" * 40


def test_the_web_forms_work_with_the_token_the_page_gave_and_then_bind_it_to_the_session(
    world: World,
):
    import re

    with _client(world) as browser:
        page = browser.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        assert browser.post("/login", data=form, follow_redirects=False).status_code == 303
        # signed in, the pre-session token no longer passes; the session's own does
        assert (
            browser.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
            == 403
        )
        home = browser.get("/").text
        bound = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)  # type: ignore[union-attr]
        assert bound != token
        answer = browser.post("/logout", data={"csrf_token": bound}, follow_redirects=False)
        assert answer.status_code == 303


@pytest.mark.parametrize("email", ["nul\x00@test.kuznia", "\ud993\udffd\x00@x", "lone\ud800@x"])
def test_an_email_no_database_can_store_is_refused_not_a_server_error(world: World, email):
    import json

    with _client(world) as client:
        body = json.dumps({"email": email, "password": "whatever it is"})
        answer = client.post(
            "/api/v1/session", content=body, headers={"content-type": "application/json"}
        )
        assert answer.status_code in (401, 422)
        page = client.get("/login")
        token = page.cookies.get("kuznia_csrf") or client.cookies.get("kuznia_csrf")
        form = {"email": email.encode("utf-8", "replace").decode(), "password": "x",
                "csrf_token": token}  # fmt: skip
        assert client.post("/login", data=form, follow_redirects=False).status_code == 401


def test_the_login_service_refuses_an_unstorable_email_without_asking_the_database(world: World):
    from kuznia.errors import Unauthorized
    from kuznia.services.identity import sessions

    for email in ("a\x00b@test.kuznia", "lone\ud800@test.kuznia"):
        with pytest.raises(Unauthorized):
            sessions.log_in(world.database, email, PASSWORD, client="127.0.0.9",
                            policy=sessions.SessionPolicy())  # fmt: skip
