"""The optimizer stays readable (issue 11): no allocation module over 400 lines, no function
over 50, no tuple standing in for a named type in a signature of more than three members."""

from __future__ import annotations

import ast
from pathlib import Path

import kuznia.allocation

PACKAGE = Path(kuznia.allocation.__file__).parent
MAX_MODULE_LINES, MAX_FUNCTION_LINES, MAX_TUPLE_MEMBERS = 400, 50, 3


def _modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def test_every_allocation_module_is_at_most_400_lines() -> None:
    long = {p.name: n for p in _modules() if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_every_allocation_function_is_at_most_50_lines() -> None:
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.name}:{node.name}"] = length
    assert long == {}


def _wide_tuples(annotation: ast.expr) -> list[str]:
    """``tuple[A, B, C, D]`` (fixed members, more than three) anywhere in an annotation."""
    out = []
    for node in ast.walk(annotation):
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "tuple":
            members = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            fixed = not any(isinstance(m, ast.Constant) and m.value is Ellipsis for m in members)
            if fixed and len(members) > MAX_TUPLE_MEMBERS:
                out.append(ast.unparse(node))
    return out


def test_no_allocation_signature_or_field_uses_a_wide_tuple_for_a_type() -> None:
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            annotations: list[ast.expr] = []
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                annotations += [a.annotation for a in node.args.args if a.annotation]
                annotations += [node.returns] if node.returns else []
            elif isinstance(node, ast.AnnAssign):
                annotations.append(node.annotation)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
                annotations.append(node.value)  # a type alias: Setup = tuple[...]
            found += [f"{path.name}: {t}" for a in annotations for t in _wide_tuples(a)]
    assert found == []
