"""The migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from storage.db import make_engine, migrate
from storage.models import Base

USER = "0b5e4c8e-6d0a-4f43-9a53-4c1f2d7c9e01"
CUSTOMER = "7d3f0a52-1c2b-4e8f-8a6d-2b9c5e1f4a10"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'drift.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def _declared(name: str | None, type_: str, _parent: object) -> bool:
    # The search indexes, which no model can declare for both databases: SQLite's FTS5 virtual
    # table (with shadow tables), PostgreSQL's generated tsvector and its GIN index (with the
    # department and secrecy), and its GIN indexes of metadata pieces; their own test is
    # test_search_index_exists.
    if type_ == "table" and (name or "").startswith("document_text_fts"):
        return False
    # The job queue's tables are procrastinate's own (0029), on PostgreSQL only.
    if type_ == "table" and (name or "").startswith("procrastinate_"):
        return False
    return (type_, name) not in {
        ("column", "terms_vector"),
        ("index", "ix_document_text_terms"),
        ("index", "ix_document_metadata_grams"),
        ("index", "ix_customer_metadata_grams"),
    }


def test_migrated_schema_has_no_drift_from_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)  # applying twice is harmless
    with engine.connect() as connection:
        opts = {"compare_type": True, "include_name": _declared}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, Base.metadata) == []
        assert set(Base.metadata.tables) <= set(inspect(connection).get_table_names())
    engine.dispose()


def test_search_index_exists(database_url: str) -> None:
    from sqlalchemy import text

    engine = make_engine(database_url)
    migrate(engine)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert "document_text_fts" in inspect(connection).get_table_names()
        else:
            query = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_document_text_terms'"
            found = connection.execute(text(query)).scalar_one()
            assert "gin (department_id, secrecy, terms_vector)" in found
            query = "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%metadata_grams'"
            assert set(connection.execute(text(query)).scalars()) == {
                "ix_document_metadata_grams",
                "ix_customer_metadata_grams",
            }
    engine.dispose()


def _customer_of_0001(engine: Engine) -> None:
    """A user and a customer as the first schema stored them: no department, no custodian."""
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO user_account (id, username, display_name, password_hash, status,"
                " created_at) VALUES (:id, 'li', 'Li', 'x', 'active', CURRENT_TIMESTAMP)"
            ),
            {"id": USER},
        )
        connection.execute(
            text(
                "INSERT INTO customer (id, name, uscc, created_by_id, created_at)"
                " VALUES (:id, '甲公司', '91520000214434146R', :user, CURRENT_TIMESTAMP)"
            ),
            {"id": CUSTOMER, "user": USER},
        )


def test_customers_stored_before_departments_are_kept(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from storage.db import alembic_config

    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0001")
    _customer_of_0001(engine)
    migrate(engine)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT d.code, c.custodian_id, c.secrecy FROM customer c"
                " JOIN department d ON d.id = c.department_id"
            )
        ).one()
    assert (row.code, str(row.custodian_id).replace("-", ""), row.secrecy) == (
        "hq",
        USER.replace("-", ""),
        "internal",
    )
    engine.dispose()


DOCUMENT = "5a1c9e2b-3f4d-4b6a-8c7e-9d0f1a2b3c4d"
EXTRACTION = "6b2d0f3c-4e5a-4c7b-9d8f-0e1a2b3c4d5e"
STATEMENT = "7c3e1a4d-5f6b-4d8c-8e9a-1f2b3c4d5e6f"
PERIODS = ("current_months", "current_end", "prior_months", "prior_end")


def _statement_columns(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {c["name"] for c in inspect(connection).get_columns("statement")}


def test_statements_read_before_periods_were_kept_have_unknown_periods(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from storage.db import alembic_config

    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    _customer_of_0001(engine)
    command.upgrade(config, "0011")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO document (id, customer_id, doc_type, title, secrecy,"
                " latest_version, created_by_id, created_at) VALUES (:id, :customer,"
                " 'financial_statement', '2024', 'internal', 1, :user, CURRENT_TIMESTAMP)"
            ),
            {"id": DOCUMENT, "customer": CUSTOMER, "user": USER},
        )
        connection.execute(
            text(
                "INSERT INTO extraction (id, document_id, version, kind, status, attempts,"
                " created_at) VALUES (:id, :document, 1, 'statements', 'done', 1,"
                " CURRENT_TIMESTAMP)"
            ),
            {"id": EXTRACTION, "document": DOCUMENT},
        )
        connection.execute(
            text(
                "INSERT INTO statement (id, customer_id, document_id, version, extraction_id,"
                " type, scope, title, pages, unit, multiplier, current_label, fiscal_year,"
                " checks, needs_review, status, created_at) VALUES (:id, :customer, :document,"
                " 1, :extraction, 'income_statement', 'consolidated', '利润表', '[1]', '元', 1,"
                " '本期金额', 2024, '[]', false, 'confirmed', CURRENT_TIMESTAMP)"
            ),
            {"id": STATEMENT, "customer": CUSTOMER, "document": DOCUMENT, "extraction": EXTRACTION},
        )
    assert not set(PERIODS) & _statement_columns(engine)

    migrate(engine)
    with engine.connect() as connection:
        row = connection.execute(text(f"SELECT {', '.join(PERIODS)} FROM statement")).one()
    assert tuple(row) == (None, None, None, None)  # unknown, never guessed as a year

    command.downgrade(config, "0011")
    assert not set(PERIODS) & _statement_columns(engine)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT title, fiscal_year FROM statement")).one()
    assert tuple(kept) == ("利润表", 2024)
    engine.dispose()


RATING = "8d4f2b5e-6a7c-4e9d-9f0b-2a3c4d5e6f70"
# A rating as stored before 0013: `credit_limit` held the allowed credit (赊销额度), the limit
# (信用限额) only in the result, and its date only in the request it was computed from.
RATING_RESULT = (
    '{"request": {"today": "2024-03-31"}, "grade": "AA",'
    ' "credit_limit": {"limit": "6000000.00", "allowed": "5400000.00"}}'
)


def test_ratings_stored_before_keep_their_own_date_and_both_limits(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from storage.db import alembic_config

    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    _customer_of_0001(engine)
    command.upgrade(config, "0012")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO rating (id, customer_id, rated_by_id, grade, score, credit_limit,"
                " next_review_on, inputs, result, created_at) VALUES (:id, :customer, :user,"
                f" 'AA', 80, 5400000, '2025-03-31', '{{}}', '{RATING_RESULT}',"
                " '2024-04-02 09:00:00')"
            ),
            {"id": RATING, "customer": CUSTOMER, "user": USER},
        )

    migrate(engine)
    query = "SELECT rated_on, credit_limit, allowed_credit, next_review_on FROM rating"
    with engine.connect() as connection:
        row = connection.execute(text(query)).one()
    # Its own date, not the day it was stored nor today; its review date untouched.
    assert str(row.rated_on) == "2024-03-31"
    assert str(row.next_review_on) == "2025-03-31"
    assert (row.credit_limit, row.allowed_credit) == (6000000, 5400000)

    command.downgrade(config, "0012")
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT credit_limit, grade FROM rating")).one()
    assert tuple(kept) == (5400000, "AA")
    engine.dispose()


def test_customers_stored_before_master_data_are_active_with_nothing_recorded(
    database_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import text

    from storage.db import alembic_config

    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    _customer_of_0001(engine)
    migrate(engine)
    query = "SELECT status, shareholders, bank_references, founded_on FROM customer"
    with engine.connect() as connection:
        row = connection.execute(text(query)).one()
    # Already doing business before there was a lifecycle; empty lists, not nulls.
    assert row.status == "active"
    assert [json.loads(v) if isinstance(v, str) else v for v in row[1:3]] == [[], []]
    assert row.founded_on is None

    command.downgrade(config, "0016")
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT name, uscc FROM customer")).one()
        tables = inspect(connection).get_table_names()
    assert tuple(kept) == ("甲公司", "91520000214434146R")
    assert "customer_change" not in tables
    engine.dispose()


def _text_columns(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {c["name"] for c in inspect(connection).get_columns("document_text")}


def test_text_and_documents_kept_before_0018_take_their_department_and_secrecy(
    database_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import text

    from storage.db import alembic_config

    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    _customer_of_0001(engine)
    command.upgrade(config, "0017")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO document (id, customer_id, doc_type, title, secrecy,"
                " latest_version, created_by_id, created_at) VALUES (:id, :customer,"
                " 'contract', '借款合同', 'confidential', 1, :user, CURRENT_TIMESTAMP)"
            ),
            {"id": DOCUMENT, "customer": CUSTOMER, "user": USER},
        )
        connection.execute(
            text(
                "INSERT INTO document_text (document_id, version, text, terms, indexed_at)"
                " VALUES (:document, 1, '保证金', '保证 证金', CURRENT_TIMESTAMP)"
            ),
            {"document": DOCUMENT},
        )

    migrate(engine)
    query = (
        "SELECT d.code, t.secrecy FROM document_text t JOIN department d ON d.id = t.department_id"
    )
    with engine.connect() as connection:
        assert tuple(connection.execute(text(query)).one()) == ("hq", "confidential")
        filed = "SELECT d.code FROM document t JOIN department d ON d.id = t.department_id"
        assert connection.execute(text(filed)).scalar_one() == "hq"  # 0019's copy

    command.downgrade(config, "0017")
    assert not {"department_id", "secrecy"} & _text_columns(engine)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT terms FROM document_text")).one()
    assert tuple(kept) == ("保证 证金",)
    engine.dispose()


def test_customers_before_0028_are_not_important_and_both_revisions_go_back(
    database_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import text

    from storage.db import alembic_config

    engine = make_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    _customer_of_0001(engine)
    migrate(engine)
    with engine.connect() as connection:
        important = connection.execute(text("SELECT important FROM customer")).scalar_one()
        letters = {c["name"] for c in inspect(connection).get_columns("document")}
    assert important is False or important == 0  # SQLite answers 0
    assert {"channel", "direction", "sender", "recipient", "escalation_level"} <= letters

    command.downgrade(config, "0026")
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT name FROM customer")).scalar_one()
        tables = inspect(connection).get_table_names()
        customer = {c["name"] for c in inspect(connection).get_columns("customer")}
        document = {c["name"] for c in inspect(connection).get_columns("document")}
    assert kept == "甲公司"
    assert "secrecy_proposal" not in tables
    assert "important" not in customer
    assert not {"channel", "sender", "escalation_level"} & document
    migrate(engine)  # and forward again
    engine.dispose()
