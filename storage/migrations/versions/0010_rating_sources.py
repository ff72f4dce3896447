"""rating sources: the documents a rating was computed from

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    # Left empty (NULL) for ratings stored before: they are judged as computed from every
    # statement and license of the customer's file, so they stay hidden from anyone who may
    # not see one of those.
    op.add_column("rating", sa.Column("document_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column("rating", "document_ids")
