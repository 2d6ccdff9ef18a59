"""Registry routes: reading with redaction, safe writes, paging, errors as problem+json."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.integration.api.conftest import TestClient, make_client
from tests.integration.api.world import World


def test_a_partner_sees_site_locations_only_in_its_own_country(client, world: World):
    answer = client.get("/api/v1/sites?limit=200", headers=world.headers("partner"))
    assert answer.status_code == 200
    for site in answer.json()["items"]:
        assert (site["address"] is not None) == (site["country"] == "DK")


def test_a_company_lists_only_its_own_sites_with_their_locations(client, world: World):
    items = client.get("/api/v1/sites", headers=world.headers("company")).json()["items"]
    assert {s["company_id"] for s in items} == {"co-a"}
    assert all(s["address"].startswith("SECRET-") for s in items)


def test_an_update_needs_the_current_etag(client, world: World):
    site_id = world.record("sites", "a")
    headers = world.headers("company")
    read = client.get(f"/api/v1/sites/{site_id}", headers=headers)
    tag = read.headers["ETag"]
    missing = client.patch(f"/api/v1/sites/{site_id}", json={"name": "x"}, headers=headers)
    assert missing.status_code == 428
    first = client.patch(
        f"/api/v1/sites/{site_id}", json={"name": "First"}, headers={**headers, "If-Match": tag}
    )
    assert first.status_code == 200
    assert first.headers["ETag"] == '"2"'
    stale = client.patch(
        f"/api/v1/sites/{site_id}", json={"name": "Second"}, headers={**headers, "If-Match": tag}
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"


def test_a_retried_creation_with_the_same_key_creates_nothing_more(client, world: World):
    headers = {**world.headers("coordinator"), "Idempotency-Key": "abc-1"}
    body = {"name": "Shell", "unit": "round"}
    first = client.post("/api/v1/capabilities", json=body, headers=headers)
    again = client.post("/api/v1/capabilities", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    listed = client.get("/api/v1/capabilities?limit=200", headers=headers).json()["items"]
    assert [c["name"] for c in listed].count("Shell") == 1
    other = client.post("/api/v1/capabilities", json={**body, "unit": "x"}, headers=headers)
    assert other.status_code == 422


def test_unknown_fields_are_refused_naming_the_field(client, world: World):
    answer = client.post(
        "/api/v1/capabilities",
        json={"name": "A", "unit": "u", "colour": "red"},
        headers=world.headers("coordinator"),
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert {"field": "body.colour", "detail": "unknown field"} in problem["errors"]


def test_paging_by_cursor_visits_every_record_once(client, world: World):
    for _ in range(5):
        world.record("capabilities", "a")
    headers = world.headers("auditor")
    seen: list[str] = []
    cursor = None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/v1/capabilities?{query}", headers=headers).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = client.get("/api/v1/capabilities?limit=200", headers=headers).json()["items"]
    assert sorted(seen) == sorted(c["id"] for c in everything)
    assert len(seen) == len(set(seen)) == 6


def test_every_change_is_in_the_audit_trail_with_before_and_after(client, world: World):
    site_id = world.record("sites", "a")
    headers = {**world.headers("company"), "If-Match": "*"}
    client.patch(f"/api/v1/sites/{site_id}", json={"name": "Moved"}, headers=headers)
    trail = client.get(
        f"/api/v1/audit?entity=sites&record_id={site_id}", headers=world.headers("auditor")
    ).json()["items"]
    assert [e["action"] for e in trail] == ["create", "update"]
    update = trail[-1]
    assert update["actor"] == "company@test.kuznia"
    assert update["after"]["name"] == "Moved"
    assert update["before"]["address"] is None


def test_concurrent_retries_with_one_key_create_one_record(world: World):
    headers = {**world.headers("coordinator"), "Idempotency-Key": "same-key"}
    body = {"name": "Concurrent", "unit": "round"}
    app = make_client(world.database).app

    def post(_: int) -> tuple[int, str]:
        with TestClient(app, base_url="https://testserver") as client:
            answer = client.post("/api/v1/capabilities", json=body, headers=headers)
        return answer.status_code, answer.json().get("id", "")

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(post, range(6)))
    assert {status for status, _ in answers} == {201}
    assert len({record_id for _, record_id in answers}) == 1
    with make_client(world.database) as client:
        listed = client.get("/api/v1/capabilities?limit=200", headers=headers).json()["items"]
    assert [c["name"] for c in listed].count("Concurrent") == 1


def test_a_record_changed_while_paging_is_seen_again_at_the_end_and_none_is_missed(
    client, world: World
):
    for _ in range(4):
        world.record("capabilities", "a")
    headers = world.headers("coordinator")
    first = client.get("/api/v1/capabilities?limit=2", headers=headers).json()
    changed = first["items"][0]["id"]
    patch = client.patch(
        f"/api/v1/capabilities/{changed}",
        json={"name": "Changed"},
        headers={**headers, "If-Match": "*"},
    )
    assert patch.status_code == 200
    added = world.record("capabilities", "a")
    seen = [c["id"] for c in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get(f"/api/v1/capabilities?limit=2&cursor={cursor}", headers=headers).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
    assert seen[-2:] == [changed, added]
    assert len(set(seen)) == 6


def test_lists_filter_and_sort(client, world: World):
    headers = world.headers("coordinator")
    sites = client.get("/api/v1/sites?country=DK", headers=headers).json()["items"]
    assert [s["country"] for s in sites] == ["DK"]
    names = [
        s["name"] for s in client.get("/api/v1/sites?sort=-name", headers=headers).json()["items"]
    ]
    assert names == sorted(names, reverse=True)
    wrong = client.get("/api/v1/sites?sort=address", headers=headers)
    assert wrong.status_code == 422


def test_a_taken_id_answers_the_same_whoever_holds_it_and_never_names_the_record(
    client, world: World
):
    """Finding 8 of issue 18: "site 'site-00003' already exists" told a firm that another
    firm's site exists. A taken id now gets one answer, naming the field only."""
    from tests.integration.api.world import record_body

    others = world.record("sites", "b")
    own = world.record("sites", "a")
    body = record_body("sites", company="co-a", partner="partner-dk")
    answers = [
        client.post("/api/v1/sites", json={**body, "id": taken}, headers=world.headers("company"))
        for taken in (others, own)
    ]
    assert [a.status_code for a in answers] == [409, 409]
    details = [a.json()["detail"] for a in answers]
    assert details[0] == details[1]
    assert others not in details[0]
    assert details[0].startswith("id:")


def test_a_generated_id_that_is_taken_is_refused_by_the_key_and_writes_nothing(
    client, world: World, monkeypatch
):
    """A create without an id is not checked against the stored ids first (48 random bits):
    should the id drawn be taken, the insert's primary key refuses it with the same answer as a
    taken id that was sent, and nothing is written."""
    from kuznia.services.registries import records

    headers = world.headers("coordinator")
    body = {"name": "Drawn twice", "unit": "unit"}
    first = client.post("/api/v1/capabilities", json=body, headers=headers).json()["id"]
    drawn = first.removeprefix(records.ID_PREFIX["capabilities"] + "-")
    monkeypatch.setattr(records.secrets, "token_hex", lambda _n: drawn)
    before = client.get("/api/v1/capabilities?limit=200", headers=headers).json()["items"]
    answer = client.post("/api/v1/capabilities", json=body, headers=headers)
    assert answer.status_code == 409
    assert answer.json()["detail"].startswith("id:")
    assert client.get("/api/v1/capabilities?limit=200", headers=headers).json()["items"] == before
