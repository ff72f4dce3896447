"""Seeding the search benchmark's database: customers, documents and their indexed text.

`seed` makes the database, lets `dangan serve` migrate it and set up twenty departments with a
salesperson each, then writes customers, documents and their indexed text in batches with
COPY, ten documents per customer; a second run goes on from where the first stopped (run by
`bench.search seed`).
"""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

from bench.harness import ADMIN_PASSWORD, USER_PASSWORD, dangan, signed_in
from bench.search_corpus import company, documents_of
from ingest.terms import folded, index_terms
from tests.factories import random_uscc

DEPARTMENTS = 20
PER_CUSTOMER = 10
BATCH = 500  # customers per transaction


def conninfo(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _ensure_database(url: str) -> None:
    name = sa.make_url(url).database
    server = conninfo(sa.make_url(url).set(database="postgres").render_as_string(False))
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        connection.execute(f'CREATE DATABASE "{name}"')


def serving(url: str, data: Path) -> tuple[dict[str, str], Path]:
    """The settings of a `dangan serve` over the database, and its log's path."""
    env = {"DANGAN_DATA_DIR": str(data), "DANGAN_DATABASE_URL": url}
    return env, data / "serve.log"


def _people(base: str) -> None:
    """Twenty departments with a salesperson each (`sales-01` …), unless already there."""
    admin = signed_in(base, "admin", ADMIN_PASSWORD)
    known = {d["code"] for d in admin.get("/api/v1/admin/departments").json()}
    for n in range(1, DEPARTMENTS + 1):
        code = f"bench-{n:02d}"
        if code in known:
            continue
        department = admin.post(
            "/api/v1/admin/departments", json={"code": code, "name": f"销售{n}部"}
        ).json()["id"]
        user = admin.post(
            "/api/v1/admin/users",
            json={
                "username": f"sales-{n:02d}",
                "display_name": f"业务员{n}",
                "password": USER_PASSWORD,
                "department_id": department,
                "clearance": "internal",
            },
        )
        user.raise_for_status()
        admin.post(
            "/api/v1/admin/roles",
            json={"user_id": user.json()["id"], "role": "sales", "department_id": department},
        ).raise_for_status()


def _count(connection: psycopg.Connection[Any], table: str) -> int:
    found = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(found[0]) if found else 0


def _copy(
    connection: psycopg.Connection[Any], table: str, columns: str, rows: list[tuple[Any, ...]]
) -> None:
    with connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(url: str, documents: int) -> None:
    """Make the database and fill it up to `documents` documents, going on from where it is."""
    _ensure_database(url)
    with tempfile.TemporaryDirectory() as data:
        env, log = serving(url, Path(data))
        with dangan(env, log) as (base, _):
            _people(base)
    customers_wanted = documents // PER_CUSTOMER
    with psycopg.connect(conninfo(url)) as connection:
        sellers = connection.execute(
            "SELECT u.department_id, u.id FROM user_account u WHERE u.username LIKE 'sales-%%'"
            " ORDER BY u.username"
        ).fetchall()
        done = _count(connection, "customer")
        started = time.monotonic()
        if done == 0:
            # Built once at the end, as a bulk load would: kept up row by row it costs hours.
            connection.execute("DROP INDEX IF EXISTS ix_document_text_terms")
            connection.commit()
        # The next batch is made while the database writes the last: on two cores, Python's
        # share and PostgreSQL's (the triggers, the tsvector, compression) overlap.
        with ThreadPoolExecutor(max_workers=1) as writer:
            writing: Future[None] | None = None
            for first in range(done, customers_wanted, BATCH):
                batch = _batch(first, min(first + BATCH, customers_wanted), sellers)
                if writing is not None:
                    writing.result()
                    _progress(first, done, started)
                writing = writer.submit(_write, connection, batch)
            if writing is not None:
                writing.result()
                _progress(customers_wanted, done, started)
        _build_index(connection)
        connection.execute("ANALYZE")
        _report_size(connection)


Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _batch(first: int, last: int, sellers: list[Any]) -> Batch:
    """Customers `first` to `last` (excluded), their documents and their texts, as rows."""
    customers, docs, texts = [], [], []
    for index in range(first, last):
        rng = random.Random(index)
        department, seller = sellers[index % len(sellers)]
        name, now = f"{company(rng)}{index}", datetime.now(UTC)
        customer = uuid.uuid4()
        customers.append(
            (customer, now, name, random_uscc(), department, seller, "internal", seller, "active")
        )
        for made in documents_of(rng, name, "本公司", PER_CUSTOMER, f"XS{index}"):
            doc = uuid.uuid4()
            docs.append(
                (doc, now, customer, made.doc_type, made.title, "internal", made.issued_on,
                 made.contract_no, made.counterparty, made.amount, 1, now, seller)
            )  # fmt: skip
            kept, terms = _cut(made.pieces)
            texts.append((doc, 1, kept, terms, now))
    return customers, docs, texts


def _write(connection: psycopg.Connection[Any], batch: Batch) -> None:
    customers, docs, texts = batch
    with connection.transaction():
        _copy(connection, "customer",
              "id, created_at, name, uscc, department_id, custodian_id, secrecy,"
              " created_by_id, status", customers)  # fmt: skip
        _copy(connection, "document",
              "id, created_at, customer_id, doc_type, title, secrecy, issued_on,"
              " contract_no, counterparty, amount, latest_version, filed_at,"
              " created_by_id", docs)  # fmt: skip
        _copy(connection, "document_text",
              "document_id, version, text, terms, indexed_at", texts)  # fmt: skip


def _progress(customers: int, done: int, started: float) -> None:
    made = customers * PER_CUSTOMER
    rate = (made - done * PER_CUSTOMER) / (time.monotonic() - started)
    print(f"{made:,} documents ({rate:,.0f}/s written)", flush=True)


@lru_cache(maxsize=100_000)
def _piece(piece: str) -> tuple[str, tuple[str, ...]]:
    kept = folded(piece)
    return kept, tuple(index_terms(kept).split())


def _cut(pieces: tuple[str, ...]) -> tuple[str, str]:
    """A document's kept text and terms, as `ingest.textindex.keep_text` makes them, cut piece by
    piece: report sentences recur, and each is folded and cut once (every piece ends a run of
    Han characters, so no bigram spans two pieces)."""
    cut = [_piece(p) for p in pieces]
    return "".join(k for k, _ in cut), " ".join(
        dict.fromkeys(chain.from_iterable(t for _, t in cut))
    )


def _build_index(connection: psycopg.Connection[Any]) -> None:
    if connection.execute("SELECT to_regclass('ix_document_text_terms')").fetchone() != (None,):
        return
    tick = time.monotonic()
    connection.execute("SET maintenance_work_mem = '1GB'")
    # As migration 0018 makes it.
    connection.execute(
        "CREATE INDEX ix_document_text_terms ON document_text"
        " USING gin (department_id, secrecy, terms_vector)"
    )
    connection.commit()
    print(f"GIN index built in {time.monotonic() - tick:,.0f} s")


def _report_size(connection: psycopg.Connection[Any]) -> None:
    count = _count(connection, "document_text")
    sizes = connection.execute(
        "SELECT pg_total_relation_size('document_text'), pg_relation_size(indexrelid)"
        " FROM pg_index WHERE indexrelid = 'ix_document_text_terms'::regclass"
    ).fetchone()
    assert sizes is not None
    print(f"documents indexed: {count:,}")
    print(f"table with text and terms: {(sizes[0] - sizes[1]) / count / 1024:.1f} KiB per document")
    print(f"GIN index: {sizes[1] / count / 1024:.2f} KiB per document")
