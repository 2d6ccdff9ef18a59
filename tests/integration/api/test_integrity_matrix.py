"""The integrity matrix (issue 12): for every rule of the mechanism (docs/rules.md) and every
path that writes (the API, the web forms, the CLI, spreadsheet import), an attempt to break it
is refused with a message naming the field and the amounts, and the database is byte for byte
as it was. A write route of the API or the web without a row here (or a stated reason why no
rule applies to it) fails ``test_every_write_route_is_in_the_matrix``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from kuznia.cli.main import run
from kuznia.errors import KuzniaError
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.spreadsheet_import import import_table
from kuznia.spreadsheets.problems import SpreadsheetInvalid
from kuznia.web.routes import routers as web_routers
from tests.factories import OPEN_UNTIL
from tests.integration.api.test_authorization_matrix import routes
from tests.integration.api.world import PASSWORD, World, record_body
from tests.integration.spreadsheets.workbooks import csv_bytes, xlsx
from tests.support.dump import dump_tables

API = "/api/v1"
STAR = {"If-Match": "*"}


@dataclass
class Ctx:
    client: TestClient
    world: World
    tmp: Path
    ids: dict[str, str]
    capsys: pytest.CaptureFixture[str]


Step = Callable[[Ctx], tuple[int, str]]


@dataclass(frozen=True)
class Row:
    rule: str
    path: str
    route: str
    setup: Callable[[Ctx], None]
    attempt: Step
    status: int
    says: tuple[str, ...]


def _answer(response: Any) -> tuple[int, str]:
    return response.status_code, response.text


def _nothing(ctx: Ctx) -> None:
    del ctx


def _committed(ctx: Ctx) -> None:
    """A signed contract of company a paid by partner a's new pledge, 500.00 EUR committed."""
    commitment = ctx.world.commitment("a")
    with ctx.world.database.reading() as session:
        from kuznia.db.contracting import MoneyFlow

        flow = session.get(MoneyFlow, commitment)
        assert flow is not None
        ctx.ids.update(pledge=flow.pledge_id, contract=flow.contract_id, commitment=commitment)


def _invested(ctx: Ctx) -> None:
    """An investment of company a (5,000.00 EUR) with 1,000.00 EUR committed to it."""
    from kuznia.money import Money
    from kuznia.services.contracting.investment_money import commit_to_investment
    from kuznia.services.contracting.money_flows import FlowRequest

    investment = ctx.world.record("investments", "a")
    with ctx.world.database.unit_of_work(ctx.world.actors["coordinator"]) as uow:
        money = FlowRequest(Money.parse("1000.00", "EUR"), reference="matrix")
        ctx.ids["inv_commitment"] = commit_to_investment(uow, investment, money).id
    ctx.ids["investment"] = investment


def _post_as(path: str, body: dict[str, Any], headers: dict[str, str], role: str) -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        sent = {**ctx.world.headers(role), **headers}
        return _answer(ctx.client.post(f"{API}{path.format(**ctx.ids)}", json=body, headers=sent))

    return go


def _committed_line(ctx: Ctx) -> None:
    """``_committed`` (10,000.00 EUR pledged, 500.00 committed) and a line of company a."""
    _committed(ctx)
    ctx.ids["proposal"] = ctx.world.record("proposals", "a")


def _producing(ctx: Ctx) -> None:
    ctx.ids["contract"] = ctx.world.contract("a", producing=True)


def _signed(ctx: Ctx) -> None:
    ctx.ids["contract"] = ctx.world.contract("a", signed=True)


def _earmarked_pledge(ctx: Ctx) -> None:
    body = {**record_body("pledges", company="co-a", partner="partner-dk")}
    ctx.ids["pledge"] = ctx.world.create("pledges", {**body, "earmark_site_countries": ["DK"]})
    ctx.ids["proposal"] = ctx.world.record("proposals", "a")


def _patch_pledge(role: str, body: dict[str, Any]) -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        path = f"{API}/pledges/{ctx.ids['pledge']}"
        return _answer(
            ctx.client.patch(path, json=body, headers={**ctx.world.headers(role), **STAR})
        )

    return go


def _post(path: str, body: Callable[[Ctx], dict[str, Any]], role: str = "coordinator") -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        target = path.format(**ctx.ids)
        headers = {**ctx.world.headers(role), **STAR}
        return _answer(ctx.client.post(f"{API}{target}", json=body(ctx), headers=headers))

    return go


def _put(path: str, body: Callable[[Ctx], dict[str, Any]]) -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        target = path.format(**ctx.ids)
        headers = ctx.world.headers("coordinator")
        return _answer(ctx.client.put(f"{API}{target}", json=body(ctx), headers=headers))

    return go


def _delete(path: str) -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        target = path.format(**ctx.ids)
        headers = ctx.world.headers("coordinator")
        return _answer(ctx.client.delete(f"{API}{target}", headers=headers))

    return go


def _site(ctx: Ctx) -> None:
    ctx.ids["site"] = ctx.world.record("sites", "a")


def _classed_site(ctx: Ctx) -> None:
    from tests.integration.api.test_authorization_matrix import risk_class

    _site(ctx)
    ctx.ids["class"] = risk_class(ctx.world)
    headers = ctx.world.headers("coordinator")
    body = {"risk_class_id": ctx.ids["class"]}
    ctx.client.put(f"{API}/site-risks/{ctx.ids['site']}", json=body, headers=headers)


def _web_risk_form(action: str, form: dict[str, str]) -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        headers = {"X-CSRF-Token": ctx.ids["csrf"]}
        return _answer(ctx.client.post(action, data=form, headers=headers))

    return go


def _create(entity: str, changes: dict[str, Any], role: str = "coordinator") -> Step:
    body = {**record_body(entity, company="co-a", partner="partner-dk"), **changes}
    return _post(f"/{entity}", lambda ctx: body, role)


def _contract(ctx: Ctx, **changes: Any) -> dict[str, Any]:
    return {
        "title": "matrix",
        "pledge_id": ctx.ids["pledge"],
        "company_id": "co-a",
        "capability_id": "cap-1",
        "proposal_id": ctx.ids["proposal"],
        "units": 4,
        "amount": "480.00",
        "currency": "EUR",
        "schedule": {"2026-03": 2, "2026-04": 2},
        **changes,
    }


def _web_session(ctx: Ctx) -> None:
    """Signed in to the web as the coordinator (before the database is dumped)."""
    signed_in = ctx.client.post(
        f"{API}/session", json={"email": "coordinator@test.kuznia", "password": PASSWORD}
    )
    ctx.ids["csrf"] = signed_in.json()["csrf_token"]


def _web_form(entity: str, form: dict[str, str]) -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        headers = {"X-CSRF-Token": ctx.ids["csrf"]}
        answer = ctx.client.post(f"/registries/{entity}/new", data=form, headers=headers)
        return _answer(answer)

    return go


def _web_post(path: str, form: Callable[[Ctx], dict[str, str]]) -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        headers = {"X-CSRF-Token": ctx.ids["csrf"]}
        answer = ctx.client.post(path.format(**ctx.ids), data=form(ctx), headers=headers)
        return _answer(answer)

    return go


def _web_edit(entity: str, key: str, form: dict[str, str]) -> Step:
    """The record page's edit form, at the record's current version."""

    def go(ctx: Ctx) -> tuple[int, str]:
        record_id = ctx.ids[key]
        with ctx.world.database.reading() as session:
            row = session.get(REGISTRIES[entity].model, record_id)
            assert row is not None
            version = str(row.version)
        headers = {"X-CSRF-Token": ctx.ids["csrf"]}
        data = {**form, "version": version}
        answer = ctx.client.post(f"/registries/{entity}/{record_id}/edit", data=data,
                                 headers=headers)  # fmt: skip
        return _answer(answer)

    return go


def _committed_web(ctx: Ctx) -> None:
    _committed(ctx)
    _web_session(ctx)


def _then_web(setup: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
    def both(ctx: Ctx) -> None:
        setup(ctx)
        _web_session(ctx)

    return both


def _web_contract(ctx: Ctx) -> dict[str, str]:
    return {"title": "matrix", "pledge_id": ctx.ids["pledge"], "company_id": "co-a",
            "capability_id": "cap-1", "proposal_id": ctx.ids["proposal"], "units": "4",
            "amount": "480.00", "schedule": "2026-03: 2, 2026-04: 2"}  # fmt: skip


Content = str | bytes | Callable[[Ctx], str | bytes]


def _cli(*args: str, file: str = "", content: Content = "") -> Step:
    """``kuznia ARGS`` in-process against the world's database, ``{file}`` holding ``content``
    (or what it makes of the world); the exit code and what it printed on stderr."""

    def go(ctx: Ctx) -> tuple[int, str]:
        path = ctx.tmp / (file or "input")
        made = content(ctx) if callable(content) else content
        path.write_bytes(made.encode("utf-8") if isinstance(made, str) else made)
        url = str(ctx.world.database.engine.url.render_as_string(hide_password=False))
        ctx.capsys.readouterr()
        code = run(["--database-url", url, *(a.replace("{file}", str(path)) for a in args)])
        return code, " ".join(ctx.capsys.readouterr().err.split())

    return go


def _import(kind: str, rows: list[list[Any]]) -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        try:
            with ctx.world.database.unit_of_work(Actor.system("import")) as uow:
                import_table(uow, kind, f"{kind}.csv", csv_bytes(rows))
        except (SpreadsheetInvalid, KuzniaError) as refused:
            return 422, str(refused)
        return 200, ""

    return go


PLEDGE_HEADER = ["id", "partner", "amount", "currency", "valid_from", "valid_to"]
PROPOSAL_HEADER = ["id", "company", "company_country", "site_country", "capability", "unit_cost",
                   "currency", "monthly_capacity", "lead_time_months", "ramp_up_months",
                   "setup_cost", "min_total_units", "ship_lag_months", "kind", "offtake_until",
                   "offtake_share_percent"]  # fmt: skip


def _line(ident: str, site: str, kind: str, *offtake: Any) -> list[Any]:
    """A proposal row of company co-a (Ukrainian) at ``site``."""
    return [ident, "co-a", "UA", site, "cap-1", "1.00", "EUR", 1, 0, 1, "0.00", 0, 0, kind,
            *(offtake or ("", ""))]  # fmt: skip


def _csv(rows: list[list[Any]]) -> Callable[[Ctx], bytes]:
    return lambda ctx: csv_bytes([[str(v).format(**ctx.ids) for v in row] for row in rows])


def _scenario(change: Callable[[Ctx, dict[str, Any]], None]) -> Callable[[Ctx], str]:
    """The world's registries as a scenario file (every record not rejected), changed."""

    def make(ctx: Ctx) -> str:
        from kuznia.scenario.io import dump_scenario
        from kuznia.services.registries.scenarios import export_scenario

        with ctx.world.database.reading() as session:
            doc = json.loads(dump_scenario(export_scenario(session, include_unreviewed=True)))
        change(ctx, doc)
        return json.dumps(doc)

    return make


def _cut_pledge(ctx: Ctx, doc: dict[str, Any]) -> None:
    next(g for g in doc["pledges"] if g["id"] == ctx.ids["pledge"])["amount"] = "1.00"


def _a_line(ctx: Ctx) -> None:
    ctx.ids["proposal"] = ctx.world.record("proposals", "a")  # co-a's, in Ukraine


def _wrong_kind(ctx: Ctx, doc: dict[str, Any]) -> None:
    doc["proposals"][0]["kind"] = "ukrainian_abroad"  # a Ukrainian firm's line in Ukraine


def _huge_line(ctx: Ctx, doc: dict[str, Any]) -> None:
    doc["proposals"][0]["monthly_capacity"] = 10**12


def _abroad_contract(ctx: Ctx) -> None:
    """A signed contract of co-a's line in Denmark (all output to Ukraine until 2030-12)."""
    from kuznia.money import Money
    from kuznia.services.contracting.contracts import sign_contract
    from kuznia.services.contracting.drafting import AbroadTerms, ContractDraft, create_contract

    world = ctx.world
    line = world.create("proposals", {
        **record_body("proposals", company="co-a", partner="partner-dk"), "site_country": "DK",
        "offtake_until": "2030-12", "offtake_share_percent": 100,
    })  # fmt: skip
    terms = AbroadTerms(offtake_until=date(2030, 12, 31), capacity_after="stays", ip_owner="co-a",
                        export_licence_status="not_required")  # fmt: skip
    draft = ContractDraft(
        id="contract-abroad", title="abroad", pledge_id=world.record("pledges", "a"),
        company_id="co-a", capability_id="cap-1", units=10, amount=Money.parse("1000.00", "EUR"),
        schedule={"2026-03": 5, "2026-04": 5}, proposal_id=line, abroad=terms,
    )  # fmt: skip
    with world.database.unit_of_work(world.actors["coordinator"]) as uow:
        create_contract(uow, draft)
        sign_contract(uow, draft.id)
    with world.database.unit_of_work(world.actors["partner"]) as uow:
        sign_contract(uow, draft.id)
    ctx.ids["contract"] = draft.id


PROJECT_HEADER = ["id", "company", "company_country", "site_country", "capability", "kind",
                  "capex", "currency", "earliest_start", "build_months", "unit_cost",
                  "monthly_capacity", "ramp_up_months", "offtake_until",
                  "offtake_share_percent"]  # fmt: skip


def _project_row(**changes: Any) -> list[Any]:
    row = {"id": "proj-x", "company": "co-a", "company_country": "UA", "site_country": "DK",
           "capability": "cap-1", "kind": "", "capex": "1000000.00", "currency": "EUR",
           "earliest_start": "2026-03", "build_months": 6, "unit_cost": "110.00",
           "monthly_capacity": 500, "ramp_up_months": 2, "offtake_until": "2030-12",
           "offtake_share_percent": 100, **changes}  # fmt: skip
    return [row[c] for c in PROJECT_HEADER]


def _project(ctx: Ctx) -> None:
    body = record_body("capacity_projects", company="co-a", partner="partner-dk")
    ctx.ids["project"] = ctx.world.create("capacity_projects", body)


def _project_in_dk(ctx: Ctx) -> None:
    _project(ctx)


def _investment_pledge(ctx: Ctx) -> None:
    body = record_body("pledges", company="co-a", partner="partner-dk")
    ctx.ids["pledge"] = ctx.world.create("pledges", {**body, "purposes": ["investment"]})
    ctx.ids["proposal"] = ctx.world.record("proposals", "a")


def _web_session_and_project(ctx: Ctx) -> None:
    _web_session(ctx)
    _project(ctx)


PROJECT_FORM = {"company_id": "co-a", "site_country": "DK", "capability_id": "cap-1",
                "capex": "1000000.00", "currency": "EUR", "earliest_start": "2026-03",
                "build_months": "6", "unit_cost": "110.00", "monthly_capacity": "500",
                "ramp_up_months": "2", "offtake_until": "2030-12",
                "offtake_share_percent": "100"}  # fmt: skip
SCENARIO_2019 = {
    "format": "kuznia.scenario/1",
    "start_month": "2019-01",
    "horizon_months": 12,
    "base_currency": "EUR",
    "fx_rates": {},
    "lateness_decay": 0.9,
}

INVESTED = "/investments/{investment}/commitments"
MATRIX: list[Row] = [
    # an investment's money: never more committed than the investment, nor paid than committed;
    # a currency converted at the planning rates or refused; a stale If-Match refused
    Row("money", "api", "POST /api/v1/investments/{id}/commitments", _invested,
        _post_as(INVESTED, {"amount": "4000.01", "currency": "EUR"}, {}, "company"), 409,
        ("amount", "4,000.00 EUR left to commit")),
    Row("money", "api", "POST /api/v1/commitments/{id}/disbursements", _invested,
        _post_as("/commitments/{inv_commitment}/disbursements",
                 {"amount": "1000.01", "currency": "EUR"}, {}, "company"), 409,
        ("amount", "1,000.00 EUR left to disburse")),
    Row("money", "api", "POST /api/v1/investments/{id}/commitments", _invested,
        _post_as(INVESTED, {"amount": "10.00", "currency": "JPY"}, {}, "company"), 422,
        ("currency", "JPY")),
    Row("money", "api", "POST /api/v1/investments/{id}/commitments", _invested,
        _post_as(INVESTED, {"amount": "10.00", "currency": "EUR"}, {"If-Match": '"7"'},
                 "company"), 412, ("version 1, not 7",)),
    Row("money", "api", "PATCH /api/v1/investments/{id}", _invested,
        lambda ctx: _answer(ctx.client.patch(
            f"{API}/investments/{ctx.ids['investment']}", json={"amount_cents": 100},
            headers={**ctx.world.headers("company"), **STAR})), 409,
        ("amount_cents", "1,000.00 EUR committed", "1.00 EUR")),
    Row("money", "web", "POST /investments/{investment_id}/commitments", _then_web(_invested),
        _web_post("/investments/{investment}/commitments",
                  lambda ctx: {"amount": "4000.01", "currency": "EUR", "version": "1"}), 422,
        ("4,000.00 EUR",)),
    Row("money", "web", "POST /investments/{investment_id}/commitments", _then_web(_invested),
        _web_post("/investments/{investment}/commitments",
                  lambda ctx: {"amount": "10.00", "currency": "EUR", "version": "7"}), 409,
        ("This investment changed since you opened it",)),
    Row("money", "web", "POST /investments/{investment_id}/disbursements", _then_web(_invested),
        _web_post("/investments/{investment}/disbursements",
                  lambda ctx: {"commitment_id": ctx.ids["inv_commitment"], "amount": "1000.01",
                               "currency": "EUR"}), 422, ("1,000.00 EUR",)),
    # money: a pledge cannot change so that what it answers for is overspent or ineligible
    Row("money", "api", "PATCH /api/v1/pledges/{id}", _committed,
        _patch_pledge("partner", {"amount_cents": 100}), 409,
        ("amount_cents", "500.00 EUR committed", "1,000.00 EUR in signed contracts", "1.00 EUR")),
    Row("money", "api", "PATCH /api/v1/pledges/{id}", _committed,
        _patch_pledge("coordinator", {"currency": "USD"}), 409, ("currency", "in EUR", "USD")),
    Row("money", "api", "PATCH /api/v1/pledges/{id}", _committed,
        _patch_pledge("partner", {"status": "withdrawn"}), 409, ("status", "open contracts")),
    Row("money", "api", "PATCH /api/v1/pledges/{id}", _committed,
        _patch_pledge("partner", {"earmark_site_countries": ["DK"]}), 409,
        ("earmark_site_countries", "earmarked site_countries DK, not UA")),
    Row("money", "api", "PATCH /api/v1/pledges/{id}", _committed,
        _patch_pledge("partner", {"valid_to": "2026-03"}), 409,
        ("valid_to", "valid 2026-01..2026-03, not in 2026-04")),
    # eligibility: a contract's payer may pay for its line in its months (the plan's rule)
    Row("eligibility", "api", "POST /api/v1/contracts", _earmarked_pledge,
        _post("/contracts", _contract), 422, ("pledge_id", "earmarked site_countries DK, not UA")),
    Row("money", "api", "POST /api/v1/contracts", _committed_line,
        _post("/contracts", lambda ctx: _contract(ctx, amount="9500.01")), 409,
        ("amount", "pledge", "has 9,500.00 EUR free; a contract of 9,500.01 EUR")),
    # time: commitments inside the pledge's validity; facts never in the future
    Row("time", "api", "POST /api/v1/contracts/{id}/commitments", _signed,
        _post("/contracts/{contract}/commitments",
              lambda ctx: {"amount": "10.00", "currency": "EUR", "value_date": "2025-03-01"}),
        422, ("value_date", "2025-03-01", f"2026-01..{OPEN_UNTIL}")),
    Row("time", "api", "POST /api/v1/commitments/{id}/disbursements", _committed,
        _post("/commitments/{commitment}/disbursements",
              lambda ctx: {"amount": "10.00", "currency": "EUR", "value_date": "2099-01-15"}),
        422, ("value_date", "2099-01-15 is in the future")),
    Row("time", "api", "POST /api/v1/contracts/{id}/deliveries", _signed,
        _post("/contracts/{contract}/deliveries",
              lambda ctx: {"delivered_on": "2099-01-15", "units": 1}, "company"),
        422, ("delivered_on", "2099-01-15 is in the future")),
    Row("time", "api", "POST /api/v1/requirements", _nothing,
        _create("requirements", {"due_month": "2019-05"}), 422,
        ("due_month", "2019-05 is outside 2022-01..2099-12")),
    # lifecycles: completion only when every unit is delivered and every amount paid
    Row("lifecycle", "api", "POST /api/v1/contracts/{id}/completion", _producing,
        _post("/contracts/{contract}/completion", lambda ctx: {}), 409,
        ("units: 10 of 10 units are not delivered", "1,000.00 EUR of 1,000.00 EUR is not paid")),
    # kinds: what the countries make a line; investments cross the border they say
    Row("kinds", "api", "POST /api/v1/proposals", _nothing,
        _create("proposals", {"site_country": "DK", "kind": "in_ukraine"}), 422,
        ("kind", "the line is ukrainian_abroad, not in_ukraine")),
    Row("kinds", "api", "POST /api/v1/investments", _nothing,
        _create("investments", {"from_country": "FR", "to_country": "PL"}), 422,
        ("from_country", "registered in UA, not FR", "to_country", "in DE, not PL")),
    Row("kinds", "api", "POST /api/v1/capacity_projects", _nothing,
        _create("capacity_projects", {"kind": "in_ukraine"}, "company"), 422,
        ("kind", "company co-a is a Ukrainian firm and the site is in DK",
         "ukrainian_abroad, not in_ukraine")),
    Row("kinds", "api", "PATCH /api/v1/capacity_projects/{id}", _project,
        lambda ctx: _answer(ctx.client.patch(
            f"{API}/capacity_projects/{ctx.ids['project']}", json={"site_country": "UA",
                                                                  "kind": "foreign_in_ukraine"},
            headers={**ctx.world.headers("company"), **STAR})), 422,
        ("kind", "the line is in_ukraine, not foreign_in_ukraine")),
    Row("numbers", "api", "POST /api/v1/capacity_projects", _nothing,
        _create("capacity_projects", {"capex_cents": 0}), 422,
        ("capex_cents", "greater than or equal to 1")),
    Row("numbers", "api", "POST /api/v1/capacity_projects", _nothing,
        _create("capacity_projects", {"capex_cents": 10**14}), 422,
        ("capex_cents", "99999999999999")),
    Row("time", "api", "POST /api/v1/capacity_projects", _nothing,
        _create("capacity_projects", {"build_months": 121}), 422, ("build_months", "120")),
    Row("time", "api", "POST /api/v1/capacity_projects", _nothing,
        _create("capacity_projects", {"earliest_start": "2019-05"}), 422,
        ("earliest_start", "2019-05 is outside 2022-01..2099-12")),
    Row("lifecycle", "api", "POST /api/v1/capacity_projects/{id}/status", _project,
        _post("/capacity_projects/{project}/status", lambda ctx: {"status": "producing"}), 409,
        ("status", "submitted", "producing")),
    Row("lifecycle", "api", "POST /api/v1/capacity_projects/{id}/status", _project,
        _post("/capacity_projects/{project}/status", lambda ctx: {"status": "vetted"}, "company"),
        403, ("vet",)),
    # investment money: a Ukrainian firm investing in its Danish plant goes UA -> DK
    Row("kinds", "api", "POST /api/v1/investments", _project_in_dk,
        _post("/investments", lambda ctx: {
            **record_body("investments", company="co-a", partner="partner-dk"),
            "target_company_id": None, "target_project_id": ctx.ids["project"],
            "from_country": "FR", "to_country": "PL", "instrument": "grant"}, "company"), 422,
        ("from_country", "registered in UA, not FR", "to_country",
         "(its site) is in DK, not PL")),
    Row("references", "api", "POST /api/v1/pledges", _nothing,
        _create("pledges", {"earmark_projects": ["proj-none"], "purposes": ["investment"]},
                "partner"), 422, ("earmark_projects[0]", "no such record")),
    Row("numbers", "api", "POST /api/v1/pledges", _nothing,
        _create("pledges", {"purposes": []}, "partner"), 422, ("purposes", "at least 1")),
    Row("codes", "api", "POST /api/v1/pledges", _nothing,
        _create("pledges", {"purposes": ["production", "charity"]}, "partner"), 422,
        ("purposes", "'production' or 'investment'")),
    Row("eligibility", "api", "POST /api/v1/contracts", _investment_pledge,
        _post("/contracts", _contract), 422,
        ("pledge_id", "its purposes are investment, not production")),
    Row("money", "api", "PATCH /api/v1/pledges/{id}", _committed,
        _patch_pledge("partner", {"purposes": ["investment"]}), 409,
        ("purposes", "its purposes are investment, not production")),
    # numbers: what the scenario format, the database and the optimizer carry
    Row("numbers", "api", "POST /api/v1/pledges", _nothing,
        _create("pledges", {"amount_cents": 9223372036854775807}, "partner"), 422,
        ("amount_cents", "999999999999999")),
    Row("numbers", "api", "POST /api/v1/proposals", _nothing,
        _create("proposals", {"monthly_capacity": 9223372036854775807}), 422,
        ("monthly_capacity", "999999999")),
    Row("numbers", "api", "POST /api/v1/sites", _nothing,
        _create("sites", {"latitude": "999.99"}), 422, ("latitude", "999.99 is outside -90..90")),
    Row("numbers", "api", "POST /api/v1/contracts", _earmarked_pledge,
        _post("/contracts", lambda ctx: _contract(ctx, units=10**12, schedule={"2026-03": 10**12})),
        422, ("schedule.2026-03", "999,999,999", "1000000000000")),
    # countries and currencies from their code lists
    Row("codes", "api", "POST /api/v1/sites", _nothing,
        _create("sites", {"country": "XX"}), 422, ("country", "unknown country 'XX'")),
    Row("codes", "api", "POST /api/v1/pledges", _nothing,
        _create("pledges", {"currency": "EUX"}, "partner"), 422, ("currency", "EUX")),
    # the web forms go through the same documents and use cases
    Row("kinds", "web", "POST /registries/{entity}/new", _web_session,
        _web_form("investments", {"investor_company_id": "co-a", "target_company_id": "co-c",
                                  "from_country": "FR", "to_country": "DE",
                                  "instrument": "equity", "amount": "10.00", "currency": "EUR",
                                  "month": "2026-02"}), 422,
        ("registered in UA, not FR",)),
    Row("numbers", "web", "POST /registries/{entity}/new", _web_session,
        _web_form("pledges", {"partner_id": "partner-dk", "amount": "99999999999999.00",
                              "currency": "EUR", "valid_from": "2026-01",
                              "valid_to": "2026-12"}), 422, ("9999999999999",)),
    Row("time", "web", "POST /registries/{entity}/new", _web_session,
        _web_form("requirements", {"capability_id": "cap-1", "quantity": "5",
                                   "due_month": "2019-05", "priority": "1"}), 422,
        ("2019-05 is outside 2022-01..2099-12",)),
    # money: a draft is at most its pledge's free money now (amount less commitments)
    Row("money", "web", "POST /contracts/new", _then_web(_committed_line),
        _web_post("/contracts/new", lambda ctx: {**_web_contract(ctx), "amount": "9500.01"}),
        422, ("9,500.00 EUR", "9,500.01 EUR")),
    # every error at once: a typing error (country) and the schema's (latitude) in one round
    Row("numbers", "web", "POST /registries/{entity}/new", _web_session,
        _web_form("sites", {"company_id": "co-a", "name": "Depot", "country": "Ukraine",
                            "latitude": "999"}), 422,
        ('id="error-country"', 'id="error-latitude"')),
    Row("eligibility", "web", "POST /contracts/new", _then_web(_earmarked_pledge),
        _web_post("/contracts/new", _web_contract), 422,
        ("earmarked site_countries DK, not UA",)),
    Row("money", "web", "POST /contracts/{contract_id}/commitments", _then_web(_signed),
        _web_post("/contracts/{contract}/commitments",
                  lambda ctx: {"amount": "1500.00", "currency": "EUR"}), 422, ("1,000.00 EUR",)),
    Row("money", "web", "POST /contracts/{contract_id}/disbursements", _then_web(_committed),
        _web_post("/contracts/{contract}/disbursements",
                  lambda ctx: {"commitment_id": ctx.ids["commitment"], "amount": "600.00",
                               "currency": "EUR"}), 422, ("500.00 EUR",)),
    Row("money", "web", "POST /contracts/{contract_id}/expenditures", _then_web(_committed),
        _web_post("/contracts/{contract}/expenditures",
                  lambda ctx: {"commitment_id": ctx.ids["commitment"], "amount": "10.00",
                               "currency": "EUR"}), 422, ("0.00 EUR",)),
    Row("time", "web", "POST /contracts/{contract_id}/deliveries", _then_web(_signed),
        _web_post("/contracts/{contract}/deliveries",
                  lambda ctx: {"delivered_on": "2098-01-02", "units": "1"}), 422,
        ("2098-01-02 is in the future",)),
    Row("kinds", "web", "POST /registries/{entity}/new", _web_session,
        _web_form("capacity_projects", {**PROJECT_FORM, "kind": "in_ukraine"}), 422,
        ("ukrainian_abroad, not in_ukraine",)),
    Row("numbers", "web", "POST /registries/{entity}/new", _web_session,
        _web_form("capacity_projects", {**PROJECT_FORM, "capex": "0.00"}), 422,
        ("Capital cost",)),
    Row("time", "web", "POST /registries/{entity}/new", _web_session,
        _web_form("capacity_projects", {**PROJECT_FORM, "earliest_start": "2019-05"}), 422,
        ("2019-05 is outside 2022-01..2099-12",)),
    Row("kinds", "web", "POST /registries/{entity}/new",
        _web_session_and_project,
        lambda ctx: _web_form("investments", {
            "investor_company_id": "co-a", "target_project_id": ctx.ids["project"],
            "from_country": "FR", "to_country": "PL", "instrument": "grant", "amount": "10.00",
            "currency": "EUR", "month": "2026-02"})(ctx), 422,
        ("registered in UA, not FR", "(its site) is in DK, not PL")),
    # resilience: a risk class's durations are a distribution, references name known records
    Row("numbers", "api", "PUT /api/v1/risk-classes/{id}", _nothing,
        _put("/risk-classes/c-matrix", lambda ctx: {"monthly_probability": 0.1,
             "durations": [{"months": 1, "probability": 0.5}]}), 422,
        ("durations", "sum to 0.5, not 1")),
    Row("references", "api", "PUT /api/v1/site-risks/{id}", _site,
        _put("/site-risks/{site}", lambda ctx: {"risk_class_id": "nowhere"}), 422,
        ("risk_class_id", "unknown risk class 'nowhere'")),
    Row("references", "api", "DELETE /api/v1/risk-classes/{id}", _classed_site,
        _delete("/risk-classes/{class}"), 409, ("is the class of 1 site(s)",)),
    Row("references", "api", "POST /api/v1/risk-evaluations", _nothing,
        _post("/risk-evaluations", lambda ctx: {"plan_id": "plan-none"}), 422,
        ("plan_id", "unknown plan 'plan-none'")),
    Row("numbers", "web", "POST /risk/classes", _web_session,
        _web_risk_form("/risk/classes", {"id": "c-web", "monthly_probability": "0.1",
                                         "durations": "1:0.5"}), 422, ("sum to 0.5, not 1",)),
    Row("references", "web", "POST /risk/sites", _web_session,
        _web_risk_form("/risk/sites", {"site_id": "site-none", "risk_class_id": ""}), 422,
        ("unknown site", "site-none")),
    Row("references", "web", "POST /risk/evaluations", _web_session,
        _web_risk_form("/risk/evaluations", {"plan_id": "plan-none"}), 422,
        ("unknown plan", "plan-none")),
    Row("money", "web", "POST /registries/{entity}/{record_id}/edit", _committed_web,
        _web_edit("pledges", "pledge", {"amount": "1.00", "currency": "EUR",
                                        "valid_from": "2026-01", "valid_to": "2026-12"}), 422,
        ("500.00 EUR committed", "1.00 EUR")),
    # the command line and spreadsheet import
    Row("time", "cli", "kuznia scenario import", _nothing,
        _cli("scenario", "import", "{file}", file="s.json", content=json.dumps(SCENARIO_2019)),
        2, ("start_month", "2019-01 is outside 2022-01..2099-12")),
    Row("numbers", "cli", "kuznia import pledges", _nothing,
        _cli("import", "pledges", "{file}", file="p.csv", content="id,partner,amount,currency,"
             "valid_from,valid_to\nbig,partner-dk,99999999999999.00,EUR,2026-01,2026-12\n"),
        2, ("amount", "9999999999999.99")),
    Row("references", "import", "kuznia import pledges", _nothing,
        _import("pledges", [PLEDGE_HEADER, ["p-x", "partner-xx", "10.00", "EUR", "2026-01",
                                            "2026-12"]]), 422,
        ("partner", "unknown partner 'partner-xx'")),
    Row("numbers", "import", "kuznia import pledges", _nothing,
        _import("pledges", [PLEDGE_HEADER, ["p-y", "partner-dk", "99999999999999.00", "EUR",
                                            "2026-01", "2026-12"]]), 422,
        ("amount", "9999999999999.99")),
    Row("money", "import", "kuznia import pledges", _committed,
        lambda ctx: _import("pledges", [PLEDGE_HEADER, [ctx.ids["pledge"], "partner-dk", "1.00",
                                                        "EUR", "2026-01", "2026-12"]])(ctx),
        422, ("amount", "500.00 EUR committed", "1.00 EUR")),
    Row("kinds", "import", "kuznia import proposals", _nothing,
        _import("proposals", [["id", "company", "company_country", "site_country", "capability",
                               "unit_cost", "currency", "monthly_capacity", "lead_time_months",
                               "ramp_up_months", "setup_cost", "min_total_units",
                               "ship_lag_months", "kind"],
                              ["line-k", "co-a", "UA", "DK", "cap-1", "1.00", "EUR", 1, 0, 1,
                               "0.00", 0, 0, "in_ukraine"]]), 422,
        ("kind", "ukrainian_abroad, not in_ukraine")),
    # kinds: a line abroad states its offtake terms, and delivers to Ukraine inside them
    Row("kinds", "api", "POST /api/v1/proposals", _nothing,
        _create("proposals", {"site_country": "DK"}), 422,
        ("offtake_until", "offtake_share_percent", "a ukrainian_abroad line states")),
    Row("kinds", "api", "POST /api/v1/contracts/{id}/deliveries", _abroad_contract,
        _post("/contracts/{contract}/deliveries", lambda ctx: {
            "delivered_on": "2026-03-10", "units": 1, "destination_country": "PL"}, "company"),
        422, ("destination_country", "goes to Ukraine until 2030-12-31 (100%)", "not PL")),
    Row("kinds", "import", "kuznia import proposals", _nothing,
        _import("proposals", [PROPOSAL_HEADER, _line("line-o", "DK", "ukrainian_abroad")]), 422,
        ("offtake_until", "offtake_share_percent")),
    # the command line: every rule its commands reach (the CLI writes registries through
    # spreadsheet and scenario import; contracts, money and deliveries have no command)
    Row("money", "cli", "kuznia import pledges", _committed,
        _cli("import", "pledges", "{file}", file="p.csv", content=_csv([
            PLEDGE_HEADER, ["{pledge}", "partner-dk", "1.00", "EUR", "2026-01", "2026-12"]])),
        2, ("amount", "500.00 EUR committed", "1.00 EUR")),
    Row("money", "cli", "kuznia scenario import", _committed,
        _cli("scenario", "import", "{file}", file="s.json", content=_scenario(_cut_pledge)),
        2, ("amount_cents", "500.00 EUR committed", "1.00 EUR")),
    Row("kinds", "cli", "kuznia import proposals", _nothing,
        _cli("import", "proposals", "{file}", file="l.csv", content=_csv([
            PROPOSAL_HEADER, _line("line-k", "DK", "in_ukraine", "2030-12", 100)])),
        2, ("kind", "ukrainian_abroad, not in_ukraine")),
    Row("kinds", "cli", "kuznia import proposals", _nothing,
        _cli("import", "proposals", "{file}", file="l.csv", content=_csv([
            PROPOSAL_HEADER, _line("line-o", "DK", "ukrainian_abroad")])),
        2, ("offtake_until", "offtake_share_percent")),
    Row("kinds", "cli", "kuznia scenario import", _a_line,
        _cli("scenario", "import", "{file}", file="s.json", content=_scenario(_wrong_kind)),
        2, ("kind", "the line is in_ukraine, not ukrainian_abroad")),
    Row("time", "cli", "kuznia import requirements", _nothing,
        _cli("import", "requirements", "{file}", file="r.csv", content=_csv([
            ["id", "capability", "quantity", "due_month", "priority"],
            ["req-old", "cap-1", 5, "2019-05", 1]])),
        2, ("due_month", "2019-05 is outside 2022-01..2099-12")),
    Row("numbers", "cli", "kuznia scenario import", _a_line,
        _cli("scenario", "import", "{file}", file="s.json", content=_scenario(_huge_line)),
        2, ("monthly_capacity", "999999999")),
    Row("references", "cli", "kuznia import pledges", _nothing,
        _cli("import", "pledges", "{file}", file="p.csv", content=_csv([
            PLEDGE_HEADER, ["p-x", "partner-xx", "10.00", "EUR", "2026-01", "2026-12"]])),
        2, ("partner", "unknown partner 'partner-xx'")),
    Row("codes", "cli", "kuznia import pledges", _nothing,
        _cli("import", "pledges", "{file}", file="p.csv", content=_csv([
            PLEDGE_HEADER, ["p-c", "partner-dk", "10.00", "EUX", "2026-01", "2026-12"]])),
        2, ("currency", "EUX")),
    Row("numbers", "cli", "kuznia import workbook", _nothing,
        _cli("import", "workbook", "{file}", file="w.xlsx", content=xlsx({"pledges": [
            PLEDGE_HEADER, ["p-y", "partner-dk", "99999999999999.00", "EUR", "2026-01",
                            "2026-12"]]})),
        2, ("amount", "9999999999999.99")),
    Row("kinds", "import", "kuznia import projects", _nothing,
        _import("projects", [PROJECT_HEADER, _project_row(kind="in_ukraine")]), 422,
        ("kind", "ukrainian_abroad, not in_ukraine")),
    Row("numbers", "import", "kuznia import projects", _nothing,
        _import("projects", [PROJECT_HEADER, _project_row(capex="0.00")]), 422,
        ("capex", "more than 0")),
    Row("time", "import", "kuznia import projects", _nothing,
        _import("projects", [PROJECT_HEADER, _project_row(build_months=121)]), 422,
        ("build_months", "120")),
    Row("numbers", "import", "kuznia import projects", _nothing,
        _import("projects", [PROJECT_HEADER, _project_row(capex="1000000000000.00")]), 422,
        ("capex", "at most 999999999999.99")),
    Row("references", "import", "kuznia import projects", _nothing,
        _import("projects", [PROJECT_HEADER, _project_row(company_country="DE")]), 422,
        ("company_country", "registered in UA, not DE")),
    Row("time", "cli", "kuznia import projects", _nothing,
        _cli("import", "projects", "{file}", file="j.csv",
             content=",".join(PROJECT_HEADER) + "\n"
             + ",".join(map(str, _project_row(earliest_start="2019-05"))) + "\n"),
        2, ("earliest_start", "2019-05 is outside 2022-01..2099-12")),
]  # fmt: skip


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r.rule}-{r.path}-{r.route}")
def test_each_attempt_to_break_a_rule_is_refused_and_changes_nothing(
    row: Row,
    client: TestClient,
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ctx = Ctx(client, world, tmp_path, {}, capsys)
    row.setup(ctx)
    before = dump_tables(world.database)
    status, text = row.attempt(ctx)
    assert status == row.status, text
    for fragment in row.says:
        assert fragment in text.replace("\\u2026", "…"), text
    assert dump_tables(world.database) == before


WRITES: dict[str, str] = {
    "POST /api/v1/session": "signing in: no rule of the mechanism",
    "DELETE /api/v1/session": "signing out",
    "POST /api/v1/me/password": "identity (docs/threat-model.md)",
    "POST /api/v1/tokens": "identity",
    "DELETE /api/v1/tokens/{token_id}": "identity",
    "POST /api/v1/organisations": "identity",
    "POST /api/v1/users": "identity",
    "PATCH /api/v1/users/{id}": "identity",
    "POST /api/v1/proposals/{id}/review": "a lifecycle step (test_lifecycle_tables.py)",
    "POST /api/v1/reviews": "lifecycle steps in bulk (test_import_table.py)",
    "POST /api/v1/plans": "computes a plan from the checked registries",
    "POST /api/v1/jobs": "queues a plan",
    "POST /api/v1/jobs/{id}/cancel": "a job's lifecycle (services/jobs)",
    "POST /api/v1/contracts/from-plan": "contracts from a plan: create_contract's rules (matrix)",
    "POST /api/v1/contracts/{id}/signature": "a lifecycle step; abroad terms",
    "POST /api/v1/contracts/{id}/production": "a lifecycle step",
    "POST /api/v1/contracts/{id}/termination": "a lifecycle step with a reason",
    "POST /api/v1/contracts/{id}/amendments": "check_terms, as drawing one (matrix: contracts)",
    "POST /api/v1/commitments/{id}/expenditures": "the money-flow rules (matrix: disbursements)",
    "POST /api/v1/deliveries/{id}/inspection": "a lifecycle step",
    "POST /api/v1/log/checkpoint": "signs the tree head: no record",
    "POST /login": "signing in",
    "POST /logout": "signing out",
    "POST /registries/import": "a dry run of spreadsheet import (matrix rows: import)",
    "POST /registries/import/confirm": "spreadsheet import (matrix rows: import)",
    "POST /account/password": "identity (as POST /api/v1/me/password)",
    "POST /account/tokens": "identity (as POST /api/v1/tokens)",
    "POST /account/tokens/{token_id}/revoke": "identity (as DELETE /api/v1/tokens/{token_id})",
    "POST /jobs": "queues a plan",
    "POST /registries/proposals/{record_id}/review": "a lifecycle step (test_lifecycle_tables)",
    "POST /registries/pledges/{record_id}/status": "a lifecycle step (test_lifecycle_tables)",
    "POST /jobs/{job_id}/cancel": "a job's lifecycle",
    "POST /what-if": "a what-if plan writes no record",
    "POST /contracts/from-plan": "contracts from a plan: create_contract's rules (matrix)",
    "POST /contracts/{contract_id}/signature": "a lifecycle step; abroad terms",
    "POST /contracts/{contract_id}/completion": "a lifecycle step (matrix: the API's)",
    "POST /contracts/{contract_id}/production": "a lifecycle step",
    "POST /contracts/{contract_id}/termination": "a lifecycle step with a reason",
    "POST /contracts/{contract_id}/amendments": "check_terms, as drawing one (matrix: contracts)",
    "POST /contracts/{contract_id}/deliveries/{delivery_id}/inspection": "a lifecycle step",
}
"""Write routes with no row in MATRIX, and why."""


def _write_routes(client: TestClient) -> set[str]:
    api = {
        f"{method} {path}"
        for method, path in routes(client.get("/api/openapi.json").json())
        if method in {"POST", "PATCH", "PUT", "DELETE"}
    }
    web = {
        f"{method} {route.path}"
        for router in web_routers()
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
        if method in {"POST", "PATCH", "PUT", "DELETE"}
    }
    return api | web


def test_every_write_route_is_in_the_matrix(client: TestClient) -> None:
    registries = ("capabilities", "requirements", "partners", "companies", "sites", "proposals",
                  "capacity_projects", "pledges", "investments")  # fmt: skip
    generic = {
        f"{method} /api/v1/{entity}{suffix}": f"the registry's create/update/delete ({entity})"
        for entity in registries
        for method, suffix in (("POST", ""), ("PATCH", "/{id}"), ("DELETE", "/{id}"))
    }
    in_matrix = {row.route for row in MATRIX}
    explained = set(WRITES) | set(generic)
    missing = sorted(_write_routes(client) - in_matrix - explained)
    assert missing == [], "add a row to MATRIX (or a reason to WRITES) for these write routes"
    stale = sorted(set(WRITES) - _write_routes(client))
    assert stale == [], "these routes no longer exist"


CLI: dict[str, str] = {
    "kuznia verify": "reads a proof offline",
    "kuznia list": "reads",
    "kuznia summary": "reads",
    "kuznia start": "loads the demo through scenario import (rows: kuznia scenario import)",
    "kuznia serve": "serves the API and web paths (their rows above)",
    "kuznia worker": "runs queued plans: writes plans, no record",
    "kuznia admin create": "identity (docs/threat-model.md)",
    "kuznia db upgrade": "the schema; the bounds as CHECK constraints (tests/integration/db)",
    "kuznia db current": "reads",
    "kuznia db backup": "copies the database",
    "kuznia db restore": "replaces the database with a backup, audited after (test_backup.py)",
    "kuznia demo scenario": "writes a file",
    "kuznia demo load": "loads the demo through scenario import (rows: kuznia scenario import)",
    "kuznia log vkey": "prints the public key",
    "kuznia log checkpoint": "signs the tree head: no record",
    "kuznia log proof": "reads",
    "kuznia log export": "reads",
    "kuznia log audit": "reads (test_live_audit.py)",
    "kuznia plan run": "computes a plan from a file: no record",
    "kuznia plan check": "reads",
    "kuznia plan diff": "reads",
    "kuznia scenario export": "reads",
    "kuznia import capabilities": "ids and names: no rule beyond the format (test_thirty_bad_rows)",
    "kuznia import template": "writes a file",
    "kuznia import review": "lifecycle steps in bulk (test_import_table.py)",
    "kuznia export xlsx": "reads",
    "kuznia export plan-xlsx": "reads",
    "kuznia export ocds": "reads",
    "kuznia export tracker": "reads",
    "kuznia export feed": "reads",
    "kuznia investment balance": "reads",
    "kuznia invest gaps": "reads (the stored plan; queues nothing)",
    "kuznia invest projects": "reads (the stored plan; queues nothing)",
    "kuznia project status": "a project's lifecycle step (refusals: test_project_cli.py)",
    "kuznia risk evaluate": "computes from files: no record",
    "kuznia risk robust": "computes from files: no record",
    "kuznia risk demo": "writes a file",
    "kuznia risk classes": "reads",
    "kuznia risk sites": "reads",
    "kuznia risk export": "reads",
    "kuznia risk set-class": "the resilience service of PUT /api/v1/risk-classes (rows above)",
    "kuznia risk site-class": "the resilience service of PUT /api/v1/site-risks (rows above)",
    "kuznia risk load-demo": "notional classes for the demo's sites through the same service",
}
"""CLI commands with no row in MATRIX, and why."""


def _cli_commands() -> set[str]:
    """Every command of ``kuznia``, as ``kuznia GROUP NAME`` (each module imported to list it)."""
    from kuznia.cli.main import COMMANDS, load_command

    def walk(prefix: str, command: Any) -> Iterator[str]:
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            yield prefix
        for name, sub in (subcommands or {}).items():
            yield from walk(f"{prefix} {name}", sub)

    return {
        c
        for name, lazy in COMMANDS.items()
        for c in walk(f"kuznia {name}", load_command(name, lazy))
    }


def test_every_cli_command_is_in_the_matrix() -> None:
    in_matrix = {row.route for row in MATRIX if row.route.startswith("kuznia ")}
    missing = sorted(_cli_commands() - in_matrix - set(CLI))
    assert missing == [], "add a row to MATRIX (or a reason to CLI) for these commands"
    assert sorted((set(CLI) | in_matrix) - _cli_commands()) == [], "these commands are gone"
    assert {row.path for row in MATRIX if row.route in _cli_commands()} <= {"cli", "import"}
