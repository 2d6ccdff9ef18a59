"""The documents of registry records, derived from the tables, not written out a third time.

A table row (``db/models.py``) is the one hand-written shape of a registry record. Its documents
-- what a client may send to create one, what it may send to change one, what it reads back,
and which query parameters list them -- are Pydantic models generated here from the table's
columns, refined by the few facts a column type does not carry (an id's form, a country code,
a month, a lower bound matching a CHECK constraint, the known values of a status). Every input
model forbids unknown fields. The API and the web pages both use these, and the OpenAPI
document shows them under the entity's name (``Site``, ``SiteCreate``, ``SitePatch``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model
from sqlalchemy import JSON, BigInteger, Boolean, Column, DateTime, Float, Integer, String

from kuznia.db.registries import (
    InvestmentInstrument,
    PledgePurpose,
    PledgeStatus,
    ProjectStatus,
    ProposalKind,
    ProposalStatus,
)
from kuznia.scenario.bounds import (
    MAX_AMOUNT_CENTS,
    MAX_BUILD_MONTHS,
    MAX_CAPEX_CENTS,
    MAX_MONTHS,
    MAX_UNITS,
)
from kuznia.scenario.types import Country, Currency, WindowMonth
from kuznia.services.access.policy import OWNER_FIELD
from kuznia.services.registries.catalogue import REGISTRIES

SINGULAR: Mapping[str, str] = {
    "capabilities": "Capability",
    "requirements": "Requirement",
    "partners": "Partner",
    "companies": "Company",
    "sites": "Site",
    "proposals": "Proposal",
    "capacity_projects": "CapacityProject",
    "pledges": "Pledge",
    "investments": "Investment",
}
SERVER_FIELDS = ("version", "created_at", "updated_at")
NEW_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~:-]{0,99}$"
MAX_PAGE = 200


def _clean_text(text: str) -> str:
    """Refuse what no database column can hold: NUL characters and unpaired surrogates."""
    if "\x00" in text:
        raise ValueError("text must not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return text


def _distinct(items: list[Any]) -> list[Any]:
    if len(set(items)) != len(items):
        raise ValueError("each value at most once")
    return items


Text = Annotated[str, AfterValidator(_clean_text)]
NewId = Annotated[str, Field(pattern=NEW_ID_PATTERN, description="letters, digits, . _ ~ : -")]
RefId = Annotated[Text, Field(min_length=1, max_length=100)]


def _within(limit: int) -> Any:
    def check(text: str) -> str:
        if abs(float(text)) > limit:
            raise ValueError(f"{text} is outside -{limit}..{limit} degrees")
        return text

    return AfterValidator(check)


_DEGREES = r"^-?[0-9]{1,3}(\.[0-9]{1,7})?$"
Latitude = Annotated[str, Field(pattern=_DEGREES, max_length=20), _within(90)]
Longitude = Annotated[str, Field(pattern=_DEGREES, max_length=20), _within(180)]
INT32 = 2**31 - 1
INT64 = 2**63 - 1

FIELD_TYPES: Mapping[str, Any] = {
    "country": Country,
    "site_country": Country,
    "from_country": Country,
    "to_country": Country,
    "currency": Currency,
    "due_month": WindowMonth,
    "valid_from": WindowMonth,
    "valid_to": WindowMonth,
    "month": WindowMonth,
    "earliest_start": WindowMonth,
    "latitude": Latitude,
    "longitude": Longitude,
    "earmark_capabilities": list[RefId],
    "earmark_site_countries": list[Country],
    "earmark_company_countries": list[Country],
    "earmark_projects": list[RefId],
    "purposes": Annotated[
        list[PledgePurpose],
        Field(min_length=1, max_length=2, description="production, investment or both"),
        AfterValidator(_distinct),
    ],
    "instrument": InvestmentInstrument,
}
ENTITY_FIELD_TYPES: Mapping[tuple[str, str], Any] = {
    ("proposals", "status"): ProposalStatus,
    ("proposals", "kind"): ProposalKind,
    ("capacity_projects", "status"): ProjectStatus,
    ("capacity_projects", "kind"): ProposalKind,
    ("pledges", "status"): PledgeStatus,
    ("partners", "kind"): Literal["government", "EU", "Ukraine", "fund"],
}
LOWER_BOUNDS: Mapping[str, int] = {
    "quantity": 1,
    "unit_cost_cents": 0,
    "setup_cost_cents": 0,
    "monthly_capacity": 0,
    "lead_time_months": 0,
    "ramp_up_months": 1,
    "min_total_units": 0,
    "ship_lag_months": 0,
    "amount_cents": 0,
    "capex_cents": 1,
    "build_months": 0,
}
UPPER_BOUNDS: Mapping[str, int] = {
    "quantity": MAX_UNITS,
    "monthly_capacity": MAX_UNITS,
    "min_total_units": MAX_UNITS,
    "unit_cost_cents": MAX_AMOUNT_CENTS,
    "setup_cost_cents": MAX_AMOUNT_CENTS,
    "amount_cents": MAX_AMOUNT_CENTS,
    "lead_time_months": MAX_MONTHS,
    "ramp_up_months": MAX_MONTHS,
    "ship_lag_months": MAX_MONTHS,
    "capex_cents": MAX_CAPEX_CENTS,
    "build_months": MAX_BUILD_MONTHS,
}
"""What the scenario format, the database and the optimizer carry (``scenario.bounds``)."""
CREATE_EXCLUDED: Mapping[str, frozenset[str]] = {
    "proposals": frozenset({"status", "review_reason"}),
    "capacity_projects": frozenset({"status", "proposal_id"}),
}
"""Fields no one sets on creation: a proposal or project starts ``submitted`` and changes by
review (a project's line is linked when it produces)."""


def _input_type(entity: str, column: Column[Any]) -> Any:
    name = column.name
    if (entity, name) in ENTITY_FIELD_TYPES:
        return ENTITY_FIELD_TYPES[(entity, name)]
    if name in FIELD_TYPES:
        return FIELD_TYPES[name]
    if column.foreign_keys:
        return RefId
    kind = column.type
    if isinstance(kind, Boolean):
        return bool
    if isinstance(kind, Integer):
        top = INT64 if isinstance(kind, BigInteger) else INT32
        low = 1 if (entity, name) == ("investments", "amount_cents") else LOWER_BOUNDS.get(name)
        high = UPPER_BOUNDS.get(name, top)
        return Annotated[int, Field(ge=-top if low is None else low, le=high)]
    if isinstance(kind, Float):
        return Annotated[float, Field(gt=0, allow_inf_nan=False, le=1e12)]
    if isinstance(kind, String):
        return Annotated[Text, Field(min_length=1, max_length=kind.length)]
    raise TypeError(f"no input type for {entity}.{name}")  # pragma: no cover - new column type


def _output_type(column: Column[Any]) -> Any:
    kind = column.type
    base: Any = str
    if isinstance(kind, Boolean):
        base = bool
    elif isinstance(kind, Integer):
        base = int
    elif isinstance(kind, Float):
        base = float
    elif isinstance(kind, DateTime):
        base = datetime
    elif isinstance(kind, JSON):
        base = list[str]
    return base | None if column.nullable else base


def _default(column: Column[Any]) -> Any:
    if column.name == "purposes":
        return Field(default_factory=lambda: [PledgePurpose.PRODUCTION])
    if isinstance(column.type, JSON):
        return Field(default_factory=list)
    if column.nullable:
        return None
    if column.default is not None and not column.default.is_callable:
        return getattr(column.default, "arg", ...)
    return ...


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


@dataclass(frozen=True, slots=True)
class RecordSchemas:
    """The generated documents of one registry."""

    entity: str
    create: type[BaseModel]
    patch: type[BaseModel]
    out: type[BaseModel]
    page: type[BaseModel]
    query: type[BaseModel]
    filters: tuple[str, ...]
    sorts: tuple[str, ...]


def immutable_fields(entity: str) -> frozenset[str]:
    """Fields a record keeps for life: its id, its owner, a proposal's or project's status
    (changed by its lifecycle) and the line a project became."""
    fixed = {"id", OWNER_FIELD.get(entity, "id")}
    if entity == "proposals":
        fixed |= {"status", "review_reason"}
    if entity == "capacity_projects":
        fixed |= {"status", "proposal_id"}
    return frozenset(fixed)


def _columns(entity: str) -> list[Column[Any]]:
    return [c for c in REGISTRIES[entity].model.__table__.columns if isinstance(c, Column)]


def _create_model(entity: str) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for column in _columns(entity):
        if column.name in SERVER_FIELDS or column.name in CREATE_EXCLUDED.get(entity, ()):
            continue
        if column.name == "id":
            fields["id"] = (
                NewId | None,
                Field(None, description="chosen by the server if omitted"),
            )
            continue
        kind = _input_type(entity, column)
        fields[column.name] = (kind | None if column.nullable else kind, _default(column))
    return create_model(f"{SINGULAR[entity]}Create", __base__=_Input, **fields)


def _patch_model(entity: str) -> type[BaseModel]:
    fixed = immutable_fields(entity)
    fields: dict[str, Any] = {}
    for column in _columns(entity):
        if column.name in SERVER_FIELDS or column.name in fixed:
            continue
        kind = _input_type(entity, column)
        # Omitted fields keep their value; null is accepted only where the column allows it.
        fields[column.name] = (kind | None if column.nullable else kind, None)
    return create_model(f"{SINGULAR[entity]}Patch", __base__=_Input, **fields)


def _out_model(entity: str) -> type[BaseModel]:
    fields: dict[str, Any] = {c.name: (_output_type(c), ...) for c in _columns(entity)}
    return create_model(SINGULAR[entity], __base__=_Output, **fields)


def sort_fields(entity: str) -> tuple[str, ...]:
    """``seq`` (commit order, the default) and every listed non-null scalar column."""
    table = REGISTRIES[entity].model.__table__
    keys = [
        c
        for c in REGISTRIES[entity].columns
        if not table.c[c].nullable and not isinstance(table.c[c].type, JSON)
    ]
    return ("seq", *keys)


def _query_model(entity: str) -> type[BaseModel]:
    table = REGISTRIES[entity].model.__table__
    fields: dict[str, Any] = {}
    for name in REGISTRIES[entity].filters:
        kind = (
            bool
            if isinstance(table.c[name].type, Boolean)
            else Annotated[Text, Field(max_length=100)]
        )
        fields[name] = (kind | None, Field(None, description=f"only records with this {name}"))
    orders = [s for key in sort_fields(entity) for s in (key, f"-{key}")]
    fields["sort"] = (Literal[tuple(orders)], Field("seq", description="field; - for descending"))
    fields["cursor"] = (
        Annotated[str, Field(max_length=500)] | None,
        Field(None, description="next_cursor of the previous page"),
    )
    fields["limit"] = (Annotated[int, Field(ge=1, le=MAX_PAGE)], 50)
    return create_model(f"{SINGULAR[entity]}Query", __base__=_Input, **fields)


@cache
def record_schemas(entity: str) -> RecordSchemas:
    out = _out_model(entity)
    page = create_model(
        f"{SINGULAR[entity]}Page",
        items=(list[out], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, Field(None, description="pass as cursor for the next page")),
    )
    return RecordSchemas(
        entity,
        _create_model(entity),
        _patch_model(entity),
        out,
        page,
        _query_model(entity),
        REGISTRIES[entity].filters,
        sort_fields(entity),
    )


class ProposalReview(_Input):
    """The coordinator's decision on a proposal."""

    decision: ProposalStatus = Field(
        description="vetted (eligible for plans), rejected, or submitted (reopen)"
    )
    reason: Annotated[Text, Field(max_length=1000)] | None = Field(
        None, description="why: required to reject, kept with the proposal"
    )


class ProjectStatusChange(_Input):
    """A step of a capacity project's review or build, named by the status it leads to."""

    status: ProjectStatus = Field(
        description="vetted, rejected, submitted (the review); financed, under_construction, "
        "producing (the build: producing enters its line in the proposals)"
    )


class BulkReviewRequest(_Input):
    """The coordinator's review of many records at once (after a spreadsheet import)."""

    proposals: list[RefId] | None = Field(
        None, max_length=10_000, description="proposals to vet; omitted: every submitted one"
    )
    pledges: list[RefId] | None = Field(
        None, max_length=10_000, description="pledges to confirm; omitted: every offered one"
    )


class BulkReviewResult(BaseModel):
    vetted_proposals: list[str]
    confirmed_pledges: list[str]
