"""The one registry listing over HTTP and the web: sorting, filtering and searching only by
fields the reader sees; a forged or malformed cursor is bad input naming ``cursor`` (422),
never a server error; the API's cursor pages and the web's page numbers list the same rows."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select

from kuznia.api.deps import SESSION_COOKIE
from kuznia.errors import InvalidInput
from kuznia.services.access.policy import Viewer
from kuznia.services.identity.sessions import SessionPolicy, log_in
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.listing import ListQuery, list_records
from kuznia.services.registries.records import document
from tests.integration.api.world import PASSWORD, World


def _cursor(raw: object) -> str:
    text = raw if isinstance(raw, bytes) else json.dumps(raw).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


FORGED = [
    "%%%not-base64%%%",
    "A",
    _cursor(b"\xff\xfe not json"),
    _cursor(["sites:seq", 2**200, "site-1"]),
    _cursor(["sites:seq", -1, "site-1"]),
    _cursor(["sites:seq", 1.5, "site-1"]),
    _cursor(["sites:seq", 1, 2**70]),
    _cursor(["sites:seq", 1, None]),
    _cursor(["sites:seq", 1]),
    _cursor({"a": 1, "b": 2, "c": 3}),
    _cursor(["sites:name", 10**30, "site-1"]),
    _cursor(["pledges:amount_cents", 2**64, "p"]),
    _cursor(["pledges:amount_cents", "NaN", "p"]),
    _cursor("[" * 200),
]


@pytest.mark.parametrize("entity", ["sites", "pledges"])
def test_a_forged_or_malformed_cursor_is_bad_input_naming_the_cursor(client, world, entity):
    for sort in ("seq", "-seq", "amount_cents" if entity == "pledges" else "name"):
        for forged in FORGED:
            cursor = forged.replace("sites:", f"{entity}:")
            answer = client.get(
                f"/api/v1/{entity}", params={"cursor": cursor, "sort": sort},
                headers=world.headers("coordinator"),
            )  # fmt: skip
            assert answer.status_code == 422, (sort, cursor, answer.text)
            assert "cursor" in answer.text


def test_a_forged_audit_cursor_is_bad_input_too(client, world):
    for raw in (["audit", 2**100, 1], ["audit", 1, -(2**90)], ["audit", "x", 1]):
        answer = client.get(
            "/api/v1/audit", params={"cursor": _cursor(raw)}, headers=world.headers("auditor")
        )
        assert answer.status_code == 422, answer.text
        assert "cursor" in answer.text


def test_a_reader_may_not_sort_by_a_secret_field_it_does_not_see_everywhere(client, world):
    assert client.get("/api/v1/sites?sort=latitude", headers=world.headers("auditor")).json()[
        "errors"
    ]  # the API offers no such order at all (a nullable column)
    with world.database.reading() as session:
        for role in ("partner", "auditor"):
            viewer = Viewer.of(session, world.actors[role])
            for query in (
                ListQuery(sort="latitude", offset=0),
                ListQuery(sort="-address", offset=0),
            ):
                with pytest.raises(InvalidInput) as refused:
                    list_records(session, viewer, "sites", query)
                assert refused.value.problems[0].path == "sort"
                assert "secret" in refused.value.problems[0].message
        for role in ("coordinator", "company"):  # the company lists only its own sites
            viewer = Viewer.of(session, world.actors[role])
            found = list_records(session, viewer, "sites", ListQuery(sort="-latitude", offset=0))
            latitudes = [s["latitude"] for s in found.items]
            assert latitudes == sorted(latitudes, reverse=True)
            assert all(not hidden for hidden in found.hidden)


def test_cursor_pages_and_page_numbers_list_the_same_records(client, world: World):
    for _ in range(4):
        world.site("a")
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "sort": "name", **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/sites", params=params, headers=world.headers("auditor")).json()
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 7
    assert all(s["address"] is None for s in client.get(
        "/api/v1/sites?limit=200", headers=world.headers("auditor")).json()["items"])  # fmt: skip


def _sign_in(client, world: World, role: str) -> None:
    signed = log_in(world.database, f"{role}@test.kuznia", PASSWORD, client="t",
                    policy=SessionPolicy())  # fmt: skip
    client.cookies.set(SESSION_COOKIE, signed.token)


def test_the_web_refuses_to_sort_by_a_secret_column_and_says_so(client, world: World):
    _sign_in(client, world, "auditor")
    page = client.get("/registries/sites?sort=latitude")
    assert page.status_code == 200
    assert "it is secret for you" in page.text
    assert 'href="/registries/sites?sort=latitude"' not in page.text  # no sort link offered
    for bad in ("?sort=-address", "?sort=longitude&page=99999999999999999999", "?page=9" * 3):
        assert client.get(f"/registries/sites{bad}").status_code < 500
    _sign_in(client, world, "coordinator")
    page = client.get("/registries/sites?sort=latitude")
    assert "it is secret for you" not in page.text


@pytest.mark.parametrize("entity", list(REGISTRIES))
def test_every_registry_page_lists_under_each_role_without_a_server_error(client, world, entity):
    for role in ("coordinator", "partner", "company", "auditor"):
        _sign_in(client, world, role)
        for query in ("", "?sort=-id", "?q=a&page=2", "?sort=nonsense"):
            assert client.get(f"/registries/{entity}{query}").status_code < 500


LISTERS = ("partner", "other_partner", "company", "other_company", "coordinator", "investor")


def _every_row(world: World, entity: str) -> list[dict[str, object]]:
    with world.database.reading() as session:
        return [document(row) for row in session.scalars(select(REGISTRIES[entity].model))]


def _listed_ids(world: World, actor_name: str, entity: str, query: ListQuery) -> set[str]:
    with world.database.reading() as session:
        viewer = Viewer.of(session, world.actors[actor_name])
        found = list_records(session, viewer, entity, query)
    return {str(item["id"]) for item in found.items}


@pytest.mark.parametrize("entity", sorted(REGISTRIES))
def test_a_page_statement_kept_for_one_reader_never_serves_another(world: World, entity: str):
    """Pages are listed from statements kept per shape and reader (``listing._statements``):
    one reader after another, and back, each gets exactly the rows its own rules admit, as the
    rules judge each row in Python (``Viewer.may``), not as the SQL of another reader would."""
    world.contract("a")
    world.contract("b")
    rows = _every_row(world, entity)
    query = ListQuery(limit=200)
    for actor_name in (*LISTERS, *reversed(LISTERS)):
        with world.database.reading() as session:
            viewer = Viewer.of(session, world.actors[actor_name])
        if viewer.grant(entity) is None:
            continue
        expected = {str(r["id"]) for r in rows if viewer.may(entity, r)}
        assert _listed_ids(world, actor_name, entity, query) == expected, actor_name


@pytest.mark.parametrize("entity", sorted(REGISTRIES))
def test_a_page_redacts_each_row_as_the_viewer_redacts_it_alone(world: World, entity: str):
    """A page is redacted in one pass (``Viewer.redact_all``): each item is what ``redact``
    gives for its row alone, and the fields a page marks withheld are the secret fields hidden
    from the reader that hold a value, for every registry and reader."""
    world.contract("a")
    query = ListQuery(limit=200)
    for actor_name in LISTERS:
        with world.database.reading() as session:
            viewer = Viewer.of(session, world.actors[actor_name])
            if viewer.grant(entity) is None:
                continue
            found = list_records(session, viewer, entity, query)
            stored = {r["id"]: r for r in _every_row(world, entity)}
            for item, hidden in zip(found.items, found.hidden, strict=True):
                row = {k: stored[item["id"]][k] for k in item}
                assert item == viewer.redact(entity, row), actor_name
                withheld = {f for f in viewer.hidden_fields(entity, row) if row[f] is not None}
                assert hidden == withheld, actor_name
