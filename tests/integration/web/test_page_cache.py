"""What pages derive from the stored plan is computed once per commit: a write, any write,
computes it again, and so does another plan in the same place."""

from __future__ import annotations

from dataclasses import replace

from kuznia.scenario.io import parse_scenario
from kuznia.services.jobs.worker import WorkerConfig
from kuznia.services.kernel.actors import Actor
from kuznia.services.planning.views import PlanCache, PlannedScenario
from kuznia.services.registries.scenarios import import_scenario
from kuznia.services.wiring import make_worker
from kuznia.settings import load_settings
from tests.factories import scenario_bytes, scenario_document


def _import(database, doc=None):
    with database.unit_of_work(Actor.system("test")) as uow:
        import_scenario(uow, parse_scenario(scenario_bytes(doc)))


def _planned(cache: PlanCache, database) -> PlannedScenario:
    with database.reading() as session:
        current = cache.current(session, database)
    assert current.planned is not None
    return current.planned


def test_derived_values_are_kept_until_the_next_commit(database, database_url):
    _import(database)
    settings = load_settings(database_url=database_url)
    cache = PlanCache()
    _planned_or_job = cache.current
    with database.reading() as session:
        assert _planned_or_job(session, database).planned is None  # queues the plan job
    assert make_worker(database, settings, WorkerConfig(poll_seconds=0.1)).run_once()
    planned = _planned(cache, database)
    computed: list[str] = []

    def derive(key: str, shown: PlannedScenario = planned) -> str:
        with database.reading() as session:
            return cache.derived(
                session, shown, key, lambda: computed.append(key) or f"{key}{len(computed)}"
            )

    assert derive("a") == "a1"
    assert derive("a") == "a1"
    assert derive("b") == "b2"
    assert computed == ["a", "b"]

    doc = scenario_document()
    doc["pledges"][0]["amount"] = "400000.00"
    _import(database, doc)
    assert derive("a") == "a3"
    assert derive("a") == "a3"

    another = replace(planned, plan=planned.plan.model_copy())
    assert derive("a", another) == "a4"
    assert computed == ["a", "b", "a", "a"]
