"""``kuznia scenario import`` of a file with a ``risk`` section: its classes are saved, the
registered sites listed in it are classed, and what was not loaded is said (docs/risk.md)."""

from __future__ import annotations

from sqlalchemy import select

from kuznia.cli.main import run
from kuznia.db.resilience import RiskClassRow, SiteRisk
from kuznia.demo import generate
from kuznia.risk import RiskSite
from kuznia.risk.demo import demo_risk
from kuznia.scenario.io import dump_scenario
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.demo import load_world

NOWHERE = RiskSite(id="site-nowhere", risk_class="front_line", proposals=())


def test_importing_a_section_classes_registered_sites_and_names_the_others(
    database, database_url, tmp_path, capsys
) -> None:
    world = generate("small", 1)
    with database.unit_of_work(Actor.system("test")) as uow:
        load_world(uow, world)
    section = demo_risk(world)
    section = section.model_copy(update={"sites": (*section.sites, NOWHERE)})
    path = tmp_path / "with-risk.json"
    path.write_bytes(dump_scenario(world.scenario.model_copy(update={"risk": section})))
    capsys.readouterr()
    assert run(["--database-url", database_url, "scenario", "import", str(path)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    registered = len(section.sites) - 1
    assert f"risk classes: {len(section.classes)} created, 0 updated" in printed
    assert f"sites' risk classes: {registered} created, 0 updated, 0 unchanged" in printed
    assert "1 site(s) not in the registry, not classed: site-nowhere" in printed
    with database.reading() as session:
        classes = dict(session.execute(select(SiteRisk.site_id, SiteRisk.risk_class_id)).all())
        assert set(session.scalars(select(RiskClassRow.id))) == {c.id for c in section.classes}
    assert classes == {s.id: s.risk_class for s in section.sites if s.id != NOWHERE.id}
    assert run(["--database-url", database_url, "scenario", "import", str(path)]) == 0
    again = " ".join(capsys.readouterr().out.split())
    assert f"sites' risk classes: 0 created, 0 updated, {registered} unchanged" in again


def test_a_file_without_a_section_leaves_the_risk_model_alone(
    database, database_url, tmp_path, capsys
) -> None:
    world = generate("small", 1)
    path = tmp_path / "plain.json"
    path.write_bytes(dump_scenario(world.scenario))
    assert run(["--database-url", database_url, "scenario", "import", str(path)]) == 0
    assert "risk" not in capsys.readouterr().out
    with database.reading() as session:
        assert session.scalars(select(RiskClassRow.id)).first() is None
