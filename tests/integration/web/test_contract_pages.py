"""The contract pages as each party uses them, over HTTP with a signed-in session: signatures
in either order, a stale form that says what changed, money refused with the amounts and the
field named, deliveries reported and inspected, and the inbox counting what waits."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kuznia.api.deps import SESSION_COOKIE
from kuznia.services.identity.sessions import SessionPolicy, log_in
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries import records
from tests.integration.api.conftest import _cheap_argon2, make_client, world
from tests.integration.api.world import PASSWORD, World, record_body

__all__ = ["_cheap_argon2", "world"]  # the API tests' fixtures


@pytest.fixture
def web(world: World) -> Iterator[object]:
    with make_client(world.database) as client:
        yield client


def _as(client, world: World, role: str) -> None:
    signed = log_in(world.database, f"{role}@test.kuznia", PASSWORD, client="t",
                    policy=SessionPolicy())  # fmt: skip
    client.cookies.set(SESSION_COOKIE, signed.token)


def _post(client, path: str, data: dict[str, str], page: str | None = None):
    shown = client.get(page or path.rsplit("/", 1)[0])
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
    assert token, shown.text[:500]
    return client.post(path, data={"csrf_token": token.group(1), **data}, follow_redirects=False)


def _version(client, contract_id: str) -> str:
    page = client.get(f"/contracts/{contract_id}").text
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "no versioned form on the page"
    return found.group(1)


def test_both_sides_sign_in_either_order_and_the_history_shows_it(web, world: World) -> None:
    contract_id = world.contract("a")
    _as(web, world, "partner")
    answer = _post(web, f"/contracts/{contract_id}/signature",
                   {"version": _version(web, contract_id)})  # fmt: skip
    assert answer.status_code == 303, answer.text
    page = web.get(answer.headers["location"]).text
    assert "Your signature was recorded." in page
    assert "signed by the partner; waits for Ukraine" in page
    _as(web, world, "coordinator")
    answer = _post(web, f"/contracts/{contract_id}/signature",
                   {"version": _version(web, contract_id)})  # fmt: skip
    page = web.get(answer.headers["location"]).text
    assert 'id="contract-status">signed<' in page
    assert page.count('data-entity="contracts"') == 3


def test_a_stale_form_says_the_contract_changed_and_shows_what(web, world: World) -> None:
    contract_id = world.contract("a")
    _as(web, world, "coordinator")
    read = _version(web, contract_id)
    amended = _post(web, f"/contracts/{contract_id}/amendments",
                    {"version": read, "title": "New title", "reason": "clearer", "units": "10",
                     "amount": "1000.00", "schedule": "2026-03: 5, 2026-04: 5"},
                    page=f"/contracts/{contract_id}")  # fmt: skip
    assert amended.status_code == 303, amended.text
    stale = _post(web, f"/contracts/{contract_id}/signature", {"version": read},
                  page=f"/contracts/{contract_id}")  # fmt: skip
    assert stale.status_code == 409
    assert "This contract changed since you opened it" in stale.text
    assert "New title" in stale.text
    assert "What changed since you opened the page" in stale.text


def test_an_overspend_is_refused_next_to_the_amount_with_the_amounts(web, world: World) -> None:
    contract_id = world.contract("a", signed=True)
    _as(web, world, "partner")
    page = f"/contracts/{contract_id}"
    answer = _post(web, f"{page}/commitments", {"amount": "1500.00", "currency": "EUR"}, page)
    assert answer.status_code == 422
    assert 'id="error-commit-amount"' in answer.text
    assert "1,000.00 EUR" in answer.text
    bad = _post(web, f"{page}/commitments",
                {"amount": "ten", "currency": "EUR", "value_date": "2026-13-01"}, page)  # fmt: skip
    assert 'id="error-commit-amount"' in bad.text
    assert 'id="error-commit-value_date"' in bad.text
    good = _post(web, f"{page}/commitments", {"amount": "400.00", "currency": "EUR"}, page)
    assert good.status_code == 303


def test_the_firm_reports_and_the_coordinator_inspects_a_delivery(web, world: World) -> None:
    contract_id = world.contract("a", signed=True)
    page = f"/contracts/{contract_id}"
    _as(web, world, "company")
    over = _post(web, f"{page}/deliveries", {"delivered_on": "2026-03-02", "units": "11"}, page)
    assert over.status_code == 422
    assert "10 units left to deliver, not 11" in over.text
    done = _post(web, f"{page}/deliveries", {"delivered_on": "2026-03-02", "units": "4"}, page)
    assert done.status_code == 303
    _as(web, world, "coordinator")
    shown = web.get(page).text
    delivery = re.search(r'action="/contracts/[^/]+/deliveries/([^/]+)/inspection"', shown)
    assert delivery
    inspect = f"{page}/deliveries/{delivery.group(1)}/inspection"
    version = re.search(rf'action="{re.escape(inspect)}".*?name="version" value="(\d+)"', shown,
                        re.DOTALL).group(1)  # fmt: skip
    refused = _post(web, inspect, {"version": version, "accepted_units": "3"}, page)
    assert refused.status_code == 422
    assert "Say why units are rejected." in refused.text
    accepted = _post(web, inspect, {"version": version, "accepted_units": "4"}, page)
    assert accepted.status_code == 303


def test_the_inbox_counts_what_waits_for_each_role(web, world: World) -> None:
    world.contract("a")
    _as(web, world, "partner")
    page = web.get("/inbox").text
    assert "Contracts to sign" in page
    assert re.search(r'href="/inbox"[^>]*>Inbox <span class="count"[^>]*>\d+', page)
    _as(web, world, "company")
    assert web.get("/inbox").status_code == 200


def test_a_funded_line_of_the_plan_becomes_one_draft_however_often_it_is_sent(
    web, world: World
) -> None:
    world.funded_plan()
    _as(web, world, "coordinator")
    plan = web.get("/plan").text
    line = re.search(r'name="scenario_sha256" value="([0-9a-f]+)">\s*<input type="hidden" '
                     r'name="pledge_id" value="([^"]+)">\s*<input type="hidden" '
                     r'name="proposal_id" value="([^"]+)"', plan)  # fmt: skip
    assert line, "the plan page offers no funded line"
    form = dict(zip(("scenario_sha256", "pledge_id", "proposal_id"), line.groups(), strict=True))
    first = _post(web, "/contracts/from-plan", form, page="/plan")
    assert first.status_code == 303
    assert first.headers["location"].endswith("?done=created")
    again = _post(web, "/contracts/from-plan", form, page="/plan")
    assert again.headers["location"] == first.headers["location"].replace("created", "exists")
    page = web.get(first.headers["location"]).text
    assert "units of" in page
    assert "from a plan" in page


def test_the_plan_pages_its_funded_lines_and_each_page_offers_its_own(
    web, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kuznia.web.routes import planning

    # a need one line cannot meet alone: the plan funds a second line too
    world.create("requirements", {"capability_id": "cap-1", "quantity": 100,
                                  "due_month": "2026-12", "priority": 2.5})  # fmt: skip
    second = world.create(
        "proposals", record_body("proposals", company="co-a", partner="partner-dk")
    )
    with world.database.unit_of_work(Actor.system("test")) as uow:
        records.review_proposal(uow, second, "vetted", None)
    world.funded_plan()
    _as(web, world, "coordinator")
    every = re.findall(r'name="proposal_id" value="([^"]+)"', web.get("/plan").text)
    monkeypatch.setattr(planning, "FUNDED_PER_PAGE", 1)
    pages = [web.get(f"/plan?lines={n}").text for n in range(1, len(every) + 2)]
    shown = [re.findall(r'name="proposal_id" value="([^"]+)"', page) for page in pages]
    assert len(every) >= 2
    assert shown[: len(every)] == [[line] for line in every]
    assert shown[-1] == shown[-2]  # past the last page: the last page
    assert f"page 1 of {len(every)}" in pages[0]
    assert 'rel="next"' in pages[0]
    assert 'rel="prev"' not in pages[0]
    assert 'rel="next"' not in pages[-1]


def test_stored_plans_are_listed_and_two_are_compared(web, world: World) -> None:
    first, second = world.plans()
    _as(web, world, "partner")
    page = web.get(f"/plans?a={first}&b={second}")
    assert page.status_code == 200
    assert "From plan" in page.text
    assert 'id="comparison"' in page.text
    same = web.get(f"/plans?a={first}&b={first}")
    assert "Choose two different plans to compare." in same.text
    _as(web, world, "company")
    assert web.get("/plans").status_code == 403


def test_the_same_money_form_sent_twice_records_once(web, world: World) -> None:
    contract_id = world.contract("a", signed=True)
    _as(web, world, "partner")
    page = f"/contracts/{contract_id}"
    shown = web.get(page).text
    once = re.search(r'id="form-commit".*?name="once" value="([^"]+)"', shown, re.DOTALL)
    assert once
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown)
    assert token
    form = {"csrf_token": token.group(1), "once": once.group(1), "amount": "100.00",
            "currency": "EUR"}  # fmt: skip
    for _ in range(2):
        sent = web.post(f"{page}/commitments", data=form, follow_redirects=False)
        assert sent.status_code == 303
    assert web.get(page).text.count("<tr><td>commitment</td>") == 1


def test_the_firm_starts_production_and_a_stranger_sees_no_steps(web, world: World) -> None:
    contract_id = world.contract("a", signed=True)
    page = f"/contracts/{contract_id}"
    _as(web, world, "other_company")
    assert web.get(page).status_code == 404
    _as(web, world, "auditor")
    assert 'id="form-' not in web.get(page).text
    _as(web, world, "company")
    shown = web.get(page).text
    assert 'id="form-start"' in shown
    assert 'id="form-sign"' not in shown
    started = _post(web, f"{page}/production", {"version": _version(web, contract_id)}, page)
    assert started.status_code == 303
    assert 'id="contract-status">in production<' in web.get(page).text


def test_an_amendment_is_kept_and_a_termination_says_why(web, world: World) -> None:
    contract_id = world.contract("a", signed=True)
    page = f"/contracts/{contract_id}"
    _as(web, world, "coordinator")
    amended = _post(web, f"{page}/amendments",
                    {"version": _version(web, contract_id), "units": "12", "amount": "1000.00",
                     "title": f"matrix {contract_id}", "schedule": "2026-03: 6, 2026-04: 6",
                     "reason": "two more units"}, page)  # fmt: skip
    assert amended.status_code == 303, amended.text
    shown = web.get(page).text
    assert "two more units" in shown
    assert "Units: 10 → 12" in shown
    terms = {"units": "13", "amount": "1000.00", "title": "t", "schedule": "2026-03: 6, 2026-04: 6"}
    bad = _post(web, f"{page}/amendments",
                {"version": _version(web, contract_id), **terms, "reason": "r"}, page)  # fmt: skip
    assert bad.status_code == 422
    assert "The schedule adds up to 12 units; the contract has 13." in bad.text
    why = {"version": _version(web, contract_id), "reason": "the line burnt down"}
    ended = _post(web, f"{page}/termination", why, page)
    assert ended.status_code == 303
    shown = web.get(page).text
    assert "the line burnt down" in shown
    assert 'id="form-' not in shown  # a terminated contract takes no more steps
