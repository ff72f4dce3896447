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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from access.authz import Access, Authorizer
from bench.harness import USER_PASSWORD, dangan, signed_in
from bench.search_corpus import documents_of
from bench.search_seed import seed, serving
from ingest.matching import seen_by
from ingest.search import SearchQuery, search
from ingest.textindex import keep_text
from storage.db import make_engine, session_factory, unit_of_work
from storage.models import Document, Extraction, User

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/dangan_bench_search"
# One- and two-word queries as people type them: common and rare words, names, numbers.
QUERIES = {
    "one word": ["保证金", "逾期", "违约金", "资信证明", "应收账款", "募集资金", "催款", "担保",
                 "现金流量", "关联交易", "电子元器件", "白酒", "审计", "存货", "利润分配"],
    "two words": ["保证金 违约金", "逾期 催款", "应收账款 坏账", "关联交易 担保",
                  "白酒 购销合同", "资信证明 招商银行", "募集资金 使用", "存货 跌价",
                  "现金流量 经营活动", "电缆 违约金"],
}  # fmt: skip


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
        env, log = serving(url, Path(data))
        with dangan(env, log) as (base, _):
            client = signed_in(base, "sales-01", USER_PASSWORD)

            def asked(q: str) -> int:
                answer = client.get("/api/v1/search", params={"q": q})
                answer.raise_for_status()
                return int(answer.json()["total"])

            _timed(asked, rounds)


def _timed(ask: Callable[[str], int], rounds: int, cpu: Callable[[], float] | None = None) -> None:
    # One round untimed first: a server that has been running has its connections open and
    # PostgreSQL's caches of the tables' catalogue filled; a fresh one pays for both once.
    for q in (q for queries in QUERIES.values() for q in queries):
        ask(q)
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
