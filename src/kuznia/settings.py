"""Validated settings, read from ``KUZNIA_*`` environment variables and passed in explicitly.

Nothing is built at import time: call :func:`load_settings` where the program starts.

:class:`EnvSettings` reads a model's fields from prefixed variables as pydantic-settings'
``BaseSettings`` does for these fields (names in any case; given values win), without
importing it: that import is 0.1-0.2 s of every command's start.
"""

from __future__ import annotations

import ipaddress
import os
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"  # noqa: S105


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def default_database_url() -> str:
    return f"sqlite:///{Path('var') / 'kuznia.sqlite3'}"


class EnvSettings(BaseModel):
    """A model whose fields not given are read from ``ENV_PREFIX`` + the field's name."""

    model_config = ConfigDict(extra="ignore")
    ENV_PREFIX: ClassVar[str] = ""

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        variables = {name.upper(): value for name, value in os.environ.items()}
        found = {
            field: variables[f"{cls.ENV_PREFIX}{field}".upper()]
            for field in cls.model_fields
            if f"{cls.ENV_PREFIX}{field}".upper() in variables
        }
        return {**found, **data}


class Settings(EnvSettings):
    ENV_PREFIX: ClassVar[str] = "KUZNIA_"

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = Field(default_factory=default_database_url)
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    sql_echo: bool = False
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="reverse proxies (addresses or networks, comma-separated) whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; none by default",
    )
    log_format: str = Field("json", pattern="^(json|text)$")
    log_level: str = Field("INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        for network in value:
            ipaddress.ip_network(network, strict=False)  # a ValueError names the bad entry
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Self:
        if (
            self.environment is Environment.PRODUCTION
            and self.secret_key.get_secret_value() == DEVELOPMENT_SECRET
        ):
            raise ValueError("KUZNIA_SECRET_KEY must be set to a private value in production")
        return self


def load_settings(**overrides: object) -> Settings:
    return Settings.model_validate(overrides)
