"""All of Dangan's settings, read from `DANGAN_*` environment variables or a `.env` file."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from access.config import AccessSettings
from ingest.config import IngestSettings
from storage.config import StorageSettings


class Settings(StorageSettings, IngestSettings, AccessSettings):
    """Every package's settings in one object; each package reads its own part."""

    model_config = SettingsConfigDict(env_prefix="DANGAN_", env_file=".env", extra="ignore")
