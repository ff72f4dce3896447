"""Settings of identity and access."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

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
    # Approval rules of borrowing (TOML); the shipped defaults follow docs/domain.md.
    borrowing_rules: Path | None = None
    # Notifications are e-mailed when an SMTP host is set; otherwise they are listed only.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "dangan@localhost"
    notify_every: float = Field(60.0, gt=0, description="seconds between notification rounds")
