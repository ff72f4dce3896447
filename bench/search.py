"""Search at a million documents on PostgreSQL: seeding, indexing throughput and query latency.

    .venv/bin/python -m bench.search seed --documents 1000000   # resumable; prints progress
    .venv/bin/python -m bench.search indexing                   # documents/s the indexer keeps
    .venv/bin/python -m bench.search run                        # p50/p95 per query kind
    .venv/bin/python -m bench.search run --in-process           # the search alone, no HTTP

`seed` makes the database (`--database-url`, default a `dangan_bench_search` database on the
local PostgreSQL), lets `dangan serve` migrate it and set up twenty departments with a
salesperson each, then writes customers, documents and their indexed text in batches with
COPY, ten documents per customer; a second run goes on from where the first stopped. Texts are
real annual-report sentences and generated contracts and letters (bench/search_corpus.py), a
few hundred to a few thousand characters each. `run` signs in as one salesperson (who sees one
department's files, one twentieth) and times `GET /api/v1/search` over HTTP, as the UI asks it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from access.authz import Access, Authorizer
from bench.harness import ADMIN_PASSWORD, USER_PASSWORD, dangan, signed_in
from bench.search_corpus import company, documents_of
from ingest.matching import seen_by
from ingest.search import SearchQuery, search
from ingest.terms import folded, index_terms
from ingest.textindex import keep_text
from storage.db import make_engine, session_factory, unit_of_work
from storage.models import Document, Extraction, User
from tests.factories import random_uscc

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/dangan_bench_search"
DEPARTMENTS = 20
PER_CUSTOMER = 10
BATCH = 500  # customers per transaction
# One- and two-word queries as people type them: common and rare words, names, numbers.
QUERIES = {
    "one word": ["保证金", "逾期", "违约金", "资信证明", "应收账款", "募集资金", "催款", "担保",
                 "现金流量", "关联交易", "电子元器件", "白酒", "审计", "存货", "利润分配"],
    "two words": ["保证金 违约金", "逾期 催款", "应收账款 坏账", "关联交易 担保",
                  "白酒 购销合同", "资信证明 招商银行", "募集资金 使用", "存货 跌价",
                  "现金流量 经营活动", "电缆 违约金"],
}  # fmt: skip


def _conninfo(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _ensure_database(url: str) -> None:
    name = sa.make_url(url).database
    server = _conninfo(sa.make_url(url).set(database="postgres").render_as_string(False))
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        connection.execute(f'CREATE DATABASE "{name}"')


def _serving(url: str, data: Path) -> tuple[dict[str, str], Path]:
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
        env, log = _serving(url, Path(data))
        with dangan(env, log) as (base, _):
            _people(base)
    customers_wanted = documents // PER_CUSTOMER
    with psycopg.connect(_conninfo(url)) as connection:
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


def indexing(url: str, count: int) -> None:
    """Documents per second the indexer keeps (`keep_text`: fold, cut, store), replacing the text
    of `count` seeded documents with a new version's while the index is live."""
    engine = make_engine(url)
    rng = random.Random(-1)
    try:
        with unit_of_work(session_factory(engine)) as session:
            documents = session.scalars(select(Document).limit(count)).all()
            made = [documents_of(rng, "某客户", "本公司", 1, "IX")[0].text for _ in documents]
            chars = sum(len(text) for text in made)
            tick = time.perf_counter()
            for document, text in zip(documents, made, strict=True):
                document.latest_version += 1
                job = Extraction(document_id=document.id, version=document.latest_version)
                keep_text(session, job, text, datetime.now(UTC), "confidential")
            session.flush()
            seconds = time.perf_counter() - tick
        print(
            f"indexing: {len(made) / seconds:,.0f} documents/s,"
            f" {chars / seconds / 1e6:.2f} M characters/s"
            f" ({len(made):,} documents of {chars / len(made):,.0f} characters on average)"
        )
    finally:
        engine.dispose()


def run(url: str, rounds: int, in_process: bool) -> None:
    """Time every query as one salesperson, over HTTP as the UI asks (or in this process, the
    search alone); print p50 and p95 per kind, over all rounds."""
    if in_process:
        engine = make_engine(url)
        with Session(engine) as session:
            user = session.scalars(select(User).where(User.username == "sales-01")).one()
            rights = Access(Authorizer(engine).rules(session), user)

            def ask(q: str) -> int:
                # As `search.search_archive` asks, but for the audit event.
                seen = seen_by(session, rights)
                readable = rights.content_readable(session, datetime.now(UTC))
                return search(session, SearchQuery(q=q), seen, readable, "confidential").total

            # CPU time, the search's own and its PostgreSQL backend's: on a machine shared with
            # other work, wall time measures the others too.
            backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            _timed(ask, rounds, lambda: time.process_time() + _cpu_of(backend))
        engine.dispose()
        return
    with tempfile.TemporaryDirectory() as data:
        env, log = _serving(url, Path(data))
        with dangan(env, log) as (base, _):
            client = signed_in(base, "sales-01", USER_PASSWORD)

            def asked(q: str) -> int:
                answer = client.get("/api/v1/search", params={"q": q})
                answer.raise_for_status()
                return int(answer.json()["total"])

            _timed(asked, rounds)


def _timed(ask: Callable[[str], int], rounds: int, cpu: Callable[[], float] | None = None) -> None:
    for kind, queries in QUERIES.items():
        times, totals = [], []
        used = -cpu() if cpu else 0.0
        for _ in range(rounds):
            for q in queries:
                tick = time.perf_counter()
                totals.append(ask(q))
                times.append((time.perf_counter() - tick) * 1000)
        per_search = f"  CPU {(used + cpu()) * 1000 / len(times):6.1f} ms/search" if cpu else ""
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{kind:10s} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms{per_search}"
            f"  (matches per query: {min(totals):,}–{max(totals):,})"
        )


def _cpu_of(pid: int) -> float:
    """Seconds of CPU a process on this machine has used (user and system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    """Seed or run, as asked."""
    parser = argparse.ArgumentParser(prog="bench.search", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["seed", "indexing", "run"])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=2000, help="documents `indexing` replaces")
    parser.add_argument("--in-process", action="store_true", help="`run` without HTTP")
    args = parser.parse_args(argv)
    if args.command == "seed":
        seed(args.database_url, args.documents)
    elif args.command == "indexing":
        indexing(args.database_url, args.count)
    else:
        run(args.database_url, args.rounds, args.in_process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
