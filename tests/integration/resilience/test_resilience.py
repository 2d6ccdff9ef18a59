"""Resilience on the database: the coordinator's disruption model, evaluations as jobs, and
the most costly sites named only to who may see them."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy import select

from kuznia.api import create_app
from kuznia.db.resilience import RiskEvaluation, SiteRisk
from kuznia.demo import generate
from kuznia.errors import Conflict, Forbidden, InvalidInput
from kuznia.services.access.policy import Viewer
from kuznia.services.jobs.worker import WorkerConfig
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.planning.runs import run_plan
from kuznia.services.registries.demo import load_world
from kuznia.services.resilience import classes, reading
from kuznia.services.resilience.inputs import load_demo_risk, risk_section
from kuznia.services.resilience.jobs import submit_risk_job
from kuznia.services.wiring import make_worker
from kuznia.settings import load_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SYSTEM = Actor.system("test")
PARTNER = Actor(role=Role.PARTNER, label="partner", partner_id="nobody")


def _world(database):
    world = generate("small", 1)
    with database.unit_of_work(SYSTEM) as uow:
        load_world(uow, world)
        load_demo_risk(uow, world)
    return world


def test_the_database_model_names_every_site_with_its_lines(database) -> None:
    world = _world(database)
    with database.reading() as session:
        section = risk_section(session, world.scenario)
    assert len(section.sites) == len(world.sites)
    lines = {ln for s in section.sites for ln in s.proposals}
    assert lines == set(world.proposal_sites)


def test_a_class_in_use_is_not_deleted_and_bad_input_names_its_field(database) -> None:
    world = _world(database)
    with pytest.raises(Conflict, match="is the class of"), database.unit_of_work(SYSTEM) as uow:
        classes.delete_risk_class(uow, "front_line")
    bad = {"id": "x", "monthly_probability": 2, "durations": [{"months": 1, "probability": 1}]}
    with pytest.raises(InvalidInput) as err, database.unit_of_work(SYSTEM) as uow:
        classes.put_risk_class(uow, bad)
    assert err.value.problems[0].path == "monthly_probability"
    with pytest.raises(InvalidInput, match="risk_class_id"), database.unit_of_work(SYSTEM) as uow:
        classes.set_site_class(uow, world.sites[0].id, "nowhere")
    with pytest.raises(Forbidden), database.unit_of_work(PARTNER) as uow:
        classes.set_site_class(uow, world.sites[0].id, None)


def test_a_site_class_is_hidden_from_who_may_not_see_the_site_location(database) -> None:
    world = _world(database)
    with database.reading() as session:
        row = session.scalars(select(SiteRisk).limit(1)).one()
        document = {c.name: getattr(row, c.name) for c in row.__table__.c}
        assert Viewer.of(session, SYSTEM).redact("site_risks", dict(document))["risk_class_id"]
        hidden = Viewer.of(session, PARTNER).redact("site_risks", dict(document))
    assert hidden.get("risk_class_id") != document["risk_class_id"]
    assert world.sites


@pytest.mark.slow
def test_an_evaluation_runs_as_a_job_and_names_sites_only_to_who_may_see_them(
    database, database_url
) -> None:
    _world(database)
    plan = run_plan(database, SYSTEM, label="risk")
    with database.transaction() as session:
        submit_risk_job(session, SYSTEM, plan_id=plan["id"], paths=8, seed=3)
    settings = load_settings(database_url=database_url)
    worker = make_worker(database, settings, WorkerConfig(poll_seconds=0.1))
    assert worker.run_once()
    with database.reading() as session:
        stored = session.scalars(select(RiskEvaluation)).one()
        ministry = reading.get_evaluation(session, Viewer.of(session, SYSTEM), stored.id)
        partner = reading.get_evaluation(session, Viewer.of(session, PARTNER), stored.id)
    assert ministry["document"]["paths"] == 8
    ministry_labels = [s["label"] for s in ministry["document"]["sites"]]
    partner_labels = [s["label"] for s in partner["document"]["sites"]]
    assert ministry_labels
    assert all("site-" in label for label in ministry_labels)
    assert partner_labels == [f"site {chr(65 + i)}" for i in range(len(partner_labels))]
    with TestClient(create_app(settings, database=database)) as client:
        assert client.get("/risk").status_code in (200, 303)
