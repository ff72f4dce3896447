"""disposal requests, their approvals and items; tombstones of disposed documents; uploads closed
while a customer's key is shredded

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "disposal",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("requester_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("secrecy", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("refusal", sa.Text(), nullable=True),
        sa.Column("executed_by_id", sa.Uuid(), nullable=True),
        sa.Column("executed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("certificate", sa.LargeBinary(), nullable=True),
        sa.Column("certificate_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_disposal_department_id_department")
        ),
        sa.ForeignKeyConstraint(
            ["executed_by_id"],
            ["user_account.id"],
            name=op.f("fk_disposal_executed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["user_account.id"],
            name=op.f("fk_disposal_requester_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposal")),
        sa.UniqueConstraint("number", name=op.f("uq_disposal_number")),
    )
    op.create_index(op.f("ix_disposal_department_id"), "disposal", ["department_id"])
    op.create_index(op.f("ix_disposal_status"), "disposal", ["status"])
    op.create_table(
        "disposal_item",
        sa.Column("disposal_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("kept_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_disposal_item_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["disposal_id"], ["disposal.id"], name=op.f("fk_disposal_item_disposal_id_disposal")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_disposal_item_document_id_document")
        ),
        sa.PrimaryKeyConstraint("disposal_id", "document_id", name=op.f("pk_disposal_item")),
    )
    op.create_index(op.f("ix_disposal_item_document_id"), "disposal_item", ["document_id"])
    op.create_table(
        "disposal_approval",
        sa.Column("disposal_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("approver_id", sa.Uuid(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"],
            ["user_account.id"],
            name=op.f("fk_disposal_approval_approver_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["disposal_id"],
            ["disposal.id"],
            name=op.f("fk_disposal_approval_disposal_id_disposal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposal_approval")),
        sa.UniqueConstraint(
            "disposal_id", "role", name=op.f("uq_disposal_approval_disposal_id_role")
        ),
    )
    op.create_index(op.f("ix_disposal_approval_disposal_id"), "disposal_approval", ["disposal_id"])
    # Plain ADD COLUMN on both databases: SQLite's batch mode would copy these tables and lose
    # the triggers migrations 0018 and 0019 put on them.
    op.add_column(
        "customer", sa.Column("uploads_closed_until", sa.DateTime(timezone=True), nullable=True)
    )
    if op.get_bind().dialect.name == "sqlite":  # SQLite takes the reference only in the column
        op.execute("ALTER TABLE document ADD COLUMN disposal_id CHAR(32) REFERENCES disposal (id)")
    else:
        op.add_column("document", sa.Column("disposal_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(
            op.f("fk_document_disposal_id_disposal"),
            "document",
            "disposal",
            ["disposal_id"],
            ["id"],
        )
    op.add_column("document", sa.Column("disposed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("document", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("disposed_at")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_document_disposal_id_disposal"), "document", type_="foreignkey")
    op.drop_column("document", "disposal_id")
    op.drop_column("customer", "uploads_closed_until")
    op.drop_index(op.f("ix_disposal_approval_disposal_id"), table_name="disposal_approval")
    op.drop_table("disposal_approval")
    op.drop_index(op.f("ix_disposal_item_document_id"), table_name="disposal_item")
    op.drop_table("disposal_item")
    op.drop_index(op.f("ix_disposal_status"), table_name="disposal")
    op.drop_index(op.f("ix_disposal_department_id"), table_name="disposal")
    op.drop_table("disposal")
