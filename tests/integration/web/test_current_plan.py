"""Pages never solve and never answer 503 while a plan is computed: the first visit queues the
current plan as a job and says so; afterwards every page shows the stored plan, and when the
inputs change, the last stored plan with a notice while the new one is computed."""

from __future__ import annotations

import threading
import warnings

from sqlalchemy import func, select

from kuznia.api import create_app
from kuznia.db.jobs import Job
from kuznia.db.planning import StoredPlan
from kuznia.scenario.io import parse_scenario
from kuznia.services.jobs.worker import WorkerConfig
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.scenarios import import_scenario
from kuznia.services.wiring import make_worker
from kuznia.settings import load_settings
from tests.factories import scenario_bytes, scenario_document
from tests.integration.web.sessions import coordinator_token

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PENDING = "Computing the current plan"
NOTICE = "This is the last stored plan."


def _import(database, doc=None):
    with database.unit_of_work(Actor.system("test")) as uow:
        import_scenario(uow, parse_scenario(scenario_bytes(doc)))


def _count(database, model):
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_first_visit_queues_one_plan_job_and_the_page_says_so(database, database_url):
    _import(database)
    settings = load_settings(database_url=database_url)
    with TestClient(create_app(settings, database=database)) as client:
        first = client.get("/")
        second = client.get("/flows")
        assert first.status_code == 200
        assert PENDING in first.text
        assert first.headers["Retry-After"] == "3"
        assert second.status_code == 200
        assert _count(database, Job) == 1
        assert _count(database, StoredPlan) == 0

        worker = make_worker(database, settings, WorkerConfig(poll_seconds=0.1))
        assert worker.run_once()
        shown = client.get("/")
        assert shown.status_code == 200
        assert "Retry-After" not in shown.headers
        assert PENDING not in shown.text
        assert NOTICE not in shown.text
        assert _count(database, StoredPlan) == 1


def test_changed_inputs_show_the_last_plan_with_a_notice_until_the_new_one_is_stored(
    database, database_url
):
    _import(database)
    settings = load_settings(database_url=database_url)
    worker = make_worker(database, settings, WorkerConfig(poll_seconds=0.1))
    with TestClient(create_app(settings, database=database)) as client:
        client.get("/")
        assert worker.run_once()
        doc = scenario_document()
        doc["pledges"][0]["amount"] = "400000.00"
        _import(database, doc)
        changed = client.get("/")
        assert changed.status_code == 200
        assert NOTICE in changed.text
        assert _count(database, Job) == 2
        assert worker.run_once()
        assert NOTICE not in client.get("/").text
        assert _count(database, StoredPlan) == 2


def _first_plan_stored(database, database_url):
    """The scenario imported and its first plan stored by a worker, as a first visit queues
    it; the settings and the worker, for more."""
    _import(database)
    settings = load_settings(database_url=database_url)
    worker = make_worker(database, settings, WorkerConfig(poll_seconds=0.1))
    with TestClient(create_app(settings, database=database)) as client:
        client.get("/")
        assert worker.run_once()  # the plan is stored
    return settings, worker


def _warmed_app(settings, database, monkeypatch, watch_seconds=0.0):
    from kuznia.web import warming

    warmed = []
    started = warming.warm_in_background
    monkeypatch.setattr(
        "kuznia.api.app.warm_in_background",
        lambda app: warmed.append(started(app, watch_seconds=watch_seconds)),
    )
    return create_app(settings, database=database, warm_plans=True), warmed


def test_a_server_started_with_warm_plans_has_read_the_stored_plan_before_the_first_visit(
    database, database_url, monkeypatch
):
    from kuznia.services.planning import views

    settings, _ = _first_plan_stored(database, database_url)
    app, warmed = _warmed_app(settings, database, monkeypatch)
    with TestClient(app) as client:
        warmed[0].join(60)
        reads = []
        monkeypatch.setattr(views, "_plan_of", lambda row: reads.append(row) or None)
        page = client.get("/")
        assert page.status_code == 200
        assert PENDING not in page.text
        assert NOTICE not in page.text
        assert reads == []  # the first visit found the plan parsed and checked
    assert _count(database, Job) == 1


def _plan_page_made(monkeypatch) -> list[str]:
    """Each time the plan page's parts are made (not found remembered), its language."""
    from kuznia.web.routes import planning

    made: list[str] = []
    original = planning._plan_parts

    def counted(web, lang, session, actor, shown):
        made.append(lang)
        return original(web, lang, session, actor, shown)

    monkeypatch.setattr(planning, "_plan_parts", counted)
    return made


def test_a_server_started_with_warm_plans_has_made_the_coordinators_plan_page(
    database, database_url, monkeypatch
):
    from kuznia.api.deps import SESSION_COOKIE

    settings, _ = _first_plan_stored(database, database_url)
    cookie = coordinator_token(database)
    made = _plan_page_made(monkeypatch)
    app, warmed = _warmed_app(settings, database, monkeypatch)
    with TestClient(app) as client:
        warmed[0].join(60)
        assert sorted(made) == ["en", "uk"]  # made once in each language, before any visit
        client.cookies.set(SESSION_COOKIE, cookie)
        page = client.get("/plan")
        assert page.status_code == 200
        assert len(made) == 2  # found made, not made again


def test_a_new_stored_plan_is_warmed_before_the_first_visit(database, database_url, monkeypatch):
    import time

    from kuznia.api.deps import SESSION_COOKIE

    settings, worker = _first_plan_stored(database, database_url)
    cookie = coordinator_token(database)
    app, warmed = _warmed_app(settings, database, monkeypatch, watch_seconds=0.05)
    with TestClient(app) as client:
        warmed[0].join(60)
        doc = scenario_document()
        doc["pledges"][0]["amount"] = "400000.00"
        _import(database, doc)
        client.get("/")  # queues the new plan's job, as any visit would
        made = _plan_page_made(monkeypatch)
        assert worker.run_once()  # stored by a worker: the server only sees a new plan row
        deadline = time.monotonic() + 60
        while sorted(made) != ["en", "uk"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sorted(made) == ["en", "uk"]
        client.cookies.set(SESSION_COOKIE, cookie)
        page = client.get("/plan")
        assert page.status_code == 200
        assert NOTICE not in page.text
        assert len(made) == 2  # the visit found it made
    for thread in threading.enumerate():  # the watcher ends with the server's event loop
        if thread.name == "kuznia-watch-plans":
            thread.join(10)
            assert not thread.is_alive()
