"""Settings of document intake."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class IngestSettings(BaseSettings):
    """Limits on uploads and on reading figures out of them; further credit reference tables."""

    model_config = SettingsConfigDict(env_prefix="DANGAN_", env_file=".env", extra="ignore")

    max_upload_bytes: int = 2 * 1024**3
    # Who keeps the archive: named as the source organisation of every exported bag.
    organisation: str = "Dangan archive"
    # Reference tables of industries besides the shipped electronics one (TOML, `[tables.<name>]`).
    credit_tables: Path | None = None
    # Customer categories offered (TOML, `[[category]]`); the shipped ones when unset.
    customer_categories: Path | None = None
    # Contract number patterns per department (TOML, `default`, `[departments]`); the shipped
    # ones (ingest/policy/contracts.toml) when unset.
    contract_numbering: Path | None = None
    # Public holidays and make-up working days (TOML, `[[year]]`); the shipped calendar
    # (ingest/policy/workdays-cn.toml) when unset.
    workday_calendar: Path | None = None
    # Retention per document type (TOML, `[default]`, `[types.<doc_type>]`); the shipped rules
    # (ingest/policy/retention.toml) when unset.
    retention_rules: Path | None = None
    # The extraction worker: seconds between rounds, and limits on reading one file.
    extract_every: float = Field(2.0, gt=0)
    extract_timeout: float = Field(600.0, gt=0, description="seconds per file")
    extract_memory_mb: int = Field(3072, ge=256)
    # OCR of scans: "auto" reads with RapidOCR, and a page in traditional Chinese again with
    # Tesseract (RapidOCR's model lacks some traditional characters); or one engine only.
    # Search: the text of documents up to this level is stored for the index; `secret` never is.
    search_max_secrecy: Literal["public", "internal", "confidential"] = "confidential"
    ocr_engine: Literal["auto", "rapidocr", "tesseract"] = "auto"
    # Rendering and watermarking for readers, in a child process: its limits, and the most
    # pixels one page or embedded image may declare before anything is decoded.
    render_timeout: float = Field(30.0, gt=0, description="seconds per page or stamped file")
    render_memory_mb: int = Field(1536, ge=256)
    render_max_pixels: int = Field(100_000_000, ge=1_000_000)
    # Resident renderers keep documents being read open between pages (ingest.viewer): how many
    # renderers, and what each may keep, in documents, megabytes of plaintext and idle seconds.
    render_workers: int = Field(2, ge=1, le=32)
    render_cache_documents: int = Field(8, ge=1)
    render_cache_mb: int = Field(256, ge=0)
    render_cache_seconds: float = Field(300.0, gt=0)
    # Customers' transactions from the ERP and finance systems (docs/payments.md): a drop folder
    # of CSV/XLSX files and/or a read-only database view with the same columns, read by a
    # background round this many seconds apart.
    payments_drop_dir: Path | None = None
    payments_sql_url: SecretStr | None = None  # it may carry a password: never printed
    payments_sql_view: str | None = Field(
        None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"
    )
    payments_every: float = Field(3600.0, gt=0)

    @model_validator(mode="after")
    def _a_view_with_its_database(self) -> IngestSettings:
        if (self.payments_sql_url is None) != (self.payments_sql_view is None):
            raise ValueError(
                "DANGAN_PAYMENTS_SQL_URL and DANGAN_PAYMENTS_SQL_VIEW go together: the view is "
                "read from that database"
            )
        return self
