"""customer master data: registration, shareholders, bank references, a lifecycle status, and
the history of every change to them

Customers opened before this revision were already doing business, so they start `active`; a
new customer starts as a `prospect` (the model's default). The history starts empty: what was
recorded before has no author or reason to show.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMPTY_LIST = sa.text("'[]'")


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="active")
        )
        batch_op.add_column(sa.Column("registered_capital", sa.Numeric(20, 2), nullable=True))
        batch_op.add_column(sa.Column("capital_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("legal_representative", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("business_scope", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("founded_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("shareholders", sa.JSON(), nullable=False, server_default=EMPTY_LIST)
        )
        batch_op.add_column(
            sa.Column("bank_references", sa.JSON(), nullable=False, server_default=EMPTY_LIST)
        )
        batch_op.add_column(sa.Column("cooperation_since", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_customer_status"), ["status"], unique=False)
    # Existing rows are `active`; new ones take the model's default, so the database keeps none.
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=16), server_default=None)

    op.create_table(
        "customer_change",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("changed_by_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_customer_change_changed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_customer_change_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_customer_change_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_change")),
    )
    op.create_index(
        op.f("ix_customer_change_customer_id_created_at"),
        "customer_change",
        ["customer_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_customer_change_customer_id_created_at"), table_name="customer_change")
    op.drop_table("customer_change")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_status"))
        batch_op.drop_column("cooperation_since")
        batch_op.drop_column("bank_references")
        batch_op.drop_column("shareholders")
        batch_op.drop_column("founded_on")
        batch_op.drop_column("business_scope")
        batch_op.drop_column("address")
        batch_op.drop_column("legal_representative")
        batch_op.drop_column("capital_currency")
        batch_op.drop_column("registered_capital")
        batch_op.drop_column("status")
