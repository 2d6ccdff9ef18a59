"""An investment's record page over HTTP with a signed-in session: its money (committed, paid,
left), the investor commits and pays, an overspend is refused next to the amount with the
amounts, a stale form says the investment changed, the same form sent twice records once, and a
firm that may not fund it sees no forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from kuznia.db.contracting import MoneyFlow
from tests.integration.api.conftest import _cheap_argon2, make_client, world
from tests.integration.api.world import World
from tests.integration.web.test_contract_pages import _as

__all__ = ["_cheap_argon2", "world"]  # the API tests' fixtures


@pytest.fixture
def web(world: World) -> Iterator[object]:
    with make_client(world.database) as client:
        yield client


def _page(client, investment_id: str) -> str:
    answer = client.get(f"/registries/investments/{investment_id}")
    assert answer.status_code == 200, answer.text[:300]
    return answer.text


def _form(page: str, name: str) -> dict[str, str]:
    form = re.search(rf'<form[^>]*id="form-{name}".*?</form>', page, re.S)
    assert form, f"no {name} form"
    hidden = re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', form.group(0))
    return dict(hidden)


def _send(client, investment_id: str, name: str, data: dict[str, str], sent=None):
    path = {"commit": "commitments", "disburse": "disbursements"}[name]
    fields = sent or _form(_page(client, investment_id), name)
    return client.post(f"/investments/{investment_id}/{path}", data={**fields, **data},
                       follow_redirects=False)  # fmt: skip


def _flows(world: World) -> int:
    with world.database.reading() as session:
        return int(session.scalar(select(func.count()).select_from(MoneyFlow)) or 0)


def test_the_investor_commits_and_pays_and_the_page_shows_the_balance(web, world: World) -> None:
    investment = world.record("investments", "a")  # 5,000.00 EUR of co-a
    _as(web, world, "company")
    answer = _send(web, investment, "commit", {"amount": "3000.00", "currency": "EUR"})
    assert answer.status_code == 303, answer.text
    page = web.get(answer.headers["location"]).text
    assert "The commitment was recorded." in page
    assert "€3,000.00" in page or "3,000.00" in page
    commitment = re.search(r'<option value="(comm-[0-9a-f]{20})"', page)
    assert commitment, "no commitment to pay under"
    payment = {"commitment_id": commitment.group(1), "amount": "1000.00", "currency": "EUR"}
    paid = _send(web, investment, "disburse", payment)
    assert paid.status_code == 303, paid.text
    assert "The payment was recorded." in web.get(paid.headers["location"]).text
    assert _flows(world) == 2


def test_an_overspend_is_refused_next_to_the_amount_and_nothing_is_written(
    web, world: World
) -> None:
    investment = world.record("investments", "a")
    _as(web, world, "coordinator")
    answer = _send(web, investment, "commit", {"amount": "5000.01", "currency": "EUR"})
    assert answer.status_code == 422
    assert "5,000.00 EUR" in answer.text
    assert 'id="error-commit-amount"' in answer.text
    assert _flows(world) == 0


def test_a_stale_form_and_a_second_click_record_nothing_twice(web, world: World) -> None:
    investment = world.record("investments", "a")
    _as(web, world, "company")
    read = _form(_page(web, investment), "commit")
    first = _send(web, investment, "commit", {"amount": "10.00", "currency": "EUR"}, sent=read)
    again = _send(web, investment, "commit", {"amount": "10.00", "currency": "EUR"}, sent=read)
    assert (first.status_code, again.status_code) == (303, 303)
    assert _flows(world) == 1
    edited = web.get(f"/registries/investments/{investment}/edit")
    assert edited.status_code == 200
    with world.database.unit_of_work(world.actors["coordinator"]) as uow:
        from kuznia.services.registries import records

        records.update_record(uow, "investments", investment, {"amount_cents": 600_000}, None)
    stale = _send(web, investment, "commit", {"amount": "10.00", "currency": "EUR"},
                  sent={**read, "once": "comm-" + "0" * 20})  # fmt: skip
    assert stale.status_code == 409
    assert "This investment changed since you opened it" in stale.text
    assert _flows(world) == 1


def test_a_firm_that_may_not_fund_the_investment_sees_no_money_forms(web, world: World) -> None:
    investment = world.record("investments", "a")
    _as(web, world, "auditor")
    page = _page(web, investment)
    assert 'id="money"' in page
    assert 'id="form-commit"' not in page
    _as(web, world, "other_company")
    assert web.get(f"/registries/investments/{investment}").status_code == 404
