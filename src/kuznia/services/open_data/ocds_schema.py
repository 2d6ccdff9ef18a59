"""OCDS 1.1.5: the release and package schemas kuznia ships, and validation of a package's bytes."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
PACKAGE_SCHEMA_URL = (
    "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
)


def package_bytes(package: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON with every Decimal written as a JSON number, digit for digit."""
    nonce = secrets.token_hex(8)
    marker = re.compile(rf'"{nonce}(-?[0-9]+(?:\.[0-9]+)?)"')

    def encode(obj: object) -> str:
        if isinstance(obj, Decimal):
            return f"{nonce}{obj}"
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")

    text = json.dumps(package, default=encode, ensure_ascii=False, indent=2)
    return (marker.sub(r"\1", text) + "\n").encode("utf-8")


def _schema(name: str) -> dict[str, Any]:
    text = resources.files("kuznia.data.ocds").joinpath(name).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def package_validator() -> Draft4Validator:
    """Draft 4 validator of the release package schema; its reference to the release schema
    resolves to the file kept in the repository. The registry retrieves nothing: any other
    reference fails instead of reaching for the network."""
    release = Resource.from_contents(_schema("release-schema.json"), default_specification=DRAFT4)
    registry: Registry[Any] = Registry().with_resource(RELEASE_SCHEMA_URL, release)
    package = _schema("release-package-schema.json")
    return Draft4Validator(
        package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def validation_errors(data: bytes) -> list[str]:
    """Every way the published bytes break the OCDS 1.1.5 release package schema (empty: valid)."""
    document = json.loads(data, parse_float=Decimal)
    errors = sorted(package_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]
