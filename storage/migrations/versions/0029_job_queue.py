"""job queue: procrastinate's tables and functions, on PostgreSQL only

Background work runs as procrastinate tasks (archive_api/queue.py) on PostgreSQL; the embedded
default (SQLite) runs the same functions in threads and gets nothing here. The SQL is the
schema.sql of the installed procrastinate, pinned to 3.10.x in pyproject.toml, so this revision
always creates the 3.10 schema.

Procrastinate versions its schema by files, not by a table: `procrastinate/sql/migrations/`
holds one file per change, named `<version>_<nn>_<pre|post>_<what>.sql` (`pre` before the new
code is deployed, `post` after). Raising the pin above 3.10 therefore takes a new alembic
revision that runs, in name order, the files named for versions above 03.10.00 (`pre` ones in
the revision deployed with the old code, `post` ones in the next), on PostgreSQL only; and
since this revision reads schema.sql of whatever is installed, it must go on creating the 3.10
schema on new databases: before raising the pin, copy 3.10's schema.sql beside it and read that.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 00:40:00.000000
"""

from collections.abc import Sequence
from importlib.metadata import version

from alembic import op
from procrastinate.schema import SchemaManager

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What schema.sql creates besides its functions (dropped by name below).
_TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
           "procrastinate_workers")  # fmt: skip
_TYPES = ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type",
          "procrastinate_job_status")  # fmt: skip


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    if not version("procrastinate").startswith("3.10."):
        raise RuntimeError("migration 0029 creates procrastinate 3.10's schema: see its docstring")
    # exec_driver_sql: the schema holds `%` in its functions, which is no parameter here.
    op.get_bind().exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def downgrade() -> None:
    """Revert this revision."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in _TABLES:
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
    functions = bind.exec_driver_sql(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n"
        " ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
        " AND p.proname LIKE 'procrastinate%%'"
    ).scalars()
    for function in list(functions):
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    for type_ in _TYPES:
        bind.exec_driver_sql(f"DROP TYPE IF EXISTS {type_} CASCADE")
