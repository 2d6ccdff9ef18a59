"""The reference registries' forms (capabilities, partners, companies, sites) over HTTP:
Ukrainian names set in the browser, through the registry service with If-Match, only for the
roles the access policy lets write them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kuznia.api.deps import SESSION_COOKIE
from kuznia.db import registries as db
from kuznia.services.identity.sessions import SessionPolicy, log_in
from tests.integration.api.conftest import _cheap_argon2, make_client, world
from tests.integration.api.world import PASSWORD, World

__all__ = ["_cheap_argon2", "world"]  # the API tests' fixtures


@pytest.fixture
def web(world: World) -> Iterator[object]:
    with make_client(world.database) as client:
        yield client


def _as(client, world: World, role: str) -> None:
    signed = log_in(world.database, f"{role}@test.kuznia", PASSWORD, client="t",
                    policy=SessionPolicy())  # fmt: skip
    client.cookies.set(SESSION_COOKIE, signed.token)


def _form(client, path: str) -> tuple[str, dict[str, str]]:
    """The form's page and its hidden fields (CSRF token, version, base)."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    hidden = dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', page.text))
    hidden.update(re.findall(r'name="(csrf_token|version)" value="([^"]*)"', page.text))
    return page.text, hidden


def test_the_coordinator_sets_a_capabilitys_ukrainian_name_in_its_edit_form(web, world: World):
    _as(web, world, "coordinator")
    cap = world.create("capabilities", {"name": "Interceptor", "unit": "drone"})
    page, hidden = _form(web, f"/registries/capabilities/{cap}/edit")
    assert 'name="name_uk"' in page
    assert 'name="category_uk"' in page
    assert "Shown instead of the name to Ukrainian readers" in page
    form = {"csrf_token": hidden["csrf_token"], "version": hidden["version"],
            "name": "Interceptor", "name_uk": "Перехоплювач", "unit": "drone",
            "category": "drones", "category_uk": "дрони"}  # fmt: skip
    answer = web.post(f"/registries/capabilities/{cap}/edit", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    with world.database.reading() as session:
        row = session.get(db.Capability, cap)
        assert row is not None
        assert (row.name_uk, row.category_uk, row.version) == ("Перехоплювач", "дрони", 2)
    web.cookies.set("kuznia_lang", "uk")
    assert "Перехоплювач" in web.get(f"/registries/capabilities/{cap}").text
    again = web.post(f"/registries/capabilities/{cap}/edit",
                     data={**form, "name": "Other"}, follow_redirects=False)  # fmt: skip
    assert again.status_code == 409  # the form was read at version 1: stale, says what changed


def test_a_companys_boxes_and_a_partners_kind_are_edited_in_the_browser(web, world: World):
    _as(web, world, "coordinator")
    company = world.create("companies", {"name": "Works", "country": "PL", "ukrainian": True})
    page, hidden = _form(web, f"/registries/companies/{company}/edit")
    assert re.search(r'type="checkbox" id="ukrainian" name="ukrainian"[^>]* checked', page)
    form = {"csrf_token": hidden["csrf_token"], "version": hidden["version"], "name": "Works",
            "country": "PL", "state_owned": "on"}  # fmt: skip
    answer = web.post(f"/registries/companies/{company}/edit", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    with world.database.reading() as session:
        row = session.get(db.Company, company)
        assert row is not None
        assert (row.ukrainian, row.state_owned) == (False, True)
    partner = world.create("partners", {"name": "Norway", "country": "NO", "kind": "government"})
    _page, hidden = _form(web, f"/registries/partners/{partner}/edit")
    answer = web.post(f"/registries/partners/{partner}/edit", follow_redirects=False, data={
        "csrf_token": hidden["csrf_token"], "version": hidden["version"], "name": "Norway",
        "name_uk": "Норвегія", "country": "NO", "kind": "fund"})  # fmt: skip
    assert answer.status_code == 303, answer.text
    with world.database.reading() as session:
        row = session.get(db.Partner, partner)
        assert row is not None
        assert (row.name_uk, row.kind) == ("Норвегія", "fund")


def test_a_company_edits_its_own_sites_only_and_never_the_reference_data(web, world: World):
    own, other = world.site("a"), world.site("b")
    _as(web, world, "company")
    page, hidden = _form(web, f"/registries/sites/{own}/edit")
    assert re.search(r'name="company_id" [^>]*readonly', page)
    answer = web.post(f"/registries/sites/{own}/edit", follow_redirects=False, data={
        "csrf_token": hidden["csrf_token"], "version": hidden["version"], "name": "Renamed",
        "country": "UA", "address": "1 New Street", "latitude": "50.45",
        "longitude": "30.52"})  # fmt: skip
    assert answer.status_code == 303, answer.text
    with world.database.reading() as session:
        row = session.get(db.Site, own)
        assert row is not None
        assert (row.name, row.address, row.company_id) == ("Renamed", "1 New Street", "co-a")
    assert web.get(f"/registries/sites/{other}/edit").status_code == 404
    assert web.get("/registries/sites/new").status_code == 200
    for entity in ("capabilities", "partners", "companies"):
        assert web.get(f"/registries/{entity}/new").status_code == 404
    assert web.get("/registries/companies/co-a/edit").status_code == 404


def test_the_coordinator_adds_a_partner_with_its_ukrainian_name(web, world: World):
    _as(web, world, "coordinator")
    _page, hidden = _form(web, "/registries/partners/new")
    answer = web.post("/registries/partners/new", follow_redirects=False, data={
        "csrf_token": hidden["csrf_token"], "id": "partner-se", "name": "Sweden",
        "name_uk": "Швеція", "country": "SE", "kind": "government"})  # fmt: skip
    assert answer.status_code == 303, answer.text
    with world.database.reading() as session:
        row = session.get(db.Partner, "partner-se")
        assert row is not None
        assert row.name_uk == "Швеція"


def test_the_contract_form_names_pledges_by_partner_and_lines_by_capability_and_firm(web, world):
    _as(web, world, "coordinator")
    pledge = world.create("pledges", {"partner_id": "partner-de", "amount_cents": 100_000,
                                      "currency": "EUR", "valid_from": "2026-01",
                                      "valid_to": "2026-12"})  # fmt: skip
    line = world.record("proposals", "a")
    page = web.get("/contracts/new").text
    assert f'<option value="{pledge}">Germany ({pledge})</option>' in page
    assert f'<option value="{line}">FPV · Company co-a ({line})</option>' in page
