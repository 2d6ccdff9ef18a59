"""The declarative base every table derives from, the columns every registry row has, and the
column types the tables share.

Money columns hold integer cents beside an ISO 4217 currency column: exact on every engine.
Each bounded context keeps its tables in a module of its own name (registries, identity,
planning, contracting, transparency, kernel); ``tables`` imports them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Enum,
    Integer,
    LargeBinary,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

HASH = LargeBinary(32)
SEQ = BigInteger().with_variant(Integer(), "sqlite")
"""On SQLite an INTEGER primary key is the rowid itself: no second index for a million leaves."""
WHO = String(200)
TEXT = String(500)

APPEND_ONLY_TABLES = (
    "ledger_leaves",
    "ledger_nodes",
    "ledger_openings",
    "ledger_checkpoints",
    "contract_amendments",
)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(100)
MONTH = String(7)
COUNTRY = String(2)
CURRENCY = String(3)
WHO = String(200)
TEXT = String(500)
# An autoincrementing 64-bit key: SQLite only autoincrements an INTEGER PRIMARY KEY.
SERIAL = BigInteger().with_variant(Integer(), "sqlite")


def values_of(enum: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of an enum, in declaration order (as the migrations list them)."""
    return tuple(member.value for member in enum)


def enum_type(enum: type[StrEnum], length: int) -> Enum:
    """A column holding ``enum``'s values as a plain ``VARCHAR(length)``: rows read back as
    members, plain strings are written as they are (the CHECK constraint is the guard, on
    every engine and every writer, bulk inserts included), no native database enum type."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=False,
        values_callable=values_of,
    )


def one_of(
    column: str, members: Iterable[StrEnum], name: str, *, nullable: bool = False
) -> CheckConstraint:
    """``column IN (...)`` over ``members`` (an enum, or some of its members), in their order:
    the CHECK text the migrations wrote."""
    listed = ", ".join(repr(member.value) for member in members)
    known = f"{column} IN ({listed})"
    return CheckConstraint(f"{column} IS NULL OR {known}" if nullable else known, name=name)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A moment read back from a timezone-aware column: SQLite hands it back naive, in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {str: String(200)}


class Record(Base):
    """Columns every registry row has: its id, a version for optimistic concurrency, timestamps."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
