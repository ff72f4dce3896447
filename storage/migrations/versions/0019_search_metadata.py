"""search metadata: documents keep their customer's department; PostgreSQL indexes metadata pieces

A word is matched in a document's title, counterparty and contract number, and its customer's
name and code, as a substring (`ILIKE`). Scanning every visible document's fields for each word
cost 90 ms at 200,000 documents as a salesperson (10,000 visible), growing with the archive.
PostgreSQL now keeps GIN indexes of those fields' one- and two-character pieces (lower case)
beside the department, so the candidates come from the index and `ILIKE` only confirms them: a
substring's pieces are all among its field's. A document's department, its customer's, is kept
on the document for that index, true by triggers like document_text's (0018).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POSTGRESQL = (
    "UPDATE document d SET department_id = c.department_id FROM customer c"
    " WHERE c.id = d.customer_id",
    """CREATE FUNCTION document_department() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.department_id := (SELECT department_id FROM customer WHERE id = NEW.customer_id);
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER document_department BEFORE INSERT OR UPDATE OF customer_id, department_id"
    " ON document FOR EACH ROW EXECUTE FUNCTION document_department()",
    """CREATE FUNCTION document_follow_customer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE document SET department_id = NEW.department_id WHERE customer_id = NEW.id;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER document_follow_customer AFTER UPDATE OF department_id ON customer"
    " FOR EACH ROW WHEN (OLD.department_id IS DISTINCT FROM NEW.department_id)"
    " EXECUTE FUNCTION document_follow_customer()",
    # Every one- and two-character piece of the fields, lower case as ILIKE compares them.
    """CREATE FUNCTION metadata_grams(VARIADIC fields text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(field, i, n)), '{}')
        FROM unnest(fields) AS given(raw), lower(raw) AS field,
            generate_series(1, length(field)) AS i, (VALUES (1), (2)) AS size(n)
        WHERE i + n - 1 <= length(field)
    $$""",
    # The pieces a field holding the word must hold: its two-character ones, or the character.
    """CREATE FUNCTION word_grams(word text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE WHEN length(w) < 2 THEN ARRAY[w] ELSE ARRAY(
            SELECT DISTINCT substr(w, i, 2) FROM generate_series(1, length(w) - 1) AS i) END
        FROM lower(word) AS w
    $$""",
    "SET LOCAL maintenance_work_mem = '512MB'",  # as 0018's index: smaller and faster built
    "CREATE INDEX ix_document_metadata_grams ON document"
    " USING gin (department_id, metadata_grams(title, counterparty, contract_no))",
    "CREATE INDEX ix_customer_metadata_grams ON customer"
    " USING gin (department_id, metadata_grams(name, uscc))",
    "ANALYZE document",
    "ANALYZE customer",
)

# As 0018's: SQLite fills the copy just after the write; the WHEN clauses stop at the truth.
_SQLITE = (
    "UPDATE document SET department_id ="
    " (SELECT department_id FROM customer WHERE id = document.customer_id)",
    "CREATE TRIGGER document_department_ai AFTER INSERT ON document BEGIN"
    " UPDATE document SET department_id ="
    " (SELECT department_id FROM customer WHERE id = new.customer_id) WHERE id = new.id; END",
    "CREATE TRIGGER document_department_au AFTER UPDATE OF customer_id, department_id"
    " ON document WHEN new.department_id IS NOT"
    " (SELECT department_id FROM customer WHERE id = new.customer_id) BEGIN"
    " UPDATE document SET department_id ="
    " (SELECT department_id FROM customer WHERE id = new.customer_id) WHERE id = new.id; END",
    "CREATE TRIGGER document_follow_customer AFTER UPDATE OF department_id ON customer"
    " WHEN old.department_id IS NOT new.department_id BEGIN"
    " UPDATE document SET department_id = new.department_id WHERE customer_id = new.id; END",
)


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("document", sa.Column("department_id", sa.Uuid(), nullable=True))
    statements = _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "sqlite":
        for name in ("department_ai", "department_au", "follow_customer"):
            op.execute(f"DROP TRIGGER document_{name}")
    else:
        op.execute("DROP INDEX ix_customer_metadata_grams")
        op.execute("DROP INDEX ix_document_metadata_grams")
        op.execute("DROP FUNCTION word_grams(text)")
        op.execute("DROP FUNCTION metadata_grams(text[])")
        op.execute("DROP TRIGGER document_follow_customer ON customer")
        op.execute("DROP TRIGGER document_department ON document")
        op.execute("DROP FUNCTION document_follow_customer()")
        op.execute("DROP FUNCTION document_department()")
    op.drop_column("document", "department_id")
