"""The migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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


def test_migrated_schema_has_no_drift_from_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)  # applying twice is harmless
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert set(Base.metadata.tables) <= set(inspect(connection).get_table_names())
    engine.dispose()


def test_customers_stored_before_departments_are_kept(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from storage.db import alembic_config

    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0001")
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
