"""statement periods: each column's length in months and end date

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 22:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("current_months", "current_end", "prior_months", "prior_end")


def upgrade() -> None:
    """Apply this revision."""
    # Left empty (NULL) for statements read before: their periods are unknown, so their flows
    # keep counting as a year's, flagged as such in the credit profile.
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("current_end", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("prior_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prior_end", sa.String(length=10), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("statement", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
