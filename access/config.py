"""Settings of identity and access."""

from __future__ import annotations

from datetime import timedelta

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class AccessSettings(BaseSettings):
    """How users sign in."""

    model_config = SettingsConfigDict(env_prefix="DANGAN_", env_file=".env", extra="ignore")

    admin_password: SecretStr | None = None
    session_ttl: timedelta = timedelta(hours=12)
