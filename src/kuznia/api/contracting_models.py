"""Request and response documents of the contract, money-flow and delivery routes.

Contracts, money flows and deliveries are not registries (their changes are use cases, not
PATCHes), so their documents are written here rather than generated from the tables; each
``*Out`` lists every column of its table (money as decimal strings beside the currency, never
cents or floats), and the tests compare them with the tables so that a new column is not
forgotten. Every input forbids unknown fields, bounds its strings to their columns and refuses
NUL characters (``Text``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kuznia.db.contracting import (
    Contract,
    ContractAmendment,
    ContractSource,
    ContractStatus,
    DeliveryStatus,
    FlowKind,
    LicenceStatus,
    MoneyFlow,
)
from kuznia.money import Money, format_cents, parse_decimal_amount, round_cents
from kuznia.scenario.kinds import ProposalKind
from kuznia.scenario.types import Country, Currency, Month
from kuznia.services.contracting.deliveries import CapacityRow, DeliveryView
from kuznia.services.contracting.drafting import AbroadTerms, ContractDraft
from kuznia.services.contracting.money_flows import (
    IATI_TRANSACTION_TYPE,
    FlowRequest,
    PledgeBalance,
)
from kuznia.services.registries.record_schemas import INT32, INT64, MAX_PAGE, NewId, RefId, Text

AMOUNT_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,2})?$"
Amount = Annotated[
    str, Field(pattern=AMOUNT_PATTERN, description='a decimal string, e.g. "1250.00"')
]
DecimalText = Annotated[str, Field(description='a decimal string, e.g. "1250.00"')]
Units = Annotated[int, Field(ge=1, le=INT64)]
Reason = Annotated[Text, Field(min_length=1, max_length=500)]
Schedule = Annotated[
    dict[Month, Units],
    Field(min_length=1, max_length=600, description='units due by month: {"2026-03": 100}'),
]
Limit = Annotated[int, Field(ge=1, le=MAX_PAGE)]
Text100 = Annotated[Text, Field(min_length=1, max_length=100)]
Text200 = Annotated[Text, Field(min_length=1, max_length=200)]
Text300 = Annotated[Text, Field(min_length=1, max_length=300)]
Text500 = Annotated[Text, Field(min_length=1, max_length=500)]
Cursor = Annotated[str, Field(max_length=500)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _utc(value: Any) -> Any:
    """SQLite drops the zone of a stored time; every stored time is UTC."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _columns(row: Contract | MoneyFlow | ContractAmendment) -> dict[str, Any]:
    return {c.key: _utc(getattr(row, c.key)) for c in row.__table__.columns}


# --- contracts ------------------------------------------------------------------------------


class AbroadTermsIn(_Input):
    """For a line a Ukrainian firm runs abroad (stated before signing; see the docs)."""

    offtake_until: date | None = None
    offtake_condition: Text500 | None = None
    capacity_after: Text500 | None = None
    ip_owner: Text200 | None = None
    export_licence_status: LicenceStatus | None = None
    export_licence_reference: Text100 | None = None
    export_licence_expiry: date | None = None


class ContractIn(AbroadTermsIn):
    """A contract drawn up by hand: a draft until the coordinator and the partner sign it."""

    id: NewId | None = Field(None, description="chosen by the server if omitted")
    title: Text200
    pledge_id: RefId = Field(description="pays for it; the contract is in its currency")
    company_id: RefId
    capability_id: RefId
    proposal_id: RefId | None = Field(None, description="the production line, if any")
    units: Units
    amount: Amount
    currency: Currency
    schedule: Schedule

    def draft(self, contract_id: str) -> ContractDraft:
        return ContractDraft(
            id=contract_id,
            title=self.title,
            pledge_id=self.pledge_id,
            company_id=self.company_id,
            capability_id=self.capability_id,
            units=self.units,
            amount=Money.parse(self.amount, self.currency),
            schedule=dict(self.schedule),
            proposal_id=self.proposal_id,
            abroad=AbroadTerms(**{k: getattr(self, k) for k in AbroadTerms.__slots__}),
        )


class FromPlanIn(_Input):
    """Draft contracts from a stored plan's funding rows: one per (pledge, proposal) pair."""

    plan_id: RefId
    pledge_id: RefId | None = Field(None, description="only this pledge's rows")
    proposal_id: RefId | None = Field(None, description="only this proposal's rows")


class ContractOut(BaseModel):
    id: str
    version: int
    created_at: datetime
    updated_at: datetime
    title: str
    source: ContractSource
    plan_scenario_sha256: str | None
    pledge_id: str
    partner_id: str
    company_id: str
    proposal_id: str | None
    capability_id: str
    kind: ProposalKind | None
    units: int
    amount: DecimalText
    currency: str
    status: ContractStatus
    coordinator_signed_by: str | None
    coordinator_signed_at: datetime | None
    partner_signed_by: str | None
    partner_signed_at: datetime | None
    terminated_reason: str | None
    offtake_until: date | None
    offtake_condition: str | None
    capacity_after: str | None
    ip_owner: str | None
    export_licence_status: LicenceStatus | None
    export_licence_reference: str | None
    export_licence_expiry: date | None
    schedule: dict[str, int] = Field(description="units due by month")

    @classmethod
    def of(cls, contract: Contract, schedule: dict[str, int]) -> ContractOut:
        document = _columns(contract)
        document["amount"] = format_cents(document.pop("amount_cents"))
        return cls(**document, schedule=schedule)


class ContractPage(BaseModel):
    items: list[ContractOut]
    next_cursor: str | None = Field(None, description="pass as cursor for the next page")


class CreatedContracts(BaseModel):
    items: list[ContractOut]


class ContractQuery(_Input):
    status: ContractStatus | None = None
    pledge_id: Annotated[Text, Field(max_length=100)] | None = None
    partner_id: Annotated[Text, Field(max_length=100)] | None = None
    company_id: Annotated[Text, Field(max_length=100)] | None = None
    capability_id: Annotated[Text, Field(max_length=100)] | None = None
    cursor: Cursor | None = Field(None, description="next_cursor of the previous page")
    limit: Limit = 50


class TerminationIn(_Input):
    reason: Reason


class AmendmentIn(AbroadTermsIn):
    """New terms (only the fields sent change; ``null`` clears an optional term) and why.
    ``amount`` is in the contract's currency; new ``units`` need a ``schedule`` adding up."""

    reason: Reason
    title: Text200 | None = None
    units: Units | None = None
    amount: Amount | None = None
    schedule: Schedule | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> AmendmentIn:
        for name in ("title", "units", "amount", "schedule"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be cleared")
        if not self.model_fields_set - {"reason"}:
            raise ValueError("change at least one term or the schedule")
        return self

    def changes(self) -> dict[str, Any]:
        changed = self.model_dump(exclude_unset=True, exclude={"reason", "schedule"})
        if "amount" in changed:
            changed["amount_cents"] = round_cents(parse_decimal_amount(changed.pop("amount")))
        return changed


class AmendmentOut(BaseModel):
    id: int
    contract_id: str
    version: int = Field(description="the contract's version this amendment made")
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    amended_by: str
    amended_at: datetime

    @classmethod
    def of(cls, amendment: ContractAmendment) -> AmendmentOut:
        return cls(**_columns(amendment))


class AmendmentPage(BaseModel):
    items: list[AmendmentOut]
    next_cursor: int | None = Field(None, description="pass as cursor for the next page")


AmendmentCursor = Annotated[int, Field(ge=0, le=INT32)]

# --- money ----------------------------------------------------------------------------------


class AmountIn(_Input):
    """An amount of money; in another currency than the pledge's, it is converted once at the
    planning rates (the original amount, currency and rate are kept beside it)."""

    amount: Amount
    currency: Currency
    value_date: date | None = None
    reference: Text200 | None = None

    def flow(self) -> FlowRequest:
        return FlowRequest(Money.parse(self.amount, self.currency), self.value_date, self.reference)


class FlowOut(BaseModel):
    id: str
    version: int
    created_at: datetime
    updated_at: datetime
    kind: FlowKind
    iati_transaction_type: Literal["2", "3", "4"]
    pledge_id: str | None = Field(description="the paying pledge; none: an investor's own money")
    contract_id: str | None = Field(description="the contract it is of (or an investment)")
    investment_id: str | None = Field(description="the investment it is of (or a contract)")
    commitment_id: str | None = Field(description="what a disbursement or expenditure is under")
    amount: DecimalText = Field(description="in the pledge's (an investment's) currency")
    currency: str
    original_amount: DecimalText | None = Field(description="as given, if in another currency")
    original_currency: str | None
    fx_rate: str | None = Field(description="pledge currency units per original unit")
    value_date: date
    reference: str | None
    recorded_by: str

    @classmethod
    def of(cls, flow: MoneyFlow) -> FlowOut:
        document = _columns(flow)
        document["amount"] = format_cents(document.pop("amount_cents"))
        original = document.pop("original_amount_cents")
        document["original_amount"] = None if original is None else format_cents(original)
        return cls(**document, iati_transaction_type=IATI_TRANSACTION_TYPE[flow.kind])


class FlowPage(BaseModel):
    items: list[FlowOut]
    next_cursor: str | None = Field(None, description="pass as cursor for the next page")


class BalanceOut(BaseModel):
    currency: str
    amount: DecimalText
    committed: DecimalText
    disbursed: DecimalText
    spent: DecimalText
    free: DecimalText = Field(description="amount less commitments")

    @classmethod
    def of(cls, found: PledgeBalance) -> BalanceOut:
        return cls(
            currency=found.amount.currency,
            amount=str(found.amount),
            committed=str(found.committed),
            disbursed=str(found.disbursed),
            spent=str(found.spent),
            free=str(found.free),
        )


# --- deliveries -----------------------------------------------------------------------------


class DeliveryIn(_Input):
    delivered_on: date
    units: Units
    destination: Text300 | None = Field(
        None, description="secret: shown to the coordinator and the delivering company only"
    )
    destination_country: Country | None = Field(
        None,
        description="ISO 3166-1 code of the country the units go to; a line abroad delivers "
        "to UA inside its offtake period (beyond the share its proposal leaves to others)",
    )


class InspectionIn(_Input):
    """Units accepted; the rest are rejected with a claim (a reason is then required)."""

    accepted_units: Annotated[int, Field(ge=0, le=INT64)]
    claim_reason: Reason | None = None
    claim_reference: Text100 | None = None


class DeliveryOut(BaseModel):
    id: str
    version: int
    contract_id: str
    month: str
    delivered_on: date
    units: int
    status: DeliveryStatus
    accepted_units: int
    rejected_units: int
    claim_reference: str | None
    claim_reason: str | None
    destination: str | None = Field(description="null unless you may see it (a secret field)")
    destination_hidden: bool = Field(description="there is a destination you may not see")
    destination_country: str | None = Field(None, description="the country the units went to")

    @classmethod
    def of(cls, view: DeliveryView) -> DeliveryOut:
        return cls(**{name: getattr(view, name) for name in DeliveryView.__slots__})


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None = Field(None, description="pass as cursor for the next page")


class CapacityRowOut(BaseModel):
    company_id: str
    capability_id: str
    declared_monthly_capacity: int
    contracted_units: int
    funded: DecimalText = Field(description="committed, in the base currency at the planning rates")
    currency: str
    delivered_units: int
    rejected_units: int

    @classmethod
    def of(cls, row: CapacityRow) -> CapacityRowOut:
        return cls(
            company_id=row.company_id,
            capability_id=row.capability_id,
            declared_monthly_capacity=row.declared_monthly_capacity,
            contracted_units=row.contracted_units,
            funded=str(row.funded),
            currency=row.funded.currency,
            delivered_units=row.delivered_units,
            rejected_units=row.rejected_units,
        )
