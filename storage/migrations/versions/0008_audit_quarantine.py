"""audit quarantine, and pending events guarded like chained ones

Events whose body cannot be indexed in full are chained all the same and listed in
`audit_quarantine`, which is insert-only like `audit_event`. `audit_pending` refuses UPDATE (and,
in PostgreSQL, TRUNCATE): a waiting event cannot be rewritten before it is chained. It must
allow DELETE, which is how the sequencer takes a batch; PostgreSQL allows it only to a
transaction holding the sequencer's advisory lock (storage/auditlog.py `_LOCK`). That stops a
stray or careless DELETE, not an intruder, who can take the same lock; what a trigger cannot
stop, the anchored checkpoints reveal for chained events, and nothing can for events not yet
chained, which is why the sequencer chains them within a second.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_quarantine",
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["position"],
            ["audit_event.position"],
            name=op.f("fk_audit_quarantine_position_audit_event"),
        ),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_audit_quarantine")),
    )
    if op.get_bind().dialect.name == "sqlite":
        guarded = (("audit_quarantine", "UPDATE"), ("audit_quarantine", "DELETE"),
                   ("audit_pending", "UPDATE"))  # fmt: skip
        for table, change in guarded:
            op.execute(
                f"CREATE TRIGGER {table}_no_{change.lower()} BEFORE {change} ON {table}"
                " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
        return
    op.execute(
        "CREATE TRIGGER audit_quarantine_insert_only BEFORE UPDATE OR DELETE OR TRUNCATE"
        " ON audit_quarantine FOR EACH STATEMENT EXECUTE FUNCTION dangan_audit_insert_only()"
    )
    # pg_locks shows a bigint advisory key as its high and low 32 bits (objsubid 1 marks a bigint
    # key): 1684106855 is 0x64616E67, the sequencer's `_LOCK` in storage/auditlog.py.
    op.execute(
        """
        CREATE FUNCTION dangan_audit_pending_guard() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND EXISTS (
                SELECT 1 FROM pg_locks
                WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                    AND classid = 0 AND objid = 1684106855 AND objsubid = 1
            ) THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION 'the audit log is append-only: % on % refused',
                TG_OP, TG_TABLE_NAME;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER audit_pending_guard BEFORE UPDATE OR DELETE OR TRUNCATE"
        " ON audit_pending FOR EACH STATEMENT EXECUTE FUNCTION dangan_audit_pending_guard()"
    )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "sqlite":
        for name in ("audit_quarantine_no_update", "audit_quarantine_no_delete"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TRIGGER audit_pending_no_update")
    else:
        op.execute("DROP TRIGGER audit_pending_guard ON audit_pending")
        op.execute("DROP FUNCTION dangan_audit_pending_guard()")
        op.execute("DROP TRIGGER audit_quarantine_insert_only ON audit_quarantine")
    op.drop_table("audit_quarantine")
