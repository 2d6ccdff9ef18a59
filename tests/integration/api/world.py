"""A small world for API tests: two of each kind of owner ("a" is the acting persona's own, "b"
another organisation's), one user per role with an API token, and secret site locations that
are easy to spot in any response."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kuznia.db import registries as db
from kuznia.money import Money
from kuznia.scenario.model import Capability
from kuznia.services.contracting.contracts import sign_contract, start_production
from kuznia.services.contracting.deliveries import (
    DeliveryReport,
    inspect_delivery,
    report_delivery,
)
from kuznia.services.contracting.drafting import ContractDraft, create_contract
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds, disburse
from kuznia.services.identity import sessions, users
from kuznia.services.jobs import queue
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.database import Database
from kuznia.services.kernel.upsert import upsert
from kuznia.services.planning.runs import run_plan
from kuznia.services.registries import records
from kuznia.services.registries.scenarios import import_scenario
from tests.factories import OPEN_UNTIL
from tests.support.factory import scenario

ROLES = ("anonymous", "coordinator", "partner", "company", "auditor", "investor")
OWNERS = {"a": ("co-a", "partner-dk"), "b": ("co-b", "partner-de"), "i": ("co-inv", "fund-n")}
"""Whose records: (company, partner) of owner a (the personas'), b (others') and i (the
investor's: an investor firm, GB, with a fund's partner record)."""
PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def fresh(prefix: str) -> str:
    return f"{prefix}-t{next(_counter)}"


@dataclass
class Secret:
    """A secret value and the roles that may see it."""

    value: str
    visible_to: frozenset[str]


@dataclass
class World:
    database: Database
    tokens: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    organisations: dict[str, str] = field(default_factory=dict)
    secrets: list[Secret] = field(default_factory=list)
    plan_ids: list[str] = field(default_factory=list)
    funded_plan_id: str | None = None

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens.get(role)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def create(self, entity: str, data: dict[str, Any]) -> str:
        with self.database.unit_of_work(Actor.system("test")) as uow:
            return str(records.create_record(uow, entity, data)["id"])

    def site(self, owner: str, country: str = "UA") -> str:
        """A new site of company a, b or i with unique secret values."""
        company = OWNERS[owner][0]
        tag = fresh("S")
        address, lat, lon = f"SECRET-{tag}-street", f"4{len(tag) % 9}.{next(_counter):07d}", None
        site_id = self.create(
            "sites",
            {
                "company_id": company,
                "name": f"site {tag}",
                "country": country,
                "address": address,
                "latitude": lat,
                "longitude": lon,
            },
        )
        viewers = {"coordinator"} | ({"company"} if owner == "a" else set())
        viewers |= {"partner"} if country == "DK" else set()
        self.secrets.append(Secret(address, frozenset(viewers)))
        return site_id

    def contract(self, owner: str, *, signed: bool = False, producing: bool = False) -> str:
        """A new draft contract paid by a new pledge of partner a/b (the partner persona's, or
        the other partner's) for a new proposal of company a/b; signed by both when ``signed``,
        and in production as well when ``producing``."""
        signed = signed or producing
        company = {"a": "co-a", "b": "co-b"}[owner]
        payer = {"a": "partner", "b": "other_partner"}[owner]
        contract_id = fresh("contract")
        draft = ContractDraft(
            id=contract_id,
            title=f"matrix {contract_id}",
            pledge_id=self.record("pledges", owner),
            company_id=company,
            capability_id="cap-1",
            units=10,
            amount=Money.parse("1000.00", "EUR"),
            schedule={"2026-03": 5, "2026-04": 5},
            proposal_id=self.record("proposals", owner),
        )
        with self.database.unit_of_work(self.actors["coordinator"]) as uow:
            create_contract(uow, draft)
            if signed:
                sign_contract(uow, contract_id)
        if signed:
            with self.database.unit_of_work(self.actors[payer]) as uow:
                sign_contract(uow, contract_id)
        if producing:
            with self.database.unit_of_work(self.actors["coordinator"]) as uow:
                start_production(uow, contract_id)
        return contract_id

    def completable(self, owner: str) -> str:
        """A contract in production whose every unit is delivered and accepted and whose whole
        amount is committed and paid: the ministry may complete it."""
        contract_id = self.contract(owner, producing=True)
        money = FlowRequest(Money.parse("1000.00", "EUR"), reference="world")
        report = DeliveryReport(contract_id, date(2026, 4, 2), 10, self.destination(owner))
        with self.database.unit_of_work(self.actors["coordinator"]) as uow:
            delivery = report_delivery(uow, report)
            inspect_delivery(uow, delivery.id, 10)
            disburse(uow, commit_funds(uow, contract_id, money).id, money)
        return contract_id

    def commitment(self, owner: str, *, disbursed: bool = False) -> str:
        """500.00 EUR committed (and disbursed, when ``disbursed``) under a new signed contract
        of company a/b, paid by partner a/b."""
        contract_id = self.contract(owner, signed=True)
        money = FlowRequest(Money.parse("500.00", "EUR"), reference="world")
        with self.database.unit_of_work(self.actors["coordinator"]) as uow:
            commitment_id = commit_funds(uow, contract_id, money).id
            if disbursed:
                disburse(uow, commitment_id, money)
        return commitment_id

    def destination(self, owner: str) -> str:
        """A new secret delivery destination of company a/b: the coordinator and the delivering
        company see it, nobody else (not the paying partner, not auditors)."""
        value = f"SECRET-{fresh('D')}-depot"
        viewers = {"coordinator"} | ({"company"} if owner == "a" else set())
        self.secrets.append(Secret(value, frozenset(viewers)))
        return value

    def job(self, persona: str) -> str:
        """A queued job submitted by ``persona`` (no worker runs in these tests)."""
        with self.database.transaction() as session:
            return queue.submit(session, self.actors[persona], "plan", {"label": "matrix"}).id

    def delivery(self, owner: str) -> str:
        """A delivery, to a secret destination, under a new signed contract of company a/b."""
        return self.delivered(owner)[1]

    def delivered(self, owner: str) -> tuple[str, str]:
        """(contract, delivery): a new signed contract of company a/b and one delivery under it
        to a secret destination."""
        contract_id = self.contract(owner, signed=True)
        report = DeliveryReport(contract_id, date(2026, 3, 2), 1, self.destination(owner))
        with self.database.unit_of_work(self.actors["coordinator"]) as uow:
            return contract_id, report_delivery(uow, report).id

    def funded_plan(self) -> str:
        """A stored plan that funds a vetted proposal of company a from a confirmed pledge of
        partner a (made once per world): something to draw contracts from."""
        if self.funded_plan_id is None:
            need = {"capability_id": "cap-1", "quantity": 5, "due_month": "2026-04"}
            self.create("requirements", {**need, "priority": 2.5})
            pledge = record_body("pledges", company="co-a", partner="partner-dk")
            self.create("pledges", {**pledge, "status": "confirmed"})
            proposal = record_body("proposals", company="co-a", partner="partner-dk")
            proposal_id = self.create("proposals", proposal)
            with self.database.unit_of_work(Actor.system("test")) as uow:
                records.review_proposal(uow, proposal_id, "vetted", None)
            coordinator = self.actors["coordinator"]
            self.funded_plan_id = str(run_plan(self.database, coordinator, label="funded")["id"])
        return self.funded_plan_id

    def plans(self) -> tuple[str, str]:
        """Two stored plans of the world's scenario (solved once per world)."""
        if not self.plan_ids:
            for label in ("first", "second"):
                coordinator = self.actors["coordinator"]
                self.plan_ids.append(str(run_plan(self.database, coordinator, label=label)["id"]))
        return self.plan_ids[0], self.plan_ids[1]

    def record(self, entity: str, owner: str) -> str:
        """A new record of ``entity`` owned by ``owner`` (a: the personas', b: others', i: the
        investor's)."""
        company, partner = OWNERS[owner]
        data = record_body(entity, company=company, partner=partner)
        if entity == "sites":
            return self.site(owner)
        return self.create(entity, {**data, **_investor_changes(entity, owner)})


def _investor_changes(entity: str, owner: str) -> dict[str, Any]:
    """What the investor firm's records change (it is in GB; its projects are in Ukraine)."""
    if owner != "i":
        return {}
    return {"investments": {"from_country": "GB"}, "capacity_projects": {"site_country": "UA"}}.get(
        entity, {}
    )


def record_body(entity: str, *, company: str, partner: str) -> dict[str, Any]:
    """A valid creation body for ``entity`` owned by ``company`` / ``partner``."""
    bodies: dict[str, dict[str, Any]] = {
        "capabilities": {"name": "Interceptor", "unit": "drone", "category": "drones"},
        "requirements": {
            "capability_id": "cap-1",
            "quantity": 5,
            "due_month": "2026-04",
            "priority": 2.5,
        },
        "partners": {"name": "Norway", "country": "NO", "kind": "government"},
        "companies": {"name": "New Works", "country": "UA", "ukrainian": True},
        "sites": {"company_id": company, "name": "Workshop", "country": "UA"},
        "proposals": {
            "company_id": company,
            "site_country": "UA",
            "capability_id": "cap-1",
            "unit_cost_cents": 12_000,
            "currency": "EUR",
            "monthly_capacity": 10,
            "lead_time_months": 1,
            "ramp_up_months": 1,
        },
        "capacity_projects": {
            "company_id": company,
            "site_country": "DK",
            "capability_id": "cap-1",
            "capex_cents": 1_200_000_000,
            "currency": "EUR",
            "earliest_start": "2026-03",
            "build_months": 6,
            "unit_cost_cents": 11_000,
            "monthly_capacity": 500,
            "ramp_up_months": 2,
            "offtake_until": "2030-12",
            "offtake_share_percent": 100,
        },
        "pledges": {
            "partner_id": partner,
            "amount_cents": 1_000_000,
            "currency": "EUR",
            "valid_from": "2026-01",
            "valid_to": OPEN_UNTIL,
        },
        "investments": {
            "investor_company_id": company,
            "target_company_id": "co-c",
            "from_country": "UA",
            "to_country": "DE",
            "instrument": "equity",
            "amount_cents": 500_000,
            "currency": "EUR",
            "month": "2026-02",
        },
    }
    return bodies[entity]


PATCHES: dict[str, dict[str, Any]] = {
    "capabilities": {"name": "Renamed"},
    "requirements": {"quantity": 7},
    "partners": {"name": "Renamed"},
    "companies": {"name": "Renamed"},
    "sites": {"name": "Renamed"},
    "proposals": {"monthly_capacity": 12},
    "capacity_projects": {"build_months": 8},
    "pledges": {"amount_cents": 2_000_000},
    "investments": {"amount_cents": 600_000},
}


def _registries(database: Database) -> None:
    with database.unit_of_work(Actor.system("test")) as uow:
        import_scenario(uow, scenario(capabilities=(Capability(id="cap-1", name="FPV", unit="u"),)))
        upsert(
            uow,
            db.Partner,
            [
                {"id": "partner-dk", "name": "Denmark", "country": "DK", "kind": "government"},
                {"id": "partner-de", "name": "Germany", "country": "DE", "kind": "government"},
                {"id": "fund-n", "name": "Fund N", "country": None, "kind": "fund"},
            ],
        )
        upsert(
            uow,
            db.Company,
            [
                {
                    "id": c,
                    "name": f"Company {c}",
                    "country": k,
                    "ukrainian": k == "UA",
                    "state_owned": False,
                }
                for c, k in (("co-a", "UA"), ("co-b", "UA"), ("co-c", "DE"), ("co-inv", "GB"))
            ],
        )


def _user(world: World, role: str, kind: str, link: dict[str, str]) -> None:
    org_id = f"org-{role}"
    with world.database.unit_of_work(Actor.system("test")) as uow:
        users.create_organisation(
            uow, name=f"Org of {role}", kind=kind, organisation_id=org_id, **link
        )
        user = users.create_user(
            uow, organisation_id=org_id, email=f"{role}@test.kuznia", name=role, password=PASSWORD
        )
    actor = Actor(
        role=Role(user["role"]),
        user_id=user["id"],
        organisation_id=org_id,
        partner_id=link.get("partner_id"),
        company_id=link.get("company_id"),
        label=user["email"],
    )
    with world.database.unit_of_work(actor) as uow:
        _, token = sessions.issue_token(uow, "tests", 30, sessions.SessionPolicy())
    world.tokens[role], world.actors[role] = token, actor
    world.users[role], world.organisations[role] = user["id"], org_id


def seed(database: Database) -> World:
    world = World(database)
    _registries(database)
    _user(world, "coordinator", "ministry", {})
    _user(world, "partner", "partner", {"partner_id": "partner-dk"})
    _user(world, "company", "company", {"company_id": "co-a"})
    _user(world, "auditor", "audit", {})
    _user(world, "other_partner", "partner", {"partner_id": "partner-de"})
    _user(world, "other_company", "company", {"company_id": "co-b"})
    _user(world, "investor", "investor", {"partner_id": "fund-n", "company_id": "co-inv"})
    world.site("a")
    world.site("b")
    world.site("b", country="DK")
    return world
