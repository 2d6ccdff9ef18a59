"""Organisations, users and passwords; the first coordinator; demo logins.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended
profile) and never logged, echoed or recorded in the audit trail. There is no default password:
the first coordinator is created by ``kuznia admin create`` and demo logins get random ones.
Sessions and API tokens are in :mod:`kuznia.services.identity.sessions`.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.identity import Organisation, User
from kuznia.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from kuznia.services.access.policy import Action, Viewer, scope_of
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.commit_sequence import begin_write
from kuznia.services.kernel.integrity import flush_or_conflict, refuse_taken_id
from kuznia.services.kernel.unit_of_work import UnitOfWork

ROLE_OF_KIND = {
    "ministry": Role.COORDINATOR,
    "partner": Role.PARTNER,
    "company": Role.COMPANY,
    "audit": Role.AUDITOR,
    "investor": Role.INVESTOR,
}
MIN_PASSWORD = 12
MINISTRY_ID = "ministry"
MINISTRY_NAME = "Ministry of Strategic Industries of Ukraine"
USER_FIELDS = ("id", "organisation_id", "email", "name", "role", "active", "version")
ORG_FIELDS = ("id", "name", "kind", "partner_id", "company_id", "version")


@cache
def hasher() -> PasswordHasher:
    """Argon2id with the library's defaults (built on first use, not at import)."""
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so that timing does not tell."""
    return hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput.single("password", f"use at least {MIN_PASSWORD} characters")
    return hasher().hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Constant-work check: a missing user costs one Argon2 verification too."""
    try:
        hasher().verify(stored_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return stored_hash is not None


def new_password() -> str:
    return secrets.token_urlsafe(12)


def actor_of(user: User, organisation: Organisation) -> Actor:
    return Actor(
        role=Role(user.role),
        user_id=user.id,
        organisation_id=organisation.id,
        partner_id=organisation.partner_id,
        company_id=organisation.company_id,
        label=user.email,
    )


def _doc(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(row, f) for f in fields}


def user_document(user: User) -> dict[str, Any]:
    """A user as shown and audited: never the password hash."""
    return _doc(user, USER_FIELDS)


def organisation_document(org: Organisation) -> dict[str, Any]:
    return _doc(org, ORG_FIELDS)


# ---------------------------------------------------------------------------- organisations


def _check_link(
    session: Session, kind: str, partner_id: str | None, company_id: str | None
) -> None:
    if kind == "partner" and (partner_id is None or session.get(db.Partner, partner_id) is None):
        raise InvalidInput.single("partner_id", "a partner organisation names a registered partner")
    if kind == "company" and (company_id is None or session.get(db.Company, company_id) is None):
        raise InvalidInput.single("company_id", "a company organisation names a registered company")
    if kind == "investor":
        _check_investor_link(session, partner_id, company_id)
        return
    if kind != "partner" and partner_id is not None:
        raise InvalidInput.single("partner_id", f"a {kind} organisation has no partner")
    if kind != "company" and company_id is not None:
        raise InvalidInput.single("company_id", f"a {kind} organisation has no company")


def _check_investor_link(session: Session, partner_id: str | None, company_id: str | None) -> None:
    """An investor pledges as a partner record (a fund) and invests as a company record (a
    firm): it names at least one, each registered."""
    if partner_id is None and company_id is None:
        raise InvalidInput.single(
            "partner_id", "an investor organisation names its partner record, company, or both"
        )
    if partner_id is not None and session.get(db.Partner, partner_id) is None:
        raise InvalidInput.single("partner_id", f"no partner {partner_id!r}")
    if company_id is not None and session.get(db.Company, company_id) is None:
        raise InvalidInput.single("company_id", f"no company {company_id!r}")


def create_organisation(
    uow: UnitOfWork,
    *,
    name: str,
    kind: str,
    partner_id: str | None = None,
    company_id: str | None = None,
    organisation_id: str | None = None,
) -> dict[str, Any]:
    """Register an organisation (coordinator only); partners and companies link to their record."""
    scope_of(uow.actor, "organisations", Action.CREATE)
    begin_write(uow)
    session = uow.session
    _check_link(session, kind, partner_id, company_id)
    org_id = organisation_id or f"org-{secrets.token_hex(6)}"
    refuse_taken_id(session, Organisation, org_id)
    for field, value in (("partner_id", partner_id), ("company_id", company_id)):
        if value is not None and session.scalar(
            select(func.count()).where(getattr(Organisation, field) == value)
        ):
            raise Conflict(f"{field}: {value!r} already has an organisation")
    org = Organisation(
        id=org_id, version=1, name=name, kind=kind, partner_id=partner_id, company_id=company_id
    )
    session.add(org)
    flush_or_conflict(session, f"organisation {org_id!r}")
    uow.record("organisations", org.id, "create", None, organisation_document(org))
    return organisation_document(org)


def list_organisations(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Coordinators and auditors see every organisation; anyone else their own."""
    readable = Viewer(actor).condition("organisations")
    stmt = select(Organisation).where(readable).order_by(Organisation.id)
    return [organisation_document(o) for o in session.scalars(stmt)]


def get_organisation(session: Session, actor: Actor, organisation_id: str) -> dict[str, Any]:
    org = session.get(Organisation, organisation_id)
    if org is None or not Viewer(actor).may("organisations", organisation_document(org)):
        raise NotFound(f"no organisation {organisation_id!r}")
    return organisation_document(org)


# ---------------------------------------------------------------------------------- users


def _normal_email(email: str) -> str:
    text = email.strip().lower()
    if "@" not in text or len(text) > 320 or any(c.isspace() for c in text):
        raise InvalidInput.single("email", "not an email address")
    return text


def create_user(
    uow: UnitOfWork,
    *,
    organisation_id: str,
    email: str,
    name: str,
    password: str,
    one_time: bool = True,
) -> dict[str, Any]:
    """Add a user to an organisation (coordinator only); the role follows the organisation.
    A ``one_time`` password (one given to the user, not chosen by them) must be changed after
    the first login."""
    scope_of(uow.actor, "users", Action.CREATE)
    begin_write(uow)
    session = uow.session
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise InvalidInput.single("organisation_id", "no such organisation")
    address = _normal_email(email)
    if session.scalar(select(func.count()).where(User.email == address)):
        raise Conflict("email: a user with this email already exists")
    user = User(
        id=f"user-{secrets.token_hex(6)}",
        version=1,
        organisation_id=org.id,
        email=address,
        name=name,
        role=ROLE_OF_KIND[org.kind],
        password_hash=hash_password(password),
        active=True,
        password_change_required=one_time,
    )
    session.add(user)
    flush_or_conflict(session, "a user with this email")
    uow.record("users", user.id, "create", None, user_document(user))
    return user_document(user)


def _visible_users(actor: Actor) -> Any:
    return select(User).where(Viewer(actor).condition("users")).order_by(User.email)


def list_users(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Coordinators and auditors see every user; anyone else only themselves."""
    return [user_document(u) for u in session.scalars(_visible_users(actor))]


def get_user(session: Session, actor: Actor, user_id: str) -> dict[str, Any]:
    user = session.scalars(_visible_users(actor).where(User.id == user_id)).first()
    if user is None:
        raise NotFound(f"no user {user_id!r}")
    return user_document(user)


def update_user(
    uow: UnitOfWork, user_id: str, changes: dict[str, Any], expected_version: int | None
) -> dict[str, Any]:
    """Rename or (de)activate a user (coordinator only)."""
    scope_of(uow.actor, "users", Action.UPDATE)
    begin_write(uow)
    user = uow.session.scalars(select(User).where(User.id == user_id).with_for_update()).first()
    if user is None:
        raise NotFound(f"no user {user_id!r}")
    if expected_version is not None and user.version != expected_version:
        raise PreconditionFailed(f"user {user_id!r} is at version {user.version}")
    before = user_document(user)
    for key in ("name", "active"):
        if changes.get(key) is not None:
            setattr(user, key, changes[key])
    if user_document(user) != before:
        user.version += 1
        uow.session.flush()
        uow.record("users", user.id, "update", before, user_document(user))
    return user_document(user)


def set_password(uow: UnitOfWork, user_id: str, new: str) -> None:
    """Store a new password of a user (``sessions.change_password`` proves the current one)."""
    begin_write(uow)
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id!r}")
    user.password_hash = hash_password(new)
    user.password_change_required = False
    user.version += 1
    uow.record("users", user.id, "update", None, {"id": user.id, "password": "changed"})


# ------------------------------------------------------------------ first coordinator, demo


def ensure_ministry(uow: UnitOfWork, name: str = MINISTRY_NAME) -> Organisation:
    org = uow.session.get(Organisation, MINISTRY_ID)
    if org is None:
        create_organisation(uow, name=name, kind="ministry", organisation_id=MINISTRY_ID)
        org = uow.session.get(Organisation, MINISTRY_ID)
    assert org is not None
    return org


def create_admin(uow: UnitOfWork, *, email: str, name: str, password: str) -> dict[str, Any]:
    """The first (or another) coordinator of the ministry: ``kuznia admin create``."""
    ministry = ensure_ministry(uow)
    return create_user(
        uow, organisation_id=ministry.id, email=email, name=name, password=password, one_time=False
    )


class DemoLogin(NamedTuple):
    role: str
    organisation: str
    email: str
    password: str


def _demo_organisation(uow: UnitOfWork, kind: str) -> Organisation | None:
    session = uow.session
    if kind == "ministry":
        return ensure_ministry(uow, f"{MINISTRY_NAME} (demo)")
    if kind == "audit":
        org = session.get(Organisation, "org-audit")
        if org is None:
            create_organisation(
                uow, name="Accounting Chamber of Ukraine (demo)", kind="audit",
                organisation_id="org-audit",
            )  # fmt: skip
        return session.get(Organisation, "org-audit")
    if kind in ("partner", "investor"):  # an investor pledges as a fund's partner record
        partners = select(db.Partner).order_by((db.Partner.country != "DK"), db.Partner.id)
        funds = (db.Partner.kind == "fund") if kind == "investor" else (db.Partner.kind != "fund")
        record: Any = session.scalars(partners.where(funds)).first()
        link = {"partner_id": record.id} if record else {}
    else:
        record = session.scalars(
            select(db.Company).order_by(db.Company.ukrainian.is_(False), db.Company.id)
        ).first()
        link = {"company_id": record.id} if record else {}
    if record is None:
        return None
    key = Organisation.company_id if kind == "company" else Organisation.partner_id
    org = session.scalars(select(Organisation).where(key == record.id)).first()
    if org is None:
        create_organisation(
            uow, name=record.name, kind=kind, organisation_id=f"org-{record.id}", **link
        )
        org = session.get(Organisation, f"org-{record.id}")
    return org


def create_demo_logins(uow: UnitOfWork) -> list[DemoLogin]:
    """One login per role -- coordinator, a partner (Denmark if registered), a Ukrainian
    company, an auditor, an investor (a notional fund) -- each with a fresh random password
    (re-running resets them).

    Partner, company and investor logins need those registries loaded first (the investor a
    partner record of kind fund, which the national demo has); they are skipped otherwise.
    """
    logins = []
    for role, kind in (("coordinator", "ministry"), ("partner", "partner"), ("company", "company"),
                       ("auditor", "audit"), ("investor", "investor")):  # fmt: skip
        org = _demo_organisation(uow, kind)
        if org is None:
            continue
        email, password = f"{role}@demo.kuznia.test", new_password()
        user = uow.session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            create_user(uow, organisation_id=org.id, email=email, name=f"Demo {role}",
                        password=password, one_time=False)  # fmt: skip
        else:
            user.password_hash, user.organisation_id = hash_password(password), org.id
            user.role, user.active, user.version = (
                ROLE_OF_KIND[org.kind],
                True,
                user.version + 1,
            )
            uow.record("users", user.id, "update", None, user_document(user))
        logins.append(DemoLogin(role, org.name, email, password))
    return logins


def now() -> datetime:
    return datetime.now(UTC)
