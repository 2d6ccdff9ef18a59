"""Organisations and their users (the ministry administers them)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Request, Response
from pydantic import BaseModel, ConfigDict, Field

from kuznia.api.deps import CurrentActor, IfMatch, database, etag, expected_version
from kuznia.services.identity import users
from kuznia.services.registries.record_schemas import NEW_ID_PATTERN, Text
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(prefix="/api/v1", tags=["identity"])
Name = Annotated[Text, Field(min_length=1, max_length=200)]
Ref = Annotated[Text, Field(min_length=1, max_length=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganisationCreate(_Strict):
    id: Annotated[str, Field(pattern=NEW_ID_PATTERN)] | None = None
    name: Name
    kind: Literal["ministry", "partner", "company", "audit", "investor"]
    partner_id: Ref | None = Field(None, description="for a partner government: its partner id")
    company_id: Ref | None = Field(None, description="for a company: its company id")


class Organisation(BaseModel):
    id: str
    name: str
    kind: str
    partner_id: str | None
    company_id: str | None
    version: int


class UserCreate(_Strict):
    organisation_id: Ref
    email: Annotated[Text, Field(min_length=3, max_length=320)]
    name: Name


class UserPatch(_Strict):
    name: Name | None = None
    active: bool | None = None


class User(BaseModel):
    id: str
    organisation_id: str
    email: str
    name: str
    role: str
    active: bool
    version: int


class NewUser(User):
    password: str = Field(description="the first password: shown this once; ask them to change it")


@router.get("/organisations", response_model=list[Organisation], operation_id="list_organisations")
def list_organisations(request: Request, actor: CurrentActor) -> Any:
    """Every organisation (coordinators, auditors); your own otherwise."""
    with database(request).reading() as session:
        return users.list_organisations(session, actor)


@router.post(
    "/organisations",
    response_model=Organisation,
    status_code=201,
    operation_id="create_organisations",
)
def create_organisation(body: OrganisationCreate, request: Request, actor: CurrentActor) -> Any:
    """Register an organisation (coordinator)."""
    with database(request).unit_of_work(actor) as uow:
        return users.create_organisation(
            uow,
            name=body.name,
            kind=body.kind,
            partner_id=body.partner_id,
            company_id=body.company_id,
            organisation_id=body.id,
        )


@router.get("/organisations/{id}", response_model=Organisation, operation_id="get_organisations")
def get_organisation(id: str, request: Request, actor: CurrentActor) -> Any:
    with database(request).reading() as session:
        return users.get_organisation(session, actor, id)


@router.get("/users", response_model=list[User], operation_id="list_users")
def list_users(request: Request, actor: CurrentActor) -> Any:
    """Every user (coordinators, auditors); yourself otherwise."""
    with database(request).reading() as session:
        return users.list_users(session, actor)


@router.post("/users", response_model=NewUser, status_code=201, operation_id="create_users")
def create_user(body: UserCreate, request: Request, actor: CurrentActor) -> Any:
    """Add a user (coordinator); the answer holds a random first password, this once."""
    password = users.new_password()
    with database(request).unit_of_work(actor) as uow:
        doc = users.create_user(
            uow,
            organisation_id=body.organisation_id,
            email=body.email,
            name=body.name,
            password=password,
        )
    return {**doc, "password": password}


@router.get("/users/{id}", response_model=User, operation_id="get_users")
def get_user(id: str, request: Request, response: Response, actor: CurrentActor) -> Any:
    with database(request).reading() as session:
        doc = users.get_user(session, actor, id)
    response.headers["ETag"] = etag(doc["version"])
    return doc


@router.patch("/users/{id}", response_model=User, operation_id="update_users")
def update_user(
    id: str,
    body: UserPatch,
    request: Request,
    response: Response,
    actor: CurrentActor,
    if_match: IfMatch = None,
) -> Any:
    """Rename or (de)activate a user (coordinator; If-Match required)."""
    version = expected_version(if_match)
    with database(request).unit_of_work(actor) as uow:
        doc = users.update_user(uow, id, body.model_dump(exclude_unset=True), version)
    response.headers["ETag"] = etag(doc["version"])
    return doc
