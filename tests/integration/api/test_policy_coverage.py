"""Every route and page that reads an entity asks the access policy about it: each GET route of
the API (walked from the OpenAPI document) and each page of the web (walked from the app's
routes) is listed here with the entities it reads, and a request to it must consult the policy
(``access.policy.grant_of``, through which every decision passes) for each of them. A new route
that reads without asking, or is not listed, fails. So does an entity the log keeps leaves for
that has no read rule (its leaves' content would go to no one, or to anyone)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from kuznia.api.deps import SESSION_COOKIE
from kuznia.db.transparency import LedgerLeaf
from kuznia.services.access import policy
from kuznia.services.access.rules import RULES, Action
from kuznia.services.identity.sessions import SessionPolicy, log_in
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.web.routes import routers as web_routers
from tests.integration.api.test_authorization_matrix import _publish, _target, routes
from tests.integration.api.world import PASSWORD, World

NO_ENTITY = "reads no entity"
API_READS: dict[str, tuple[str, ...] | str] = {
    "/api/v1/health": NO_ENTITY,
    "/api/v1/ready": "the database and its schema revision, no record",
    "/api/v1/public/overview": "published aggregates (open data), no record",
    "/api/v1/public/plan": "published aggregates (open data), no record",
    "/api/v1/me": "the caller's own user, from its session",
    "/api/v1/tokens": "the caller's own tokens (services.identity.sessions)",
    "/api/v1/organisations": ("organisations",),
    "/api/v1/organisations/{id}": ("organisations",),
    "/api/v1/users": ("users",),
    "/api/v1/users/{id}": ("users",),
    "/api/v1/audit": ("audit_events",),
    "/api/v1/investment-balance": ("investments",),
    **{f"/api/v1/{e}": (e,) for e in REGISTRIES},
    **{f"/api/v1/{e}/{{id}}": (e,) for e in REGISTRIES},
    "/api/v1/plans": ("plans",),
    "/api/v1/plans/{id}": ("plans",),
    "/api/v1/plans/{id}/compare": ("plans",),
    "/api/v1/jobs": ("jobs",),
    "/api/v1/jobs/{id}": ("jobs",),
    "/api/v1/risk-classes": ("risk_classes",),
    "/api/v1/site-risks": ("site_risks",),
    "/api/v1/risk-evaluations": ("risk_evaluations",),
    "/api/v1/risk-evaluations/{id}": ("risk_evaluations",),
    "/api/v1/invest/gaps": ("proposals",),  # the country split by the proposals read rule
    "/api/v1/invest/projects": ("proposals", "capacity_projects"),
    "/api/v1/invest/projects/{id}/matching": ("capacity_projects", "pledges"),
    "/api/v1/log/vkey": "the log's public key",
    "/api/v1/log/checkpoint": ("ledger_checkpoints",),
    "/api/v1/log/leaves": ("ledger_leaves",),
    "/api/v1/log/proof": ("ledger_leaves",),
    "/api/v1/log/consistency": ("ledger_nodes",),
    "/api/v1/log/openings": ("ledger_leaves", "ledger_openings"),
    "/api/v1/log/audit": ("ledger_leaves",),
    "/api/v1/contracts": ("contracts",),
    "/api/v1/contracts/{id}": ("contracts",),
    "/api/v1/contracts/{id}/amendments": ("contracts", "contract_amendments"),
    "/api/v1/contracts/{id}/money-flows": ("contracts", "money_flows"),
    "/api/v1/pledges/{id}/balance": ("pledges",),
    "/api/v1/investments/{id}/money-flows": ("investments", "money_flows"),
    "/api/v1/investments/{id}/money": ("investments",),
    "/api/v1/contracts/{id}/deliveries": ("contracts", "deliveries"),
    "/api/v1/deliveries/table": ("contracts", "proposals"),
    "/api/v1/open-data/ocds/releases.json": "published open data (services.open_data)",
    "/api/v1/open-data/tracker.csv": "published open data (services.open_data)",
    "/api/v1/open-data/feed": "published open data (services.open_data)",
}
"""GET route -> the entities it reads (each must be asked about), or why it reads none."""


class Spy:
    def __init__(self) -> None:
        self.asked: set[str] = set()

    def clear(self) -> None:
        self.asked.clear()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    found = Spy()
    real = policy.grant_of

    def grant_of(role: Any, entity: str, action: Action = Action.READ) -> Any:
        found.asked.add(entity)
        return real(role, entity, action)

    monkeypatch.setattr(policy, "grant_of", grant_of)
    return found


def test_every_get_route_of_the_api_is_listed_with_what_it_reads(client) -> None:
    listed = {path for method, path in routes(client.get("/api/openapi.json").json())
              if method == "GET"}  # fmt: skip
    assert sorted(listed - set(API_READS)) == [], "say what these routes read"
    assert sorted(set(API_READS) - listed) == [], "these routes do not exist"


@pytest.mark.slow
def test_every_get_route_of_the_api_asks_the_policy_about_what_it_reads(client, world, spy):
    _publish(client, world)
    problems = []
    for method, template in routes(client.get("/api/openapi.json").json()):
        reads = API_READS.get(template)
        if method != "GET" or not isinstance(reads, tuple):
            continue
        for role in ("coordinator", "company"):
            path = _target(world, method, template, role, "own")
            spy.clear()
            answer = client.get(path, headers=world.headers(role))
            missing = set(reads) - spy.asked
            if answer.status_code < 500 and missing:
                problems.append(f"GET {template} as {role} read {sorted(missing)} unasked")
            if answer.status_code >= 500:
                problems.append(f"GET {template} as {role}: {answer.status_code}")
    assert problems == []


WEB_READS: dict[str, tuple[str, ...] | str] = {
    "/": "the overview's aggregates (services.planning), no record",
    "/login": NO_ENTITY,
    "/language/{code}": NO_ENTITY,
    "/account": "a redirect to the password page",
    "/account/password": "the form; the user's own password (services.identity.sessions)",
    "/account/tokens": "the caller's own tokens (services.identity.sessions)",
    "/plan": "the current plan's aggregates, named by the pledges read rule",
    "/flows": ("pledges",),  # money by partner, partners named by the pledges read rule
    "/contracts": ("contracts",),
    "/contracts/{contract_id}": ("contracts", "deliveries", "money_flows", "ledger_leaves"),
    "/contracts/new": "an empty form; its lists are read by choices()",
    "/plans": ("plans",),
    "/inbox": ("proposals", "contracts", "deliveries", "money_flows", "jobs"),
    "/log": ("ledger_leaves",),
    "/log/proof/{seq}": ("ledger_leaves",),
    "/registries": "a redirect to the first registry the role reads",
    "/registries/{entity}": ("{entity}",),
    "/registries/{entity}/new": "an empty form; its lists are read by choices()",
    "/registries/import": "the upload form (coordinators only: authorize_import)",
    "/downloads/registries/{entity}.csv": ("{entity}",),
    "/downloads/registries.xlsx": "every proposal and pledge, for coordinators and auditors",
    "/downloads/plan.json": "the current plan, by plans.plan_of_scenario (asks plans)",
    "/downloads/plan.xlsx": "the current plan's workbook, by stored_plan_workbook",
    "/registries/{entity}/{record_id}": ("{entity}",),
    "/registries/{entity}/{record_id}/edit": ("{entity}",),
    "/what-if": ("pledges",),
    "/jobs": ("jobs",),
    "/risk": ("risk_evaluations", "risk_classes", "site_risks", "plans"),
    "/invest": ("proposals", "capacity_projects"),
}
"""GET page -> the entities it reads (each must be asked about), or why it reads none."""


def _web_pages(client) -> set[str]:
    """Every GET page of the web (its routers, as ``web.app.mount`` includes them)."""
    return {
        route.path
        for router in web_routers()
        for route in router.routes
        if isinstance(route, APIRoute) and "GET" in route.methods
    }


def test_every_page_of_the_web_is_listed_with_what_it_reads(client) -> None:
    pages = _web_pages(client)
    assert sorted(pages - set(WEB_READS)) == [], "say what these pages read"
    assert sorted(set(WEB_READS) - pages) == [], "these pages do not exist"


def _sign_in(client, world: World, role: str) -> None:
    signed = log_in(world.database, f"{role}@test.kuznia", PASSWORD, client="t",
                    policy=SessionPolicy())  # fmt: skip
    client.cookies.set(SESSION_COOKIE, signed.token)


def _web_targets(world: World, template: str) -> list[tuple[str, tuple[str, ...]]]:
    reads = WEB_READS[template]
    assert isinstance(reads, tuple)
    if template == "/registries/{entity}":
        return [(f"/registries/{e}", (e,)) for e in REGISTRIES]
    if template == "/downloads/registries/{entity}.csv":
        return [(f"/downloads/registries/{e}.csv", (e,)) for e in REGISTRIES]
    if template.startswith("/registries/{entity}/{record_id}"):
        tail = template.removeprefix("/registries/{entity}/{record_id}")
        with world.database.reading() as session:
            first = {e: session.scalars(select(REGISTRIES[e].model.id)).first() for e in REGISTRIES}
        return [(f"/registries/{e}/{i}{tail}", (e,)) for e, i in first.items() if i]
    if template == "/contracts/{contract_id}":
        return [(f"/contracts/{world.delivered('a')[0]}", reads)]
    if template == "/log/proof/{seq}":
        return [("/log/proof/0", reads)]
    return [(template, reads)]


@pytest.mark.slow
def test_every_page_of_the_web_asks_the_policy_about_what_it_reads(client, world, spy):
    _publish(client, world)
    _sign_in(client, world, "coordinator")
    problems = []
    for template in sorted(_web_pages(client)):
        if not isinstance(WEB_READS[template], tuple):
            continue
        for path, reads in _web_targets(world, template):
            spy.clear()
            answer = client.get(path)
            if answer.status_code >= 500 or set(reads) - spy.asked:
                problems.append(f"{path}: {answer.status_code}, unasked {set(reads) - spy.asked}")
    assert problems == []


def test_every_entity_the_log_keeps_leaves_for_has_a_read_rule(client, world) -> None:
    _publish(client, world)
    world.commitment("a")
    with world.database.reading() as session:
        logged = set(session.scalars(select(LedgerLeaf.entity).distinct()))
    assert {"contracts", "deliveries", "money_flows", "users", "plans"} <= logged
    assert sorted(e for e in logged if Action.READ not in RULES.get(e, {})) == []
