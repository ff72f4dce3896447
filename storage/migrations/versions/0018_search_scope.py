"""search scope: each text row keeps its document's secrecy and its customer's department

At a million documents PostgreSQL found a common word's matches company-wide (200,000 rows
fetched from `document_text`) and only then applied a salesperson's filter (10,000 left). With
the department and secrecy beside the terms, one GIN index (`btree_gin` for the plain columns)
finds only the caller's department's matches. Triggers keep the copies true on every write,
whoever writes (the app, a bulk load, an administrator's SQL): a text row takes them from its
document and customer whenever it is written, and a change of a document's secrecy or customer,
or of a customer's department, is copied to its text rows. Rows are made narrow
(`toast_tuple_target`) so the matches' rows read after the index are few pages.

A later SQLite batch migration of document, customer or document_text rebuilds the table and
drops its triggers (these, 0015's and 0019's): it must create them again
(tests/ingest/test_search_scope.py fails on SQLite if it does not).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POSTGRESQL = (
    "ALTER TABLE document_text SET (toast_tuple_target = 128)",
    "DROP INDEX ix_document_text_terms",
    "UPDATE document_text t SET department_id = c.department_id, secrecy = d.secrecy"
    " FROM document d JOIN customer c ON c.id = d.customer_id WHERE d.id = t.document_id",
    # Trusted since PostgreSQL 13: the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    # For this transaction only: at the default (64 MB) the index came out twice the size
    # (530 MB against 270 MB at 200,000 documents) and slower to build.
    "SET LOCAL maintenance_work_mem = '512MB'",
    "CREATE INDEX ix_document_text_terms ON document_text"
    " USING gin (department_id, secrecy, terms_vector)",
    # Plans for the new columns from the first search on, not from autovacuum's next round.
    "ANALYZE document_text",
    """CREATE FUNCTION document_text_scope() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT c.department_id, d.secrecy INTO NEW.department_id, NEW.secrecy
        FROM document d JOIN customer c ON c.id = d.customer_id WHERE d.id = NEW.document_id;
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER document_text_scope BEFORE INSERT OR UPDATE ON document_text"
    " FOR EACH ROW EXECUTE FUNCTION document_text_scope()",
    """CREATE FUNCTION document_text_follow_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE document_text SET secrecy = NEW.secrecy,
            department_id = (SELECT department_id FROM customer WHERE id = NEW.customer_id)
        WHERE document_id = NEW.id;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER document_text_follow_document AFTER UPDATE OF secrecy, customer_id"
    " ON document FOR EACH ROW WHEN (OLD.secrecy IS DISTINCT FROM NEW.secrecy"
    " OR OLD.customer_id IS DISTINCT FROM NEW.customer_id)"
    " EXECUTE FUNCTION document_text_follow_document()",
    """CREATE FUNCTION document_text_follow_customer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE document_text SET department_id = NEW.department_id
        WHERE document_id IN (SELECT id FROM document WHERE customer_id = NEW.id);
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER document_text_follow_customer AFTER UPDATE OF department_id ON customer"
    " FOR EACH ROW WHEN (OLD.department_id IS DISTINCT FROM NEW.department_id)"
    " EXECUTE FUNCTION document_text_follow_customer()",
)

# SQLite's triggers cannot change the row being written, so a written text row is updated
# after; the WHEN clause stops at the truth, should recursive triggers ever be turned on.
_SQLITE = (
    "UPDATE document_text SET"
    " department_id = (SELECT c.department_id FROM document d"
    " JOIN customer c ON c.id = d.customer_id WHERE d.id = document_text.document_id),"
    " secrecy = (SELECT secrecy FROM document WHERE id = document_text.document_id)",
    "CREATE TRIGGER document_text_scope_ai AFTER INSERT ON document_text BEGIN"
    " UPDATE document_text SET"
    " department_id = (SELECT c.department_id FROM document d"
    " JOIN customer c ON c.id = d.customer_id WHERE d.id = new.document_id),"
    " secrecy = (SELECT secrecy FROM document WHERE id = new.document_id)"
    " WHERE id = new.id; END",
    "CREATE TRIGGER document_text_scope_au AFTER UPDATE OF document_id, department_id, secrecy"
    " ON document_text WHEN new.department_id IS NOT (SELECT c.department_id FROM document d"
    " JOIN customer c ON c.id = d.customer_id WHERE d.id = new.document_id)"
    " OR new.secrecy IS NOT (SELECT secrecy FROM document WHERE id = new.document_id) BEGIN"
    " UPDATE document_text SET"
    " department_id = (SELECT c.department_id FROM document d"
    " JOIN customer c ON c.id = d.customer_id WHERE d.id = new.document_id),"
    " secrecy = (SELECT secrecy FROM document WHERE id = new.document_id)"
    " WHERE id = new.id; END",
    "CREATE TRIGGER document_text_follow_document AFTER UPDATE OF secrecy, customer_id"
    " ON document WHEN old.secrecy IS NOT new.secrecy OR old.customer_id IS NOT new.customer_id"
    " BEGIN UPDATE document_text SET secrecy = new.secrecy, department_id ="
    " (SELECT department_id FROM customer WHERE id = new.customer_id)"
    " WHERE document_id = new.id; END",
    "CREATE TRIGGER document_text_follow_customer AFTER UPDATE OF department_id ON customer"
    " WHEN old.department_id IS NOT new.department_id"
    " BEGIN UPDATE document_text SET department_id = new.department_id"
    " WHERE document_id IN (SELECT id FROM document WHERE customer_id = new.id); END",
    # The full-text table follows the terms only: copying the scope need not re-index them.
    "DROP TRIGGER document_text_au",
    "CREATE TRIGGER document_text_au AFTER UPDATE OF terms ON document_text BEGIN"
    " INSERT INTO document_text_fts(document_text_fts, rowid, terms)"
    " VALUES ('delete', old.id, old.terms);"
    " INSERT INTO document_text_fts(rowid, terms) VALUES (new.id, new.terms); END",
)


def upgrade() -> None:
    """Apply this revision."""
    # Plain ALTER TABLE on SQLite too: batch mode would rebuild the table under its FTS triggers.
    op.add_column("document_text", sa.Column("department_id", sa.Uuid(), nullable=True))
    op.add_column("document_text", sa.Column("secrecy", sa.String(length=16), nullable=True))
    statements = _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "document_text_scope_ai",
            "document_text_scope_au",
            "document_text_follow_document",
            "document_text_follow_customer",
            "document_text_au",
        ):
            op.execute(f"DROP TRIGGER {name}")
        op.execute(
            "CREATE TRIGGER document_text_au AFTER UPDATE ON document_text BEGIN"
            " INSERT INTO document_text_fts(document_text_fts, rowid, terms)"
            " VALUES ('delete', old.id, old.terms);"
            " INSERT INTO document_text_fts(rowid, terms) VALUES (new.id, new.terms); END"
        )
    else:
        op.execute("DROP TRIGGER document_text_follow_customer ON customer")
        op.execute("DROP TRIGGER document_text_follow_document ON document")
        op.execute("DROP TRIGGER document_text_scope ON document_text")
        for name in ("follow_customer", "follow_document", "scope"):
            op.execute(f"DROP FUNCTION document_text_{name}()")
        op.execute("DROP INDEX ix_document_text_terms")
        op.execute("CREATE INDEX ix_document_text_terms ON document_text USING gin (terms_vector)")
        op.execute("ALTER TABLE document_text RESET (toast_tuple_target)")
    op.drop_column("document_text", "secrecy")
    op.drop_column("document_text", "department_id")
