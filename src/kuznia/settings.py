"""Validated settings, read from ``KUZNIA_*`` environment variables and passed in explicitly.

Nothing is built at import time: call :func:`load_settings` where the program starts.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"  # noqa: S105


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def default_database_url() -> str:
    return f"sqlite:///{Path('var') / 'kuznia.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KUZNIA_", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = Field(default_factory=default_database_url)
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    sql_echo: bool = False

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Self:
        if (
            self.environment is Environment.PRODUCTION
            and self.secret_key.get_secret_value() == DEVELOPMENT_SECRET
        ):
            raise ValueError("KUZNIA_SECRET_KEY must be set to a private value in production")
        return self


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
