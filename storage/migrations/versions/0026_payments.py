"""payments: customers' transactions from the ERP and finance systems, and the import runs

A transaction is one invoice, payment, credit note or write-off, kept once per (source, number,
kind) so the same row imported twice is one row; an import run keeps its counts and, for a file,
its SHA-256 so the same file is read once.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30 21:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "customer_transaction",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("dated", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("applies_to", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"],
            name=op.f("fk_customer_transaction_customer_id_customer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_transaction")),
        sa.UniqueConstraint(
            "source", "number", "kind", name=op.f("uq_customer_transaction_source_number_kind")
        ),
    )  # fmt: skip
    with op.batch_alter_table("customer_transaction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_transaction_customer_id"), ["customer_id"], unique=False
        )
    op.create_table(
        "payment_import",
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("problem", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_import")),
        sa.UniqueConstraint("sha256", name=op.f("uq_payment_import_sha256")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("payment_import")
    with op.batch_alter_table("customer_transaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_transaction_customer_id"))
    op.drop_table("customer_transaction")
