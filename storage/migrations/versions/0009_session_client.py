"""where each token was issued to

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 11:35:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("auth_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("user_agent", sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("auth_token", schema=None) as batch_op:
        batch_op.drop_column("user_agent")
        batch_op.drop_column("address")
