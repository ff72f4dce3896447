"""letters: correspondence keeps its channel, direction, sender and recipient; a collection
letter its escalation level (004 附件四's five reminders)

All nullable: documents stored before have none, and only two types keep them. The date of a
letter is the document's `issued_on`, already there. Plain ALTER TABLE on SQLite too, as 0025:
batch mode would rebuild `document` under its triggers.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("channel", sa.String(length=16)),
    ("direction", sa.String(length=8)),
    ("sender", sa.String(length=200)),
    ("recipient", sa.String(length=200)),
    ("escalation_level", sa.SmallInteger()),
)


def upgrade() -> None:
    """Apply this revision."""
    for name, kind in _COLUMNS:
        op.add_column("document", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    for name, _ in reversed(_COLUMNS):
        op.drop_column("document", name)
