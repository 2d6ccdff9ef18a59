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
from kuznia.services.access.policy import Viewer, columns_of
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
DENMARK = Actor(role=Role.PARTNER, label="dk", partner_id="partner-dk")
GERMANY = Actor(role=Role.PARTNER, label="de", partner_id="partner-de")
AUDITOR = Actor(role=Role.AUDITOR, label="auditor")


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


def test_a_partner_sees_the_classes_of_its_own_countrys_sites_and_of_no_other(database) -> None:
    world = _world(database)
    country = {s.id: s.country for s in world.sites}
    of = {c: sorted(s for s, k in country.items() if k == c) for c in ("DK", "DE", "UA")}
    assert of["DK"]
    assert of["DE"]
    assert of["DK"] != of["DE"]
    with database.reading() as session:
        listed = {
            actor.label: [
                r["site_id"] for r in reading.site_classes(session, Viewer.of(session, actor))
            ]
            for actor in (SYSTEM, DENMARK, GERMANY, AUDITOR)
        }
        dk = Viewer.of(session, DENMARK)
        rows = {r.site_id: columns_of(r) for r in session.scalars(select(SiteRisk))}
        seen = {
            site
            for site, row in rows.items()
            if dk.redact("site_risks", dict(row))["risk_class_id"]
        }
        counts = {c["id"]: c["sites"] for c in classes.list_risk_classes(session, dk)}
    assert listed == {SYSTEM.label: sorted(country), "dk": of["DK"], "de": of["DE"], "auditor": []}
    assert seen == set(of["DK"])
    assert sum(counts.values()) == len(of["DK"])


def test_an_evaluations_sites_are_named_to_who_sees_their_class_else_a_letter(database) -> None:
    world = _world(database)
    by_country = {s.country: s for s in reversed(world.sites)}
    dk, de, ua = (by_country[c].id for c in ("DK", "DE", "UA"))
    listed = [{"site": s, "risk_class": "x", "expected_loss": 1.0, "struck_share": 0.5}
              for s in (dk, de, ua)]  # fmt: skip
    document = {"format": "kuznia.risk-evaluation/1", "sites": listed}
    with database.reading() as session:
        labels = {
            actor.label: [
                (s["label"], s["risk_class"])
                for s in reading.shown_sites(session, Viewer.of(session, actor), document)["sites"]
            ]
            for actor in (SYSTEM, DENMARK, GERMANY, AUDITOR)
        }
    name = {s.id: f"{s.name} ({s.id})" for s in world.sites}
    assert labels[SYSTEM.label] == [(name[dk], "x"), (name[de], "x"), (name[ua], "x")]
    assert labels["dk"] == [(name[dk], "x"), ("site B", "x"), ("site C", "x")]
    assert labels["de"] == [("site A", "x"), (name[de], "x"), ("site C", "x")]
    assert labels["auditor"] == [("site A", "x"), ("site B", "x"), ("site C", "x")]


def test_the_cli_lists_the_sites_classes_for_the_operator(database, database_url, capsys) -> None:
    from kuznia.cli.main import run

    world = _world(database)
    assert run(["--database-url", database_url, "risk", "sites", "--country", "dk"]) == 0
    printed = capsys.readouterr().out
    danish = [s for s in world.sites if s.country == "DK"]
    assert f"sites' risk classes: {len(danish)}" in printed
    assert all(s.id in printed for s in danish)
    assert not any(s.id in printed for s in world.sites if s.country != "DK")


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
