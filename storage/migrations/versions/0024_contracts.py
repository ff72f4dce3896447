"""contracts: the contract ledger, numbered per department and year without gaps

Each contract has its record (number, counterparty, amount and currency, dates, kind, status,
custodian, hand-over dates) and a history of changes; a counter row per department and year is
locked while a number is taken. Documents and deadlines may name the contract they belong to.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "contract",
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("numbered_in_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("counterparty", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("amends_id", sa.Uuid(), nullable=True),
        sa.Column("custodian_id", sa.Uuid(), nullable=False),
        sa.Column("handed_to_credit_on", sa.Date(), nullable=True),
        sa.Column("handed_to_archive_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["amends_id"], ["contract.id"], name=op.f("fk_contract_amends_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"],
            name=op.f("fk_contract_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["custodian_id"], ["user_account.id"],
            name=op.f("fk_contract_custodian_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_contract_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["numbered_in_id"], ["department.id"],
            name=op.f("fk_contract_numbered_in_id_department"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("number", name=op.f("uq_contract_number")),
        sa.UniqueConstraint(
            "numbered_in_id", "year", "serial", name=op.f("uq_contract_numbered_in_id_year_serial")
        ),
    )  # fmt: skip
    with op.batch_alter_table("contract", schema=None) as batch_op:
        for column in ("counterparty", "customer_id", "kind", "signed_on", "status"):
            batch_op.create_index(batch_op.f(f"ix_contract_{column}"), [column], unique=False)
    op.create_table(
        "contract_change",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("changed_by_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["user_account.id"],
            name=op.f("fk_contract_change_changed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_contract_change_contract_id_contract")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_change")),
    )  # fmt: skip
    with op.batch_alter_table("contract_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_change_contract_id_created_at"),
            ["contract_id", "created_at"],
            unique=False,
        )
    op.create_table(
        "contract_counter",
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"],
            name=op.f("fk_contract_counter_department_id_department"),
        ),
        sa.PrimaryKeyConstraint("department_id", "year", name=op.f("pk_contract_counter")),
    )  # fmt: skip
    for table in ("document", "deadline"):
        _add_contract_column(table)
    op.create_index(op.f("ix_document_contract_id"), "document", ["contract_id"], unique=False)


def _add_contract_column(table: str) -> None:
    # SQLite adds a column with its reference in place; a batch would rebuild the table and
    # drop the triggers that keep a document's department (0019).
    name = op.f(f"fk_{table}_contract_id_contract")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN contract_id CHAR(32)"
            f" CONSTRAINT {name} REFERENCES contract (id)"
        )
    else:
        op.add_column(table, sa.Column("contract_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(name, table, "contract", ["contract_id"], ["id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_document_contract_id"), table_name="document")
    for table in ("deadline", "document"):
        if op.get_bind().dialect.name != "sqlite":
            op.drop_constraint(op.f(f"fk_{table}_contract_id_contract"), table, type_="foreignkey")
        op.drop_column(table, "contract_id")
    op.drop_table("contract_counter")
    op.drop_table("contract_change")
    op.drop_table("contract")
