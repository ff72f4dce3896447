"""legal holds on a customer's file, a contract or a document, kept once lifted as their history

Revision ID: 0021
Revises: 0019
Create Date: 2026-11-30 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "legal_hold",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("contract_no", sa.String(length=100), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by_id", sa.Uuid(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_id", sa.Uuid(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_legal_hold_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_legal_hold_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"],
            ["user_account.id"],
            name=op.f("fk_legal_hold_lifted_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["user_account.id"], name=op.f("fk_legal_hold_set_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_hold")),
    )
    op.create_index(
        op.f("ix_legal_hold_customer_id_lifted_at"),
        "legal_hold",
        ["customer_id", "lifted_at"],
        unique=False,
    )
    op.create_index(op.f("ix_legal_hold_document_id"), "legal_hold", ["document_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_legal_hold_document_id"), table_name="legal_hold")
    op.drop_index(op.f("ix_legal_hold_customer_id_lifted_at"), table_name="legal_hold")
    op.drop_table("legal_hold")
