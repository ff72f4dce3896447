"""secrecy proposals: a level proposed for a customer or document and its decision; important
customers marked

004 §5.1.5: a secrecy level is proposed and leadership approves it; 004 §4.1.2: important
customers' information is kept separately. Customers stored before are not important. The
customer column is added by plain ALTER TABLE on SQLite too (batch mode would rebuild the table
under 0018's triggers).

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-30 22:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "customer", sa.Column("important", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_index(op.f("ix_customer_important"), "customer", ["important"], unique=False)
    op.create_table(
        "secrecy_proposal",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("current", sa.String(length=16), nullable=False),
        sa.Column("proposed", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_secrecy_proposal_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_secrecy_proposal_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_secrecy_proposal_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["user_account.id"],
            name=op.f("fk_secrecy_proposal_proposed_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secrecy_proposal")),
    )
    op.create_index(
        op.f("ix_secrecy_proposal_customer_id"), "secrecy_proposal", ["customer_id"], unique=False
    )
    op.create_index(
        op.f("ix_secrecy_proposal_document_id"), "secrecy_proposal", ["document_id"], unique=False
    )
    op.create_index(
        op.f("ix_secrecy_proposal_status_created_at"),
        "secrecy_proposal",
        ["status", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("secrecy_proposal")
    op.drop_index(op.f("ix_customer_important"), table_name="customer")
    op.drop_column("customer", "important")
