"""The investor view through the API (issue 17, items 4 and 5): where capacity is missing and
the projects ranked by value per million of capex, answering a firm, a partner, an investor and
the public with exactly what each may see; a project's matching with the money that would pay
its capex."""

from __future__ import annotations

from typing import Any

import pytest

from kuznia.services.kernel.actors import Actor
from kuznia.services.planning.runs import run_plan
from kuznia.services.registries import records
from tests.integration.api.conftest import TestClient
from tests.integration.api.world import World, record_body

ANONYMOUS: dict[str, str] = {}


def _project(world: World, company: str, site_country: str, *steps: str) -> str:
    body = {**record_body("capacity_projects", company=company, partner="-"),
            "site_country": site_country}  # fmt: skip
    project = world.create("capacity_projects", body)
    with world.database.unit_of_work(Actor.system("test")) as uow:
        for status in steps:
            records.change_project_status(uow, project, status, None)
    return project


def _pledge(world: World, partner: str, **earmarks: Any) -> str:
    body = {
        **record_body("pledges", company="-", partner=partner),
        "status": "confirmed",
        "amount_cents": 2_000_000_000,
        "purposes": ["production", "investment"],
        **earmarks,
    }
    return world.create("pledges", body)


@pytest.fixture(name="invest")
def invest_fixture(world: World) -> dict[str, str]:
    """The world's investor; a need, a vetted line of co-a; projects: co-a's plant in Denmark
    (host still open), co-c's (German) factory in Ukraine, co-b's submitted one; investment
    pledges of Denmark (earmarked to sites in Denmark) and Germany (no earmark); a plan."""
    # the world seeds the investor (firm co-inv, GB; fund fund-n) with the other roles
    world.create("requirements", {"capability_id": "cap-1", "quantity": 5000,
                                  "due_month": "2026-06", "priority": 3.0})  # fmt: skip
    line = world.create("proposals", record_body("proposals", company="co-a", partner="-"))
    with world.database.unit_of_work(Actor.system("test")) as uow:
        records.review_proposal(uow, line, "vetted", None)
    made = {
        "abroad": _project(world, "co-a", "DK", "vetted"),
        "foreign": _project(world, "co-c", "UA", "vetted"),
        "submitted": _project(world, "co-b", "UA"),
        "dk": _pledge(world, "partner-dk", earmark_site_countries=["DK"]),
        "de": _pledge(world, "partner-de"),
    }
    run_plan(world.database, world.actors["coordinator"], label="invest")
    return made


def _get(client: TestClient, world: World, role: str | None, path: str) -> Any:
    headers = world.headers(role) if role else ANONYMOUS
    answer = client.get(f"/api/v1/invest/{path}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _projects(client: TestClient, world: World, role: str | None) -> set[str]:
    return {p["project"] for p in _get(client, world, role, "projects")["items"]}


def test_each_role_sees_exactly_the_projects_its_rule_gives_it(
    client: TestClient, world: World, invest: dict[str, str]
):
    abroad, foreign = invest["abroad"], invest["foreign"]
    assert _projects(client, world, "coordinator") == {abroad, foreign}
    assert _projects(client, world, "auditor") == {abroad, foreign}
    assert _projects(client, world, "investor") == {abroad, foreign}  # open for investment
    assert _projects(client, world, "company") == {abroad}  # co-a's own
    assert _projects(client, world, "other_company") == set()  # co-b's is not planned
    assert _projects(client, world, "partner") == {abroad}  # Denmark pays sites in Denmark
    assert _projects(client, world, "other_partner") == {abroad, foreign}  # no earmark
    assert _projects(client, world, None) == set()  # the public: aggregates only


def test_no_project_carries_its_site_and_each_is_valued_per_million_of_capex(
    client: TestClient, world: World, invest: dict[str, str]
):
    page = _get(client, world, "investor", "projects")
    assert page["plan_format"] == "kuznia.plan/2"
    for item in page["items"]:
        assert not {"site_id", "address", "latitude", "longitude"} & set(item)
        assert item["capex"] == "12000000.00"
        assert item["value_per_million"] == pytest.approx(item["value"] / 12)
        assert item["built_from"] or item["unbuilt_reason"]


def test_the_public_sees_aggregates_per_capability_without_a_firm_s_own_figures(
    client: TestClient, world: World, invest: dict[str, str]
):
    public = _get(client, world, None, "gaps")
    (cap,) = public["items"]
    assert (cap["capability"], cap["needed_units"]) == ("cap-1", 5000)
    assert public["split"] is False
    assert [c["site_country"] for c in cap["cells"]] == ["*"]  # one firm's line: folded
    assert len(cap["gap_by_month"]) == len(public["months"])
    for role in ("investor", "company"):
        assert _get(client, world, role, "gaps")["items"][0]["cells"] == cap["cells"]
    partner = _get(client, world, "partner", "gaps")
    assert partner["split"] is True
    assert [c["site_country"] for c in partner["items"][0]["cells"]] == ["UA"]


def test_a_ukrainian_firms_project_abroad_is_matched_with_host_countries_by_who_may_know(
    client: TestClient, world: World, invest: dict[str, str]
):
    path = f"projects/{invest['abroad']}/matching"
    full = _get(client, world, "coordinator", path)
    assert full["mode"] == "hosts"
    hosts = {h["country"]: h for h in full["hosts"]}
    assert set(hosts) == {"DE", "DK"}  # partners' countries where a pledge would pay
    assert {g["pledge"] for g in hosts["DK"]["pledges"]} == {invest["dk"], invest["de"]}
    assert {g["pledge"] for g in hosts["DE"]["pledges"]} == {invest["de"]}
    assert hosts["DK"]["covers_capex"]
    assert hosts["DK"]["left"] is not None
    assert all(h["gain"] >= 0 and h["start_month"] for h in full["hosts"])
    firm = {h["country"]: h for h in _get(client, world, "company", path)["hosts"]}
    assert (firm["DK"]["pledges"], firm["DK"]["unnamed"], firm["DK"]["left"]) == ([], 2, None)
    assert firm["DK"]["gain"] == hosts["DK"]["gain"]
    partner = {h["country"]: h for h in _get(client, world, "partner", path)["hosts"]}
    assert [g["pledge"] for g in partner["DK"]["pledges"]] == [invest["dk"]]
    assert partner["DK"]["unnamed"] == 1


def test_a_foreign_firms_project_in_ukraine_lists_the_eligible_investment_pledges(
    client: TestClient, world: World, invest: dict[str, str]
):
    found = _get(client, world, "coordinator", f"projects/{invest['foreign']}/matching")
    assert found["mode"] == "site"
    (ukraine,) = found["hosts"]
    assert ukraine["country"] == "UA"
    assert [g["pledge"] for g in ukraine["pledges"]] == [invest["de"]]  # not Denmark's


def test_a_project_the_reader_may_not_see_has_no_matching(
    client: TestClient, world: World, invest: dict[str, str]
):
    path = f"/api/v1/invest/projects/{invest['submitted']}/matching"
    assert client.get(path, headers=world.headers("investor")).status_code == 404
    assert client.get(path, headers=world.headers("other_company")).status_code == 200
    assert client.get(path).status_code == 401


def test_the_ranked_lists_page_within_one_plan(
    client: TestClient, world: World, invest: dict[str, str]
):
    headers = world.headers("coordinator")
    first = client.get("/api/v1/invest/projects?limit=1", headers=headers).json()
    assert len(first["items"]) == 1
    assert first["next_cursor"]
    rest = client.get(
        f"/api/v1/invest/projects?limit=1&cursor={first['next_cursor']}", headers=headers
    ).json()
    assert rest["items"][0]["project"] != first["items"][0]["project"]
    assert rest["next_cursor"] is None
    wrong = client.get("/api/v1/invest/gaps?cursor=bm90LWEtY3Vyc29y", headers=headers)
    assert wrong.status_code == 422
    assert wrong.headers["content-type"].startswith("application/problem+json")
