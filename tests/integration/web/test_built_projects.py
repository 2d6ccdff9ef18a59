"""A plan that builds capacity projects (``kuznia.plan/2``) produces on lines no proposal
declares: every page, download and evaluation that reads the plan's rows must know those lines
(the national demo's first plan builds ~80 projects; its overview once answered 500)."""

from __future__ import annotations

import re
import warnings

from sqlalchemy import select

from kuznia.db.planning import StoredPlan
from kuznia.scenario.io import parse_scenario
from kuznia.scenario.plan import Plan
from kuznia.services.jobs.worker import WorkerConfig
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.scenarios import import_scenario
from kuznia.services.wiring import make_worker
from kuznia.settings import load_settings
from tests.factories import format2_document, scenario_bytes
from tests.integration.web.sessions import coordinator_token

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

    from kuznia.api import create_app
    from kuznia.api.deps import SESSION_COOKIE

PAGES = (
    "/", "/flows", "/plan", "/plan?capability=fpv", "/what-if", "/plans", "/risk",
    "/downloads/plan.xlsx", "/downloads/plan.json", "/contracts/new",
)  # fmt: skip


def test_every_page_reads_a_plan_that_builds_projects(database, database_url) -> None:
    with database.unit_of_work(Actor.system("test")) as uow:
        import_scenario(uow, parse_scenario(scenario_bytes(format2_document())))
    settings = load_settings(database_url=database_url)
    worker = make_worker(database, settings, WorkerConfig(poll_seconds=0.1))
    app = create_app(settings, database=database)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        client.get("/")
        assert worker.run_once()
        with database.reading() as session:
            stored = session.scalars(select(StoredPlan)).one()
            plan = Plan.model_validate(stored.document)
        assert [b.project for b in plan.builds or ()] == ["proj-fpv"]
        assert any(r.proposal == "proj-fpv" for r in plan.production)
        for path in ("/", "/flows"):
            assert client.get(path).status_code == 200, path
        client.cookies.set(SESSION_COOKIE, coordinator_token(database))
        for path in PAGES:
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.text[:300])
        for entity in REGISTRIES:
            listed = client.get(f"/registries/{entity}")
            assert listed.status_code == 200, entity
            for ident in sorted(
                set(re.findall(rf'href="/registries/{entity}/([^"/]+)"', listed.text)) - {"new"}
            ):
                shown = client.get(f"/registries/{entity}/{ident}")
                assert shown.status_code == 200, (entity, ident, shown.text[:300])
