"""Text kept before migration 0025 gets its document's type and dates, and stays searchable."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import Engine, text

from storage.db import alembic_config, make_engine, migrate
from tests.storage.test_migrations import CUSTOMER, DOCUMENT, USER, _customer_of_0001, database_url

__all__ = ["database_url"]  # on SQLite and PostgreSQL, as the other migration tests

TERMS = "逾期 期九 九十 十天"


def _letter_of_0022(engine: Engine) -> None:
    """A document and its kept text as 0022 stored them: no type or dates beside the terms."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO document (id, customer_id, doc_type, title, secrecy, issued_on,"
                " latest_version, created_by_id, created_at) VALUES (:id, :customer,"
                " 'collection_letter', '催收函', 'internal', '2023-04-01', 1, :user,"
                " CURRENT_TIMESTAMP)"
            ),
            {"id": DOCUMENT, "customer": CUSTOMER, "user": USER},
        )
        connection.execute(
            text(
                "INSERT INTO document_text (document_id, version, text, terms, indexed_at)"
                " VALUES (:document, 1, '逾期九十天', :terms, CURRENT_TIMESTAMP)"
            ),
            {"document": DOCUMENT, "terms": TERMS},
        )


def _copies(engine: Engine) -> tuple[object, ...]:
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT t.doc_type, t.issued_on, t.uploaded_at = d.created_at FROM document_text t"
                " JOIN document d ON d.id = t.document_id"
            )
        ).one()
    issued = row[1] if isinstance(row[1], date) else date.fromisoformat(row[1])
    return row[0], issued, bool(row[2])


def _matches(engine: Engine, word: str) -> bool:
    """Whether PostgreSQL's tsvector of the kept terms holds the word."""
    with engine.connect() as connection:
        query = "SELECT terms_vector @@ plainto_tsquery('simple', :word) FROM document_text"
        return bool(connection.execute(text(query), {"word": word}).scalar_one())


def test_text_kept_before_gets_its_documents_type_and_dates_and_follows_them(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    _customer_of_0001(engine)
    command.upgrade(config, "0022")
    _letter_of_0022(engine)
    migrate(engine)
    assert _copies(engine) == ("collection_letter", date(2023, 4, 1), True)
    with engine.begin() as connection:
        connection.execute(text("UPDATE document SET doc_type = 'contract', issued_on = NULL"))
    with engine.connect() as connection:
        row = connection.execute(text("SELECT doc_type, issued_on FROM document_text")).one()
    assert tuple(row) == ("contract", None)
    postgresql = engine.dialect.name == "postgresql"
    if postgresql:
        assert _matches(engine, "逾期")
        # The tsvector is the trigger's now: written again when the terms change.
        with engine.begin() as connection:
            connection.execute(text("UPDATE document_text SET terms = '付清'"))
        assert (_matches(engine, "逾期"), _matches(engine, "付清")) == (False, True)
    command.downgrade(config, "0022")
    if postgresql:
        assert _matches(engine, "付清")  # generated again from the terms
    engine.dispose()
