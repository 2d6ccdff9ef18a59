"""``kuznia serve --workers N`` as an operator starts it (issue 18, finding 9): N workers that
start and stay up on a busy machine, readiness through every one of them, JSON logs without
query values, and X-Forwarded-For not believed from local clients."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from kuznia.cli.main import run

WORKERS = 2
PASSWORD = "a long enough password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(url: str, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        started = log.read_text().count('started"') if log.exists() else 0
        try:
            if started >= WORKERS and httpx.get(f"{url}/api/v1/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"not ready in time; log:\n{log.read_text()[-3000:]}")


@pytest.mark.slow
def test_n_workers_start_healthy_and_log_json_without_secrets(tmp_path, monkeypatch):
    url_db = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSWORD + "\n"))
    assert run(["--database-url", url_db, "admin", "create", "--email", "ops@gov.ua",
                "--name", "Ops", "--password-stdin"]) == 0  # fmt: skip
    port, log = _free_port(), tmp_path / "serve.log"
    env = {**os.environ, "KUZNIA_DATABASE_URL": url_db}
    env.pop("KUZNIA_TRUSTED_PROXIES", None)
    kuznia = str(Path(sys.executable).parent / "kuznia")  # the console script operators run
    command = [kuznia, "serve", "--port", str(port), "--workers", str(WORKERS)]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, log, time.monotonic() + 240)
        secret = "kz_" + "s3cr3t" * 6
        assert httpx.get(f"{base}/api/v1/health?token={secret}").status_code == 200
        wrong = {"email": "ops@gov.ua", "password": "wrong password!"}
        waiting = 0
        deadline = time.monotonic() + 120
        while waiting < 8 and time.monotonic() < deadline:
            # fail until this client must wait 8 s or more (time enough for a slow machine to
            # send the next request inside it); a throttled attempt is not a failure, so wait
            # each delay out before failing again, whatever the machine's speed
            answer = httpx.post(f"{base}/api/v1/session", json=wrong,
                                headers={"X-Forwarded-For": "198.51.100.9"})  # fmt: skip
            if answer.status_code == 429:
                waiting = int(answer.headers["Retry-After"])
                if waiting < 8:
                    time.sleep(waiting)
        assert waiting >= 8, "the failures never made this client wait 8 s"
        right = {"email": "ops@gov.ua", "password": PASSWORD}
        throttled = httpx.post(f"{base}/api/v1/session", json=right,
                               headers={"X-Forwarded-For": "203.0.113.5"})  # fmt: skip
        assert throttled.status_code == 429  # both counted against 127.0.0.1, not the header
        time.sleep(1)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    text = log.read_text()
    assert "died" not in text
    assert text.count('started"') >= WORKERS
    assert secret not in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "kuznia.access"]
    assert {"request_id", "route", "status", "duration_ms"} <= set(access[-1])
    assert any(line["query_keys"] == ["token"] for line in access)
    assert all(line["client"] == "127.0.0.1" for line in access)


def _login(seen: list[str], role: str) -> tuple[str, str]:
    """The email and password of ``role``'s demo login, from the table ``kuznia start`` printed."""
    for line in seen:
        cells = [cell.strip() for cell in line.split("│")]
        if len(cells) > 4 and cells[1] == role:
            return cells[3], cells[4]
    raise AssertionError(f"no {role} login printed:\n" + "".join(seen))


def _first_plan(base: str, email: str, password: str) -> dict[str, object]:
    """The first stored plan, as the coordinator sees it, waited for (the job worker's)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        login = client.post("/api/v1/session", json={"email": email, "password": password})
        assert login.is_success, login.text
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            items = client.get("/api/v1/plans").json()["items"]
            if items:
                assert "Computing the current plan" not in client.get("/").text
                return dict(items[0])
            time.sleep(0.5)
    raise AssertionError("no plan stored within 180 s of the server answering")


@pytest.mark.slow
def test_start_says_where_to_open_it_only_once_it_answers_there(tmp_path):
    """The quick start's last line is the address: a browser opened at once gets a page, not a
    refused connection while the server is still importing. The demo's first plan is computed
    by the server's job worker meanwhile, and the coordinator then sees it."""
    port = _free_port()
    env = {**os.environ, "KUZNIA_DATABASE_URL": f"sqlite:///{tmp_path / 'start.sqlite3'}",
           "COLUMNS": "200"}  # fmt: skip
    kuznia = str(Path(sys.executable).parent / "kuznia")
    command = [kuznia, "start", "--scale", "small", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, cwd=tmp_path)  # fmt: skip
    assert server.stdout is not None
    seen: list[str] = []
    try:
        for line in server.stdout:
            seen.append(line)
            if f"Open http://127.0.0.1:{port}/" in line:
                with socket.create_connection(("127.0.0.1", port), timeout=5):
                    pass  # it listens: refused before, it would raise here
                assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200
                break
        else:
            pytest.fail("never said where to open it:\n" + "".join(seen[-30:]))
        login = _login(seen, "coordinator")
        # the server's logs read meanwhile: a full pipe would stop the server writing them
        draining = threading.Thread(target=lambda: seen.extend(server.stdout or ()))
        draining.start()
        plan = _first_plan(f"http://127.0.0.1:{port}", *login)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    draining.join(timeout=10)
    server.stdout.close()
    assert plan["label"] == "current plan"
    assert any("Uvicorn running" in line for line in seen)


def test_serve_on_a_port_taken_by_another_server_fails_with_a_non_zero_status(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "KUZNIA_DATABASE_URL": f"sqlite:///{tmp_path / 'taken.sqlite3'}"}
        kuznia = str(Path(sys.executable).parent / "kuznia")
        done = subprocess.run([kuznia, "serve", "--port", str(port), "--no-job-worker"], env=env,
                              capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode != 0
    assert "address already in use" in done.stderr.lower() + done.stdout.lower()
