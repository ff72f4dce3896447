"""rating records: each rating's own date, and its credit limit beside its allowed credit

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 01:00:00.000000
"""

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RATING = sa.table(
    "rating",
    sa.column("id"),  # untyped: compared as stored, whatever the dialect keeps
    sa.column("created_at", sa.DateTime()),
    sa.column("rated_on", sa.Date()),
    sa.column("credit_limit", sa.Numeric(18, 2)),
    sa.column("allowed_credit", sa.Numeric(18, 2)),
    sa.column("result", sa.JSON()),
)


def _stored(result: Any) -> dict[str, Any]:
    # JSON columns come back parsed on PostgreSQL and SQLite alike, but be lenient with text.
    return json.loads(result) if isinstance(result, str) else dict(result or {})


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rated_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("allowed_credit", sa.Numeric(18, 2), nullable=True))
    connection = op.get_bind()
    columns = (RATING.c.id, RATING.c.created_at, RATING.c.credit_limit, RATING.c.result)
    rows = connection.execute(sa.select(*columns)).all()
    for row in rows:
        result = _stored(row.result)
        # The date the rating was computed for (its `today`), else the day it was stored.
        today = (result.get("request") or {}).get("today")
        rated_on = sa.func.date(RATING.c.created_at) if today is None else date.fromisoformat(today)
        # `credit_limit` held the allowed credit (赊销额度); the limit (信用限额) is in the result.
        limit = (result.get("credit_limit") or {}).get("limit")
        connection.execute(
            RATING.update()
            .where(RATING.c.id == row.id)
            .values(
                rated_on=rated_on,
                allowed_credit=row.credit_limit,
                credit_limit=None if limit is None else Decimal(str(limit)),
            )
        )
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.alter_column("rated_on", existing_type=sa.Date(), nullable=False)


def downgrade() -> None:
    """Revert this revision."""
    # `credit_limit` holds the allowed credit again, as before.
    op.execute(RATING.update().values(credit_limit=RATING.c.allowed_credit))
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_column("allowed_credit")
        batch_op.drop_column("rated_on")
