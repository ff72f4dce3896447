"""Settings of identity and access."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class AccessSettings(BaseSettings):
    """How users sign in."""

    model_config = SettingsConfigDict(env_prefix="DANGAN_", env_file=".env", extra="ignore")

    admin_password: SecretStr | None = None
    session_ttl: timedelta = timedelta(hours=12)
    # Failed sign-ins allowed within the window before further attempts are refused (429).
    login_max_failures_per_user: int = Field(5, ge=1)
    login_max_failures_per_address: int = Field(20, ge=1)
    login_window: timedelta = timedelta(minutes=15)
