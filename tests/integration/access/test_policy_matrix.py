"""The access policy as a matrix: every entity x action x role, and every secret field with who
sees it, written out here so that any change to the rules must change this table too; and the
policy covers every table of the database, every column it names, and every entity the log
keeps leaves for.

The routes, lists and pages asking the policy is checked in
``tests/integration/api/test_policy_coverage.py``.
"""

from __future__ import annotations

import pytest

from kuznia.db.tables import metadata
from kuznia.services.access.policy import Viewer, model_of
from kuznia.services.access.rules import (
    ALL,
    INTERNAL_TABLES,
    LIFECYCLE_WRITES,
    RULES,
    SECRET_FIELDS,
    SECRET_SEEN_BY,
    Action,
    Among,
    Owned,
    SeenWith,
    Through,
)
from kuznia.services.kernel.actors import Actor, Role

ROLES = (Role.COORDINATOR, Role.PARTNER, Role.COMPANY, Role.AUDITOR, Role.PUBLIC)

MATRIX: dict[tuple[str, str], str] = {
    ("capabilities", "read"): "all all all all -",
    ("capabilities", "create"): "all - - - -",
    ("capabilities", "update"): "all - - - -",
    ("capabilities", "delete"): "all - - - -",
    ("requirements", "read"): "all all all all -",
    ("requirements", "create"): "all - - - -",
    ("requirements", "update"): "all - - - -",
    ("requirements", "delete"): "all - - - -",
    ("partners", "read"): "all all all all -",
    ("partners", "create"): "all - - - -",
    ("partners", "update"): "all - - - -",
    ("partners", "delete"): "all - - - -",
    ("companies", "read"): "all all own all -",
    ("companies", "create"): "all - - - -",
    ("companies", "update"): "all - - - -",
    ("companies", "delete"): "all - - - -",
    ("sites", "read"): "all all own all -",
    ("sites", "create"): "all - own - -",
    ("sites", "update"): "all - own - -",
    ("sites", "delete"): "all - own - -",
    ("proposals", "read"): "all all own all -",
    ("proposals", "create"): "all - own - -",
    ("proposals", "update"): "all - own - -",
    ("proposals", "delete"): "all - own - -",
    ("proposals", "review"): "all - - - -",
    ("risk_classes", "read"): "all all all all -",
    ("risk_classes", "create"): "all - - - -",
    ("risk_classes", "update"): "all - - - -",
    ("risk_classes", "delete"): "all - - - -",
    ("site_risks", "read"): "all all own all -",
    ("site_risks", "create"): "all - - - -",
    ("site_risks", "update"): "all - - - -",
    ("site_risks", "delete"): "all - - - -",
    ("risk_evaluations", "read"): "all all - all -",
    ("risk_evaluations", "create"): "all - - - -",
    ("capacity_projects", "read"): "all all own all -",
    ("capacity_projects", "create"): "all - own - -",
    ("capacity_projects", "update"): "all - own - -",
    ("capacity_projects", "delete"): "all - own - -",
    ("capacity_projects", "review"): "all - own - -",
    ("pledges", "read"): "all own - all -",
    ("pledges", "create"): "all own - - -",
    ("pledges", "update"): "all own - - -",
    ("pledges", "delete"): "all own - - -",
    ("investments", "read"): "all - own all -",
    ("investments", "create"): "all - own - -",
    ("investments", "update"): "all - own - -",
    ("investments", "delete"): "all - own - -",
    ("planning_settings", "read"): "all all all all -",
    ("planning_settings", "update"): "all - - - -",
    ("fx_rates", "read"): "all all all all -",
    ("fx_rates", "update"): "all - - - -",
    ("organisations", "read"): "all own own all -",
    ("organisations", "create"): "all - - - -",
    ("users", "read"): "all own own all -",
    ("users", "create"): "all - - - -",
    ("users", "update"): "all - - - -",
    ("api_tokens", "read"): "all own own all -",
    ("plans", "read"): "all all - all -",
    ("plans", "create"): "all - - - -",
    ("plan_scenarios", "read"): "all all - all -",
    ("jobs", "read"): "all own own all -",
    ("jobs", "update"): "all own own own -",
    ("contracts", "read"): "all own own all -",
    ("contract_schedule", "read"): "all own own all -",
    ("contract_amendments", "read"): "all own own all -",
    ("money_flows", "read"): "all own own all -",
    ("deliveries", "read"): "all own own all -",
    ("ledger_leaves", "read"): "all all all all all",
    ("ledger_nodes", "read"): "all all all all all",
    ("ledger_checkpoints", "read"): "all all all all all",
    ("ledger_checkpoints", "create"): "all - - - -",
    ("ledger_openings", "read"): "all all all all -",
    ("audit_events", "read"): "all - - all -",
}
"""(entity, action) -> the grant of coordinator, partner, company, auditor, public: every rows
(all), their organisation's own (own), or none (-). Actions no role may do are left out."""

SECRETS: dict[str, tuple[frozenset[str], str]] = {
    "sites": (frozenset({"address", "latitude", "longitude"}), "all own own - -"),
    "deliveries": (frozenset({"destination"}), "all - own - -"),
    "site_risks": (frozenset({"risk_class_id"}), "all own own - -"),
}
"""entity -> (its secret fields, who sees them: coordinator partner company auditor public)."""


def _cell(grant: object) -> str:
    if grant is None:
        return "-"
    return "own" if isinstance(grant, tuple) else "all"


def _rendered() -> dict[tuple[str, str], str]:
    found = {}
    for entity, actions in RULES.items():
        for action in Action:
            cells = [_cell(actions.get(action, {}).get(role)) for role in ROLES]
            if set(cells) != {"-"}:
                found[(entity, action.value)] = " ".join(cells)
    return found


def test_the_rules_grant_exactly_the_matrix() -> None:
    assert _rendered() == MATRIX


INVESTOR: dict[tuple[str, str], str] = {
    ("capabilities", "read"): "all",
    ("requirements", "read"): "all",
    ("partners", "read"): "all",
    ("companies", "read"): "own",
    ("risk_classes", "read"): "all",
    ("capacity_projects", "read"): "open or own",
    ("capacity_projects", "create"): "own",
    ("capacity_projects", "update"): "own",
    ("capacity_projects", "delete"): "own",
    ("capacity_projects", "review"): "own",
    ("pledges", "read"): "own",
    ("pledges", "create"): "own",
    ("pledges", "update"): "own",
    ("pledges", "delete"): "own",
    ("investments", "read"): "own",
    ("investments", "create"): "own",
    ("investments", "update"): "own",
    ("investments", "delete"): "own",
    ("money_flows", "read"): "own",
    ("planning_settings", "read"): "all",
    ("fx_rates", "read"): "all",
    ("organisations", "read"): "own",
    ("users", "read"): "own",
    ("api_tokens", "read"): "own",
    ("jobs", "read"): "own",
    ("jobs", "update"): "own",
    ("ledger_leaves", "read"): "all",
    ("ledger_nodes", "read"): "all",
    ("ledger_checkpoints", "read"): "all",
    ("ledger_openings", "read"): "all",
}
"""(entity, action) -> the investor's grant (issue 17): reference data and needs, the capacity
projects open for investment (vetted, financed) and its own, its own pledges (as a fund's
partner record) and investments (as a firm's company record) with their money flows (and the
flows its fund's pledges pay); no sites (no locations), no
proposals, plans or contracts, and no secret field anywhere."""


def _investor_cell(grant: object) -> str:
    if isinstance(grant, tuple) and any(isinstance(rule, Among) for rule in grant):
        return "open or own"
    return _cell(grant)


def test_the_investor_is_granted_exactly_its_need_to_know() -> None:
    found = {
        (entity, action.value): _investor_cell(grant)
        for entity, actions in RULES.items()
        for action in Action
        if (grant := actions.get(action, {}).get(Role.INVESTOR)) is not None
    }
    assert found == INVESTOR
    assert all(Role.INVESTOR not in seen for seen in SECRET_SEEN_BY.values())


def test_an_investor_sees_only_the_projects_open_for_investment_and_its_own() -> None:
    viewer = Viewer(Actor(role=Role.INVESTOR, company_id="co-inv"))
    assert viewer.may("capacity_projects", {"status": "vetted", "company_id": "co-x"})
    assert viewer.may("capacity_projects", {"status": "financed", "company_id": "co-x"})
    assert not viewer.may("capacity_projects", {"status": "submitted", "company_id": "co-x"})
    assert not viewer.may("capacity_projects", {"status": "producing", "company_id": "co-x"})
    assert viewer.may("capacity_projects", {"status": "submitted", "company_id": "co-inv"})


def test_the_secret_fields_and_who_sees_them_are_exactly_the_matrix() -> None:
    assert set(SECRET_FIELDS) == set(SECRETS) == set(SECRET_SEEN_BY)
    for entity, (fields, seen) in SECRETS.items():
        assert SECRET_FIELDS[entity] == fields
        assert " ".join(_cell(SECRET_SEEN_BY[entity].get(r)) for r in ROLES) == seen


def test_a_sites_risk_class_is_seen_by_exactly_who_sees_the_sites_location() -> None:
    for role in (*ROLES, Role.INVESTOR):
        location, risk = SECRET_SEEN_BY["sites"].get(role), SECRET_SEEN_BY["site_risks"].get(role)
        if location is None or location == ALL:
            assert risk == location, role
        else:
            assert risk == (SeenWith("site_id", "sites"),), role


def test_every_table_has_a_policy_or_is_internal_and_no_rule_names_a_missing_one() -> None:
    tables = set(metadata.tables)
    assert tables - set(RULES) - set(INTERNAL_TABLES) == set(), "state who may read these"
    assert set(RULES) & set(INTERNAL_TABLES) == set()
    assert set(RULES) | set(INTERNAL_TABLES) <= tables
    assert set(LIFECYCLE_WRITES) <= set(RULES)


def _row_rules() -> list[tuple[str, Owned | Through | Among | SeenWith]]:
    grants = [
        (entity, grant)
        for entity, actions in RULES.items()
        for by_role in actions.values()
        for grant in by_role.values()
    ]
    grants += [(e, g) for e, by_role in SECRET_SEEN_BY.items() for g in by_role.values()]
    return [(e, rule) for e, g in grants if isinstance(g, tuple) for rule in g]


def test_every_column_a_rule_or_a_secret_names_exists() -> None:
    for entity, rule in _row_rules():
        assert rule.column in metadata.tables[entity].c, (entity, rule)
        if isinstance(rule, Through | SeenWith):
            assert rule.entity in (SECRET_SEEN_BY if isinstance(rule, SeenWith) else RULES), rule
            column = metadata.tables[entity].c[rule.column]
            assert {fk.column.table.name for fk in column.foreign_keys} == {rule.entity}, rule
    for entity, fields in SECRET_FIELDS.items():
        assert fields <= set(metadata.tables[entity].c.keys()), entity


def test_every_entity_with_rules_has_a_model_for_its_row_conditions() -> None:
    for entity in RULES:
        assert model_of(entity).__tablename__ == entity


@pytest.mark.parametrize("role", ROLES)
def test_a_role_with_no_grant_is_refused_and_sees_no_row(role: Role) -> None:
    viewer = Viewer(Actor(role=role))
    for entity, actions in RULES.items():
        for action in Action:
            if role not in actions.get(action, {}):
                assert viewer.grant(entity, action) is None
                assert viewer.may(entity, {"id": "x"}, action) is False
