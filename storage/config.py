"""Settings of the persistence layer: where metadata, objects and keys live."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StorageSettings(BaseSettings):
    """Backends; each production backend is switched on independently by its own settings."""

    model_config = SettingsConfigDict(env_prefix="DANGAN_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./dangan-data")
    database_url: SecretStr | None = None
    s3_endpoint: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    s3_bucket: str = Field("dangan", pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    s3_secure: bool = True
    # S3 Object Lock (write once, read many): every object is written with a retention the
    # store enforces, in this mode, for this many days; the bucket must be made with Object
    # Lock, which Dangan does when it makes the bucket (docs/operations.md).
    s3_object_lock: Literal["off", "governance", "compliance"] = "off"
    s3_object_lock_days: int = Field(3650, ge=1, le=36500)
    kms_url: str | None = None
    kms_token: SecretStr | None = None
    kms_mount: str = "transit"
    # Unwrapped data keys kept in memory to spare the key service a round trip per read
    # (storage.keycache); a max age or entry count of 0 turns the cache off.
    key_cache_max_age: float = Field(300.0, ge=0, le=3600)  # seconds
    key_cache_max_uses: int = Field(1000, ge=1)  # reads per cached key
    key_cache_max_bytes: int = Field(1 << 30, ge=0)  # plaintext bytes per cached key
    key_cache_max_entries: int = Field(1000, ge=0)
    # A batch key wraps the data keys of one customer's uploads for a while, sparing the key
    # service a round trip per upload (storage.batchkeys); a max age of 0 turns batching off.
    key_batch_max_age: float = Field(300.0, ge=0, le=3600)  # seconds
    key_batch_max_uses: int = Field(1000, ge=1, le=1 << 20)  # data keys per batch key
    # Production mounts the audit signing key as a secret; the embedded default makes one.
    audit_key_file: Path | None = None
    audit_checkpoint_every: int = Field(1000, ge=1)
    # A file outside the database (another disk, a log shipper) each new checkpoint goes to.
    audit_anchor_file: Path | None = None

    def audit_key_path(self) -> Path:
        """Where the Ed25519 key that signs audit checkpoints is."""
        return self.audit_key_file or self.data_dir / "audit-ed25519.pem"

    def sqlalchemy_url(self) -> str:
        """The database URL: PostgreSQL when configured, else SQLite in the data directory."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'dangan.db').resolve()}"
