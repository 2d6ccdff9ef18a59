"""The investor view's page (``/invest``) and a capacity project's matching on its record page,
answering the public, an investor, a firm and a partner with exactly what each may see."""

from __future__ import annotations

import pytest

from kuznia.api.deps import SESSION_COOKIE
from kuznia.services.identity.sessions import SessionPolicy, log_in
from tests.integration.api.conftest import TestClient
from tests.integration.api.test_invest_view import invest_fixture  # noqa: F401 - "invest"
from tests.integration.api.world import PASSWORD, World


def _page(client: TestClient, world: World, role: str | None, path: str = "/invest") -> str:
    client.cookies.clear()
    if role is not None:
        signed = log_in(world.database, f"{role}@test.kuznia", PASSWORD, client="t",
                        policy=SessionPolicy())  # fmt: skip
        client.cookies.set(SESSION_COOKIE, signed.token)
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    return answer.text


@pytest.mark.parametrize(
    ("role", "seen", "unseen"),
    [
        ("coordinator", ("abroad", "foreign"), ()),
        ("investor", ("abroad", "foreign"), ("submitted",)),
        ("company", ("abroad",), ("foreign", "submitted")),
        ("partner", ("abroad",), ("foreign", "submitted")),
    ],
)
def test_the_page_lists_the_projects_each_role_may_see(
    client: TestClient, world: World, invest: dict[str, str], role: str, seen, unseen
):
    html = _page(client, world, role)
    assert 'id="missing"' in html  # the chart of where capacity is missing
    assert 'id="invest-projects"' in html
    for key in seen:
        assert f"/registries/capacity_projects/{invest[key]}" in html
    for key in unseen:
        assert invest[key] not in html


def test_the_public_sees_aggregates_per_capability_and_no_project(
    client: TestClient, world: World, invest: dict[str, str]
):
    html = _page(client, world, None)
    assert 'id="invest-gaps"' in html
    assert 'id="invest-folded"' in html
    assert 'id="invest-projects"' not in html
    assert not any(invest[k] in html for k in ("abroad", "foreign", "submitted"))
    assert "co-a" not in html
    assert "co-c" not in html
    assert 'href="/invest"' in html  # in the menu of a visitor too


def test_the_page_speaks_ukrainian(client: TestClient, world: World, invest: dict[str, str]):
    client.cookies.set("kuznia_lang", "uk")
    html = client.get("/invest", headers={"Accept-Language": "uk"}).text
    assert 'lang="uk"' in html


def test_a_projects_page_shows_its_matching_naming_only_the_pledges_the_reader_may_read(
    client: TestClient, world: World, invest: dict[str, str]
):
    path = f"/registries/capacity_projects/{invest['abroad']}"
    full = _page(client, world, "coordinator", path)
    assert 'id="matching-table"' in full
    assert invest["dk"] in full
    assert invest["de"] in full
    firm = _page(client, world, "company", path)
    assert 'id="matching-table"' in firm
    assert invest["dk"] not in firm
    assert invest["de"] not in firm
    assert "2 pledges you may not see" in firm
    foreign = _page(client, world, "investor", f"/registries/capacity_projects/{invest['foreign']}")
    assert invest["de"] not in foreign
    assert "1 pledge you may not see" in foreign
