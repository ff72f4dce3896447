"""All of Dangan's settings, read from `DANGAN_*` environment variables or a `.env` file."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from access.config import AccessSettings
from ingest.config import IngestSettings
from storage.config import StorageSettings


class Settings(StorageSettings, IngestSettings, AccessSettings):
    """Every package's settings in one object; each package reads its own part."""

    model_config = SettingsConfigDict(env_prefix="DANGAN_", env_file=".env", extra="ignore")

    # Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed (comma list); by
    # default nobody's, so a client cannot choose the address its sign-ins are throttled and
    # audited under.
    trusted_proxies: str = ""
    # `json`: one JSON object a line, with the request's id, for a log shipper.
    log_format: Literal["text", "json"] = "text"
    # /metrics is served only to a scraper presenting this bearer token; without one it is off.
    metrics_token: SecretStr | None = Field(None, min_length=16)
    # Whether `dangan serve` does the background work itself. Unset: yes for the embedded
    # default (it has no workers), no with a server database, where `dangan worker` processes
    # (any number, on any machine) chain the audit log, read documents and send notices.
    background: bool | None = None
    # Jobs one `dangan worker` runs at once (each reading in a child process of its own).
    worker_concurrency: int = Field(3, ge=1)
    # Seconds without a heartbeat after which a worker counts as dead and its jobs are retried.
    worker_stalled_after: float = Field(60.0, ge=2)
    # The hour (UTC) of the daily fixity check run by the workers; unset: only by the command.
    fixity_check_hour: int | None = Field(None, ge=0, le=23)
    # Seconds a stopping server (SIGTERM) waits for requests under way, uploads included, before
    # it closes their connections; an orchestrator's grace period must be longer.
    shutdown_grace: int = Field(120, gt=0)
    # Seconds an idle connection is kept for the client's next request. Longer than the idle
    # timeout of a proxy or load balancer in front (60 s for nginx's upstreams and most cloud
    # balancers): a request it sends as the server closes the connection would fail, and one
    # that is not idempotent (an upload, a borrowing request) is not sent again.
    keep_alive: int = Field(75, gt=0)

    @model_validator(mode="after")
    def _someone_does_the_background_work(self) -> Settings:
        if self.background is False and self.database_url is None:
            raise ValueError(
                "DANGAN_BACKGROUND=false needs a server database (DANGAN_DATABASE_URL): the "
                "embedded default does its background work inside `dangan serve`"
            )
        return self

    def background_here(self) -> bool:
        """Whether `dangan serve` does the background work (see `background`)."""
        return self.database_url is None if self.background is None else self.background

    def trusted_proxy_list(self) -> list[str]:
        """The trusted proxies' addresses (or networks), none by default."""
        return [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]
