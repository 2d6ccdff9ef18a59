"""Settings of the HTTP API, from ``KUZNIA_API_*`` variables, validated and passed in."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kuznia.services.identity.sessions import SessionPolicy
from kuznia.settings import Environment, Settings


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KUZNIA_API_", extra="ignore")

    cookie_secure: bool | None = Field(
        None, description="Secure session cookies; default: only in production"
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="origins allowed to call the API from browsers (none)"
    )
    max_body_bytes: int = Field(1_048_576, ge=1024, le=64 * 1_048_576)
    session_hours: int = Field(12, ge=1, le=24 * 30)
    max_token_days: int = Field(365, ge=1, le=3650)
    login_account_failures: int = Field(5, ge=1)
    login_client_failures: int = Field(50, ge=1)
    login_window_minutes: int = Field(15, ge=1)
    login_account_total_failures: int = Field(100, ge=1)
    login_max_delay_seconds: int = Field(900, ge=1)

    def secure_cookies(self, settings: Settings) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return settings.environment is Environment.PRODUCTION

    def session_policy(self) -> SessionPolicy:
        return SessionPolicy(
            session_hours=self.session_hours,
            max_token_days=self.max_token_days,
            account_failures=self.login_account_failures,
            client_failures=self.login_client_failures,
            window_minutes=self.login_window_minutes,
            account_total_failures=self.login_account_total_failures,
            max_delay_seconds=self.login_max_delay_seconds,
        )
