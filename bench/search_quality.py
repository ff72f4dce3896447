"""Search quality on a labelled set of queries: Dangan's index against the same queries as ILIKE.

    .venv/bin/python -m bench.search_quality                     # SQLite, the embedded default
    .venv/bin/python -m bench.search_quality --postgres URL      # a server; a fresh database on it

The collection: every page of the two committed annual reports (real Chinese, read from the
text layer as the indexer reads it), and the files of 120 made-up customers (contracts,
collection letters, bank references, report extracts; bench/search_corpus.py), a sixth of them
written in traditional characters as a Hong Kong customer's would be. Each query's relevant
documents are labelled by rule, written beside it: pages holding a phrase (line breaks and
spaces removed), or the made documents known to hold a clause, a number or a name.

recall@10 = relevant documents among the first ten / min(10, number relevant): what a person
reading the first page of results finds. The baseline is what the archive did before: each
word of the query as `ILIKE '%word%'` over title, counterparty, contract number and the text,
all words required, newest first.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import opencc
from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from bench.search_corpus import REPORTS, Made, company, documents_of
from ingest.matching import Seen
from ingest.search import SearchQuery, search
from ingest.terms import folded, index_terms
from ingest.textindex import page_text
from ingest.words import read_pages
from storage.db import make_engine, migrate, session_factory, unit_of_work
from storage.models import Customer, Department, Document, DocumentText, User
from tests.factories import random_uscc
from tests.servers import postgres_database

CUSTOMERS = 120
PHRASES = (
    "应收账款", "募集资金", "关联交易", "现金流量", "存货跌价准备", "固定资产", "递延所得税",
    "茅台酒", "风力发电", "燃煤", "营业收入", "利润分配", "会计政策", "商誉", "长期股权投资",
    "应付票据", "研发投入", "环境保护", "内部控制", "审计意见",
)  # fmt: skip
# Queries a person types that the stored text writes otherwise: traditional characters for
# simplified text, and two words apart.
VARIANTS = (
    ("應收賬款", "应收账款"), ("關聯交易", "关联交易"), ("現金流量", "现金流量"),
    ("募集資金", "募集资金"), ("固定資產", "固定资产"),
)  # fmt: skip


@dataclass
class Kept:
    """A document as stored: its id, metadata and the text the index keeps."""

    id: str
    owner: str  # the customer's name
    made: Made | None
    text: str


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", folded(text))


def collection() -> tuple[list[Kept], list[Kept], list[str]]:
    """Report pages and made documents (with the customers' names), none stored yet."""
    pages = []
    for path in REPORTS:
        for page in read_pages(path.read_bytes()):
            pages.append(Kept(f"{path.stem}#{page.number}", path.stem, None, page_text(page)))
    rng, made, names = random.Random(20), list[Kept](), list[str]()
    traditional = opencc.OpenCC("s2t")
    for index in range(CUSTOMERS):
        name = company(rng)
        names.append(name)
        for written in documents_of(rng, name, "本公司", 10, f"XS{index}"):
            doc = written
            if index % 6 == 5:
                doc = replace(
                    written, pieces=tuple(str(traditional.convert(p)) for p in written.pieces)
                )
            made.append(Kept(f"made#{len(made)}", name, doc, doc.text))
    return pages, made, names


def queries(made: list[Kept], names: list[str]) -> list[tuple[str, str]]:
    """The queries, by kind: report phrases, traditional forms, a customer's name with a clause,
    contract numbers typed in lower case, a letter's two words."""
    out = [("report phrase", p) for p in PHRASES]
    out += [("traditional query", asked) for asked, _ in VARIANTS]
    rng = random.Random(7)
    for name in rng.sample(names, 12):
        out.append(("customer + clause", f"{name[2:6]} 保证金"))
    numbered = [k.made.contract_no for k in made if k.made is not None and k.made.contract_no]
    out += [("contract number", n.lower()) for n in rng.sample(numbered, 12)]
    out += [
        ("two words", "逾期 催款"),
        ("two words", "违约金 电缆"),
        ("two words", "资信证明 招商银行"),
        ("two words", "白酒 保证金"),
        ("two words", "应收账款 坏账"),
        ("two words", "关联交易 担保"),
        ("two words", "存货 跌价"),
        ("two words", "募集资金 风电"),
    ]
    return out


def relevant(q: str, documents: list[Kept]) -> frozenset[str]:
    """The documents holding every word of the query (folded, spaces and line breaks removed)
    in their text, title, counterparty or contract number."""
    words = [_flat(w) for w in q.split()]
    found = set()
    for k in documents:
        meta = (k.made.title, k.made.counterparty or "", k.made.contract_no or "") if k.made else ()
        flat = _flat(" ".join((k.text, *meta)))
        if all(w in flat for w in words):
            found.add(k.id)
    return frozenset(found)


@contextmanager
def database(postgres: str | None) -> Iterator[str]:
    """A fresh database: on the PostgreSQL server given, else an SQLite file."""
    if postgres:
        with postgres_database(postgres) as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{Path(directory) / 'quality.db'}"


def store(
    session: Session, pages: list[Kept], made: list[Kept], names: list[str]
) -> dict[str, str]:
    """Every document stored and indexed as the indexer keeps it; our ids by database id."""
    department = Department(code="bench", name="基准")
    session.add(department)
    session.flush()
    user = User(
        username="bench", display_name="bench", password_hash="-", department_id=department.id
    )
    session.add(user)
    session.flush()
    owners = {
        name: Customer(name=name, uscc=random_uscc(), department_id=department.id,
                       custodian_id=user.id, created_by_id=user.id)
        for name in [*names, *(path.stem for path in REPORTS)]
    }  # fmt: skip
    session.add_all(owners.values())
    session.flush()
    ours, now = {}, datetime.now(UTC)
    for k in pages + made:
        m = k.made
        document = Document(
            customer_id=owners[k.owner].id,
            doc_type=m.doc_type if m else "financial_statement",
            title=m.title if m else k.id,
            secrecy="internal",
            issued_on=m.issued_on if m else date(2022, 3, 30),
            contract_no=m.contract_no if m else None,
            counterparty=m.counterparty if m else None,
            amount=m.amount if m else None,
            created_by_id=user.id,
        )
        session.add(document)
        session.flush()
        kept = folded(k.text)
        session.add(DocumentText(document_id=document.id, version=1, text=kept,
                                 terms=index_terms(kept), indexed_at=now))  # fmt: skip
        ours[str(document.id)] = k.id
    session.flush()
    return ours


def ilike(session: Session, q: str) -> list[str]:
    """The baseline: every word as a substring of a field, newest first, ten."""
    fields = (DocumentText.text, Document.title, Document.counterparty, Document.contract_no)
    each = [or_(*(f.ilike(f"%{w}%") for f in fields)) for w in q.split()]
    query = (
        select(Document.id)
        .join(DocumentText, DocumentText.document_id == Document.id)
        .where(and_(*each))
        .order_by(Document.issued_on.desc(), Document.created_at.desc())
        .limit(10)
    )
    return [str(i) for i in session.scalars(query)]


def ours(session: Session, q: str) -> list[str]:
    """Dangan's search, as an archivist sees it, first ten by relevance."""
    everything = Seen(true(), true(), true(), true())
    found = search(session, SearchQuery(q=q, limit=10), everything, lambda _: True, "confidential")
    return [str(hit.document.id) for hit in found.hits]


def measure(
    session: Session,
    way: Callable[[Session, str], list[str]],
    asked: list[tuple[str, str, frozenset[str]]],
    known: dict[str, str],
) -> dict[str, list[tuple[float, float]]]:
    """(recall@10, precision@10) of each query by kind (and "all"); each query's ms under "ms"."""
    scores: dict[str, list[tuple[float, float]]] = {"all": [], "ms": []}
    for kind, q, wanted in asked:
        tick = time.perf_counter()
        first = [known.get(i, i) for i in way(session, q)]
        scores["ms"].append(((time.perf_counter() - tick) * 1000, 0.0))
        hit = len(wanted.intersection(first))
        score = (hit / min(10, len(wanted)), hit / len(first) if first else 0.0)
        scores.setdefault(kind, []).append(score)
        scores["all"].append(score)
        if min(score) < 0.9 and way is ours:
            print(f"  {q!r}: recall@10 {score[0]:.2f}, precision@10 {score[1]:.2f}"
                  f" ({len(wanted)} relevant)")  # fmt: skip
    return scores


def _mean(scores: list[tuple[float, float]], which: int) -> float:
    return statistics.mean(s[which] for s in scores)


def main(argv: list[str] | None = None) -> int:
    """Build the collection, label the queries, run both ways, print recall@10 per kind."""
    parser = argparse.ArgumentParser(
        prog="bench.search_quality", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a fresh database is made")
    args = parser.parse_args(argv)
    pages, made, names = collection()
    asked = [(kind, q, relevant(q, pages + made)) for kind, q in queries(made, names)]
    asked = [a for a in asked if a[2]]
    print(f"{len(pages) + len(made):,} documents, {len(asked)} queries with relevant documents")
    with database(args.postgres) as url:
        engine = make_engine(url)
        migrate(engine)
        try:
            with unit_of_work(session_factory(engine)) as session:
                known = store(session, pages, made, names)
                results = {
                    way.__name__: measure(session, way, asked, known) for way in (ours, ilike)
                }
        finally:
            engine.dispose()
    kinds = [k for k in results["ours"] if k not in ("all", "ms")] + ["all"]
    print(f"{'queries':18s} {'n':>3s}  index recall, precision   ILIKE recall, precision")
    for kind in kinds:
        a, b = results["ours"][kind], results["ilike"][kind]
        print(f"{kind:18s} {len(a):3d}  {_mean(a, 0):12.3f} {_mean(a, 1):10.3f}"
              f"   {_mean(b, 0):12.3f} {_mean(b, 1):10.3f}")  # fmt: skip
    for way, scores in results.items():
        ms = [t for t, _ in scores["ms"]]
        print(f"{way}: {statistics.median(ms):.1f} ms median, {max(ms):.1f} ms slowest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
