"""search text: the words of each document for full-text search

PostgreSQL: a GIN index over a `simple`-configuration tsvector of the terms. SQLite: an FTS5
table over the terms, kept in step by triggers.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE = (
    "CREATE VIRTUAL TABLE document_text_fts USING fts5("
    "terms, content='document_text', content_rowid='id')",
    "CREATE TRIGGER document_text_ai AFTER INSERT ON document_text BEGIN"
    " INSERT INTO document_text_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER document_text_ad AFTER DELETE ON document_text BEGIN"
    " INSERT INTO document_text_fts(document_text_fts, rowid, terms)"
    " VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER document_text_au AFTER UPDATE ON document_text BEGIN"
    " INSERT INTO document_text_fts(document_text_fts, rowid, terms)"
    " VALUES ('delete', old.id, old.terms);"
    " INSERT INTO document_text_fts(rowid, terms) VALUES (new.id, new.terms); END",
)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "document_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE:
            op.execute(statement)
    else:
        op.execute(
            "CREATE INDEX ix_document_text_terms ON document_text"
            " USING gin (to_tsvector('simple', terms))"
        )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "sqlite":
        for name in ("document_text_ai", "document_text_ad", "document_text_au"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE document_text_fts")
    op.drop_table("document_text")
