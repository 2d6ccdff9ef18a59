"""A small registered world (the test scenario) and contracts on it, for the service tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from kuznia.money import Money
from kuznia.scenario.io import parse_scenario
from kuznia.scenario.plan import Plan
from kuznia.services.contracting.contracts import sign_contract
from kuznia.services.contracting.drafting import AbroadTerms, ContractDraft, create_contract
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.database import Database
from kuznia.services.registries.scenarios import import_scenario
from tests.factories import scenario_bytes
from tests.support.settle import settle as settle_contract

COORDINATOR = Actor(role=Role.COORDINATOR, user_id="olena", label="olena@ministry")
UA_BUDGET = Actor(role=Role.PARTNER, user_id="taras", partner_id="ua-budget", label="taras@mof")
DANISH = Actor(role=Role.PARTNER, user_id="freja", partner_id="dk", label="freja@dk")
COMPANY_1 = Actor(role=Role.COMPANY, user_id="ivan", company_id="co-ua-1", label="ivan@co1")
COMPANY_2 = Actor(role=Role.COMPANY, user_id="mykola", company_id="co-ua-2", label="m@co2")
AUDITOR = Actor(role=Role.AUDITOR, user_id="audit", label="audit@nabu")
PUBLIC = Actor(role=Role.PUBLIC)

ABROAD_TERMS = AbroadTerms(
    offtake_until=date(2027, 12, 31),
    offtake_condition="or until martial law in Ukraine ends, whichever is later",
    capacity_after="the line stays in Denmark; Ukraine keeps a right of first call on 50%",
    ip_owner="co-ua-2 (Ukrainian parent company)",
    export_licence_status="granted",
    export_licence_reference="DK-EXP-2026-0042",
    export_licence_expiry=date(2027, 6, 30),
)


def load_world(database: Database) -> None:
    with database.unit_of_work(Actor.system("test")) as uow:
        import_scenario(uow, parse_scenario(scenario_bytes()))


def fpv_draft(contract_id: str = "contract-1", *, amount: str = "200000.00") -> ContractDraft:
    """400 FPV drones from line-1 (co-ua-1, in Ukraine), paid from Ukraine's budget in EUR."""
    return ContractDraft(
        id=contract_id,
        title="400 FPV drones",
        pledge_id="pledge-ua",
        company_id="co-ua-1",
        capability_id="fpv",
        units=400,
        amount=Money.parse(amount, "EUR"),
        schedule={"2026-03": 100, "2026-04": 150, "2026-05": 150},
        proposal_id="line-1",
    )


def shell_draft(contract_id: str = "contract-dk", **changes: Any) -> ContractDraft:
    """200 shells from line-2 (co-ua-2's line in Denmark), paid from the Danish pledge."""
    fields: dict[str, Any] = {
        "id": contract_id,
        "title": "200 shells 155 mm",
        "pledge_id": "pledge-dk",
        "company_id": "co-ua-2",
        "capability_id": "shell-155",
        "units": 200,
        "amount": Money.parse("7000000.00", "DKK"),
        "schedule": {"2026-06": 100, "2026-07": 100},
        "proposal_id": "line-2",
        "abroad": ABROAD_TERMS,
    }
    fields.update(changes)
    return ContractDraft(**fields)


def signed(database: Database, draft: ContractDraft, partner: Actor) -> None:
    with database.unit_of_work(COORDINATOR) as uow:
        create_contract(uow, draft)
        sign_contract(uow, draft.id)
    with database.unit_of_work(partner) as uow:
        sign_contract(uow, draft.id)


def plan(funding: list[dict[str, Any]], setup: list[dict[str, Any]] | None = None) -> Plan:
    return Plan.model_validate(
        {
            "scenario_sha256": "ab" * 32,
            "status": "optimal",
            "solver": {"name": "test", "version": "0", "mip_gap": 0.0},
            "timings_s": {"build": 0, "solve": 0, "total": 0},
            "value": 1.0,
            "total_spend": "0.00",
            "funding": funding,
            "setup": setup or [],
        }
    )


def settle(database: Database, contract_id: str) -> None:
    """Settle a signed contract as the coordinator (``tests.support.settle``)."""
    settle_contract(database, COORDINATOR, contract_id)
