"""search facets: each text row keeps its document's type and dates; its tsvector kept by trigger

A search counted and ordered its matches by the type and dates of their documents, so each of a
common word's matches (18,812 for one department at a million documents) was read from
`document_text`, then `document` and `customer`, once for the counts and once for the page.
With the type, the date of issue and the upload time beside the terms, the matches of the words
in the text are counted and ordered from the rows the index already led to. Triggers keep the
copies true as 0018's keep the department and secrecy: a text row takes them from its document
whenever it is written, and a change of a document's type or date of issue is copied to it.

PostgreSQL's tsvector becomes a plain column its trigger writes when the terms change: as a
generated column every UPDATE parsed the terms again, even one that changed only a copy (the
UPDATE below took 5 s at 100,000 documents without it). Its GIN index is built again after the
rows are rewritten, as a bulk load does: kept up row by row it costs far more. Built after the
rewrite, it also holds the rows' old versions (254 MB against 132 MB at 100,000 documents, and
so it was after a commit between as well): `VACUUM document_text` and then `REINDEX INDEX
CONCURRENTLY ix_document_text_terms` after migrating a large archive (docs/operations.md).

A later SQLite batch migration of document or document_text must create the triggers again
(see 0018).

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POSTGRESQL = (
    "ALTER TABLE document_text ALTER COLUMN terms_vector DROP EXPRESSION",
    "DROP INDEX ix_document_text_terms",
    "UPDATE document_text t SET doc_type = d.doc_type, issued_on = d.issued_on,"
    " uploaded_at = d.created_at FROM document d WHERE d.id = t.document_id",
    "SET LOCAL maintenance_work_mem = '512MB'",  # as 0018's: smaller and faster built
    "CREATE INDEX ix_document_text_terms ON document_text"
    " USING gin (department_id, secrecy, terms_vector)",
    "ANALYZE document_text",
    """CREATE OR REPLACE FUNCTION document_text_scope() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT c.department_id, d.secrecy, d.doc_type, d.issued_on, d.created_at
        INTO NEW.department_id, NEW.secrecy, NEW.doc_type, NEW.issued_on, NEW.uploaded_at
        FROM document d JOIN customer c ON c.id = d.customer_id WHERE d.id = NEW.document_id;
        IF TG_OP = 'INSERT' OR NEW.terms IS DISTINCT FROM OLD.terms THEN
            NEW.terms_vector := to_tsvector('simple', NEW.terms);
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION document_text_follow_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE document_text SET secrecy = NEW.secrecy, doc_type = NEW.doc_type,
            issued_on = NEW.issued_on,
            department_id = (SELECT department_id FROM customer WHERE id = NEW.customer_id)
        WHERE document_id = NEW.id;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER document_text_follow_document ON document",
    "CREATE TRIGGER document_text_follow_document"
    " AFTER UPDATE OF secrecy, customer_id, doc_type, issued_on ON document FOR EACH ROW"
    " WHEN (OLD.secrecy IS DISTINCT FROM NEW.secrecy"
    " OR OLD.customer_id IS DISTINCT FROM NEW.customer_id"
    " OR OLD.doc_type IS DISTINCT FROM NEW.doc_type"
    " OR OLD.issued_on IS DISTINCT FROM NEW.issued_on)"
    " EXECUTE FUNCTION document_text_follow_document()",
)

# As 0018's: SQLite fills a written row just after; the WHEN clause stops at the truth.
_SQLITE = (
    "UPDATE document_text SET"
    " doc_type = (SELECT doc_type FROM document WHERE id = document_text.document_id),"
    " issued_on = (SELECT issued_on FROM document WHERE id = document_text.document_id),"
    " uploaded_at = (SELECT created_at FROM document WHERE id = document_text.document_id)",
    "CREATE TRIGGER document_text_facets_ai AFTER INSERT ON document_text BEGIN"
    " UPDATE document_text SET"
    " doc_type = (SELECT doc_type FROM document WHERE id = new.document_id),"
    " issued_on = (SELECT issued_on FROM document WHERE id = new.document_id),"
    " uploaded_at = (SELECT created_at FROM document WHERE id = new.document_id)"
    " WHERE id = new.id; END",
    "CREATE TRIGGER document_text_facets_au AFTER UPDATE OF document_id, doc_type, issued_on,"
    " uploaded_at ON document_text WHEN"
    " new.doc_type IS NOT (SELECT doc_type FROM document WHERE id = new.document_id)"
    " OR new.issued_on IS NOT (SELECT issued_on FROM document WHERE id = new.document_id)"
    " OR new.uploaded_at IS NOT (SELECT created_at FROM document WHERE id = new.document_id)"
    " BEGIN UPDATE document_text SET"
    " doc_type = (SELECT doc_type FROM document WHERE id = new.document_id),"
    " issued_on = (SELECT issued_on FROM document WHERE id = new.document_id),"
    " uploaded_at = (SELECT created_at FROM document WHERE id = new.document_id)"
    " WHERE id = new.id; END",
    "CREATE TRIGGER document_text_facets_follow AFTER UPDATE OF doc_type, issued_on ON document"
    " WHEN old.doc_type IS NOT new.doc_type OR old.issued_on IS NOT new.issued_on BEGIN"
    " UPDATE document_text SET doc_type = new.doc_type, issued_on = new.issued_on"
    " WHERE document_id = new.id; END",
)


def upgrade() -> None:
    """Apply this revision."""
    # Plain ALTER TABLE on SQLite too: batch mode would rebuild the table under its triggers.
    op.add_column("document_text", sa.Column("doc_type", sa.String(length=32), nullable=True))
    op.add_column("document_text", sa.Column("issued_on", sa.Date(), nullable=True))
    op.add_column(
        "document_text", sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=True)
    )
    statements = _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "sqlite":
        for name in ("facets_ai", "facets_au", "facets_follow"):
            op.execute(f"DROP TRIGGER document_text_{name}")
    else:
        op.execute(
            """CREATE OR REPLACE FUNCTION document_text_scope() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                SELECT c.department_id, d.secrecy INTO NEW.department_id, NEW.secrecy
                FROM document d JOIN customer c ON c.id = d.customer_id
                WHERE d.id = NEW.document_id;
                RETURN NEW;
            END $$"""
        )
        op.execute(
            """CREATE OR REPLACE FUNCTION document_text_follow_document() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE document_text SET secrecy = NEW.secrecy,
                    department_id = (SELECT department_id FROM customer WHERE id = NEW.customer_id)
                WHERE document_id = NEW.id;
                RETURN NULL;
            END $$"""
        )
        op.execute("DROP TRIGGER document_text_follow_document ON document")
        op.execute(
            "CREATE TRIGGER document_text_follow_document AFTER UPDATE OF secrecy, customer_id"
            " ON document FOR EACH ROW WHEN (OLD.secrecy IS DISTINCT FROM NEW.secrecy"
            " OR OLD.customer_id IS DISTINCT FROM NEW.customer_id)"
            " EXECUTE FUNCTION document_text_follow_document()"
        )
        # Generated again: the column is dropped and added, which parses every row's terms.
        op.execute("DROP INDEX ix_document_text_terms")
        op.execute("ALTER TABLE document_text DROP COLUMN terms_vector")
        op.execute(
            "ALTER TABLE document_text ADD COLUMN terms_vector tsvector"
            " GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED"
        )
        op.execute(
            "CREATE INDEX ix_document_text_terms ON document_text"
            " USING gin (department_id, secrecy, terms_vector)"
        )
    op.drop_column("document_text", "uploaded_at")
    op.drop_column("document_text", "issued_on")
    op.drop_column("document_text", "doc_type")
