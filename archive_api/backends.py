"""The backends one Dangan process talks to, built once from the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from access.authz import Authorizer
from access.rules import Rules, load_rules
from archive_api.config import Settings
from archive_api.deferring import Deferrer
from ingest.categories import Categories, load_categories
from ingest.credit_schemas import CreditPolicy
from ingest.numbering import Numbering, load_numbering
from ingest.rating import load_policy
from ingest.retention import Retention, load_retention
from ingest.viewer import Bounds, Renderer
from ingest.workdays import Calendar, load_calendar
from storage import schema
from storage.crypto import load_signing_key
from storage.db import make_engine, session_factory
from storage.keys import KeyProvider, key_provider
from storage.models.base import utcnow
from storage.objects import ObjectStore, object_store


@dataclass
class Backends:
    """Database, object store, key provider and policy rules of this process."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    keys: KeyProvider
    authorizer: Authorizer
    audit_key: Ed25519PrivateKey
    rules: Rules
    credit: CreditPolicy
    categories: Categories
    retention: Retention
    numbering: Numbering
    calendar: Calendar
    renderer: Renderer
    # The time that borrowings are judged by; tests move it forward instead of waiting.
    clock: Callable[[], datetime] = field(default=utcnow)
    # The job queue's deferrer (PostgreSQL only): reading jobs are queued as rows commit.
    queue: Deferrer | None = None

    def today(self) -> date:
        """The company's calendar day now (review dates, license expiry, dates not yet come)."""
        return self.clock().astimezone(self.rules.zone).date()

    def close(self) -> None:
        """Stop the renderers and release database connections."""
        self.renderer.close()
        if self.queue is not None:
            self.queue.close()
        self.engine.dispose()


def connect(settings: Settings, *, apply_migrations: bool = True) -> Backends:
    """Open every backend the settings name (each production backend independently)."""
    rules, credit, categories, retention, (numbering, calendar) = policies(settings)
    # The data directory holds the keyring, the audit key and (embedded) the database.
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url())
    if apply_migrations:
        schema.migrate(engine)
    sessions = session_factory(engine)
    queue = None
    if settings.database_url is not None:
        queue = Deferrer(settings.sqlalchemy_url())
        queue.watch(sessions)
    return Backends(
        settings=settings,
        engine=engine,
        sessions=sessions,
        store=object_store(settings),
        keys=key_provider(settings),
        authorizer=Authorizer(engine),
        audit_key=load_signing_key(settings.audit_key_path()),
        rules=rules,
        credit=credit,
        categories=categories,
        retention=retention,
        numbering=numbering,
        calendar=calendar,
        renderer=renderer(settings),
        queue=queue,
    )


def policies(
    settings: Settings,
) -> tuple[Rules, CreditPolicy, Categories, Retention, tuple[Numbering, Calendar]]:
    """The borrowing rules, credit policy, categories, retention rules, contract numbering and
    working-day calendar: a bad file stops the start, not a request (InvalidRules,
    InvalidCreditPolicy, InvalidCategories, InvalidRetention, InvalidNumbering,
    InvalidCalendar)."""
    rules = load_rules(settings.borrowing_rules)
    categories = load_categories(settings.customer_categories)
    retention = load_retention(settings.retention_rules, rules.zone)
    upkeep = load_numbering(settings.contract_numbering), load_calendar(settings.workday_calendar)
    return rules, load_policy(settings), categories, retention, upkeep


def renderer(settings: Settings) -> Renderer:
    """The resident renderers of page images, under the render limits (started when first asked)."""
    bounds = Bounds(
        settings.render_cache_documents,
        settings.render_cache_mb * 1024 * 1024,
        settings.render_cache_seconds,
    )
    return Renderer(
        settings.render_workers,
        bounds,
        timeout=settings.render_timeout,
        memory_mb=settings.render_memory_mb,
        max_pixels=settings.render_max_pixels,
    )
