"""The integrity matrix (issue 12): for every rule of the mechanism (docs/rules.md) and every
path that writes (the API, the web forms, the CLI, spreadsheet import), an attempt to break it
is refused with a message naming the field and the amounts, and the database is byte for byte
as it was. A write route of the API or the web without a row here (or a stated reason why no
rule applies to it) fails ``test_every_write_route_is_in_the_matrix``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
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
from tests.integration.api.test_authorization_matrix import routes
from tests.integration.api.world import PASSWORD, World, record_body
from tests.integration.spreadsheets.workbooks import csv_bytes
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


def _cli(*args: str, file: str = "", content: str = "") -> Step:
    def go(ctx: Ctx) -> tuple[int, str]:
        path = ctx.tmp / (file or "input")
        path.write_text(content, encoding="utf-8")
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
SCENARIO_2019 = {
    "format": "kuznia.scenario/1",
    "start_month": "2019-01",
    "horizon_months": 12,
    "base_currency": "EUR",
    "fx_rates": {},
    "lateness_decay": 0.9,
}

MATRIX: list[Row] = [
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
    # time: commitments inside the pledge's validity; facts never in the future
    Row("time", "api", "POST /api/v1/contracts/{id}/commitments", _signed,
        _post("/contracts/{contract}/commitments",
              lambda ctx: {"amount": "10.00", "currency": "EUR", "value_date": "2025-03-01"}),
        422, ("value_date", "2025-03-01", "2026-01..2026-12")),
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
                  "pledges", "investments")  # fmt: skip
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
