"""the newest documents of a department: an index, so a list's page reads only its rows

A document list without a customer (GET /documents) ordered a salesperson's 50,000 visible
documents of a million by date on every request (0.4 s, BENCHMARKS.md "Metadata reads at a
million documents"); with the department's documents in date order in one index, a page reads
its own rows. Visibility decided on the document's copy of its customer's department (0019).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 01:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index(
        "ix_document_department_created",
        "document",
        ["department_id", "created_at", "id"],
        postgresql_include=["secrecy"],
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_document_department_created", table_name="document")
