"""The lifecycle modules are the only places in the services that compare statuses.

Every other module asks a lifecycle (``Lifecycle.apply`` through ``advance``, ``inspect``,
``check_proposal``, ``check_pledge``) or uses a set the lifecycle module names (``CONTRACTED``,
``PLANNED_PROPOSALS``...): a status written as a string, or compared with an enum member, outside
them would be a second copy of a rule.
"""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

import kuznia.services
from kuznia.db.contracting import ContractStatus, DeliveryStatus, LicenceStatus
from kuznia.db.registries import PledgeStatus, ProposalStatus
from kuznia.services.contracting.lifecycle import Stage

STATUS_ENUMS: tuple[type[StrEnum], ...] = (
    ContractStatus,
    Stage,
    DeliveryStatus,
    LicenceStatus,
    ProposalStatus,
    PledgeStatus,
)
SERVICES = Path(kuznia.services.__file__).parent
LIFECYCLE_MODULES = {"contracting/lifecycle.py", "registries/lifecycle.py", "kernel/lifecycle.py"}
ALLOWED_LITERALS = {
    ("open_data/ocds.py", "terminated"): "a value of the OCDS contract status codelist",
}
STATUS_VALUES = {member.value for enum in STATUS_ENUMS for member in enum}
ENUM_NAMES = {enum.__name__ for enum in STATUS_ENUMS}


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        name = path.relative_to(SERVICES).as_posix()
        if name not in LIFECYCLE_MODULES:
            found.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _is_member(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ENUM_NAMES
    )


def test_the_services_are_parsed_and_the_lifecycle_modules_exist():
    names = {name for name, _ in _modules()}
    assert len(names) > 40
    assert all((SERVICES / module).is_file() for module in LIFECYCLE_MODULES)


def test_no_status_is_written_as_a_string_outside_the_lifecycle_modules():
    found = [
        f"{name}:{node.lineno}: {node.value!r}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in STATUS_VALUES
        and (name, node.value) not in ALLOWED_LITERALS
    ]
    assert found == [], "use the enum, and let the lifecycle module decide"


def test_no_status_is_compared_outside_the_lifecycle_modules():
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(
            _is_member(operand) or (isinstance(operand, ast.Tuple | ast.List | ast.Set)
                                    and any(_is_member(e) for e in operand.elts))
            for operand in (node.left, *node.comparators)
        )
    ]  # fmt: skip
    assert found == [], "ask the lifecycle (or a set it names) instead of comparing statuses"
