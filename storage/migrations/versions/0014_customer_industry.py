"""customer industry: it chooses the credit reference table a rating uses by default

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("industry", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_column("industry")
