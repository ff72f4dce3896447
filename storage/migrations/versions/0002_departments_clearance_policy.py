"""departments, clearance, policy

Customers stored before departments existed are kept: they move to a department `hq` and their
uploader becomes their custodian.

Revision ID: 0002
Revises: 0001
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "casbin_rule",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ptype", sa.String(length=8), nullable=False),
        sa.Column("v0", sa.String(length=255), nullable=True),
        sa.Column("v1", sa.String(length=255), nullable=True),
        sa.Column("v2", sa.String(length=255), nullable=True),
        sa.Column("v3", sa.String(length=255), nullable=True),
        sa.Column("v4", sa.String(length=255), nullable=True),
        sa.Column("v5", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casbin_rule")),
    )
    op.create_table(
        "department",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department")),
        sa.UniqueConstraint("code", name=op.f("uq_department_code")),
        sa.UniqueConstraint("name", name=op.f("uq_department_name")),
    )
    op.create_table(
        "login_failure",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failure_address"), ["address"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failure_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failure_username"), ["username"], unique=False)

    op.create_table(
        "policy_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_revision")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("custodian_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("secrecy", sa.String(length=16), nullable=True))
    _adopt_existing_customers()
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.alter_column("department_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column("custodian_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column("secrecy", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_customer_custodian_id"), ["custodian_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_department_id"), ["department_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_customer_department_id_department"),
            "department",
            ["department_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_customer_custodian_id_user_account"),
            "user_account",
            ["custodian_id"],
            ["id"],
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("clearance", sa.String(length=16), nullable=False, server_default="internal")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_user_account_department_id_department"),
            "department",
            ["department_id"],
            ["id"],
        )


def _adopt_existing_customers() -> None:
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT count(*) FROM customer")).scalar_one() == 0:
        return
    department = sa.table(
        "department",
        sa.column("id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("name", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    hq = uuid.uuid4()
    connection.execute(
        department.insert().values(
            id=hq, code="hq", name="总部 Headquarters", created_at=datetime.now(UTC)
        )
    )
    customer = sa.table(
        "customer",
        sa.column("department_id", sa.Uuid()),
        sa.column("custodian_id", sa.Uuid()),
        sa.column("created_by_id", sa.Uuid()),
        sa.column("secrecy", sa.String()),
    )
    connection.execute(
        customer.update().values(
            department_id=hq, custodian_id=customer.c.created_by_id, secrecy="internal"
        )
    )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_user_account_department_id_department"), type_="foreignkey"
        )
        batch_op.drop_column("clearance")
        batch_op.drop_column("department_id")

    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_customer_custodian_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_customer_department_id_department"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_customer_department_id"))
        batch_op.drop_index(batch_op.f("ix_customer_custodian_id"))
        batch_op.drop_column("secrecy")
        batch_op.drop_column("custodian_id")
        batch_op.drop_column("department_id")

    op.drop_table("policy_revision")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failure_username"))
        batch_op.drop_index(batch_op.f("ix_login_failure_at"))
        batch_op.drop_index(batch_op.f("ix_login_failure_address"))

    op.drop_table("login_failure")
    op.drop_table("department")
    op.drop_table("casbin_rule")
