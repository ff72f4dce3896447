"""Metadata reads at a million documents: the customer list, a file, its documents, one document.

Runs over the database `bench.search seed` made (1,000,000 documents of 100,000 customers in
twenty departments), as salesperson `sales-01` over HTTP, the requests the UI sends when someone
opens the customers page, searches a name, opens a file and one of its documents:

    .venv/bin/python -m bench.search seed --documents 1000000
    .venv/bin/python -m bench.metadata --rounds 40

Prints p50/p95/p99 per kind of read (target: p95 under 100 ms) and the load average, since
wall time on a shared machine measures the other work too.
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
from pathlib import Path

import httpx
import psycopg

from bench.harness import USER_PASSWORD, dangan, signed_in
from bench.search import DEFAULT_URL
from bench.search_seed import conninfo, serving

# One kind of read: its name and how to ask it, given a customer of the reader's department and
# one of that customer's documents.
Read = Callable[[httpx.Client, str, str, str], httpx.Response]
READS: dict[str, Read] = {
    "customers page": lambda c, _, __, ___: c.get("/api/v1/customers", params={"limit": 20}),
    "customer by name": lambda c, _, __, name: c.get("/api/v1/customers", params={"q": name}),
    "customer file": lambda c, customer, _, __: c.get(f"/api/v1/customers/{customer}"),
    "file's documents": lambda c, customer, _, __: c.get(
        "/api/v1/documents", params={"customer_id": customer, "limit": 50}
    ),
    "one document": lambda c, _, document, __: c.get(f"/api/v1/documents/{document}"),
    "newest documents": lambda c, _, __, ___: c.get("/api/v1/documents", params={"limit": 50}),
}


def _samples(url: str, count: int) -> list[tuple[str, str, str]]:
    """`count` (customer, document, customer name) of sales-01's department, drawn at random."""
    with psycopg.connect(conninfo(url)) as connection:
        rows = connection.execute(
            "SELECT c.id, d.id, c.name FROM customer c"
            " JOIN user_account u ON u.department_id = c.department_id AND u.username = 'sales-01'"
            " JOIN LATERAL (SELECT id FROM document WHERE customer_id = c.id LIMIT 1) d ON true"
            " ORDER BY random() LIMIT %s",
            (count,),
        ).fetchall()
    if len(rows) < count:
        raise SystemExit("seed the database first: python -m bench.search seed")
    return [(str(c), str(d), str(name)) for c, d, name in rows]


def run(url: str, rounds: int) -> None:
    """Time every kind of read `rounds` times, each on a different customer."""
    with psycopg.connect(conninfo(url)) as connection:
        found = connection.execute("SELECT count(*) FROM document").fetchone()
        customers = connection.execute("SELECT count(*) FROM customer").fetchone()
    print(f"{found[0] if found else 0:,} documents, {customers[0] if customers else 0:,} customers")
    samples = _samples(url, rounds)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as data:
        env, log = serving(url, Path(data))
        with dangan(env, log) as (base, _):
            client = signed_in(base, "sales-01", USER_PASSWORD)
            times: dict[str, list[float]] = {kind: [] for kind in READS}
            for customer, document, name in samples:
                # A name as typed: whole, or a few characters of it (many customers share them).
                typed = name if rng.random() < 0.5 else name[2:6]
                for kind, read in READS.items():
                    tick = time.perf_counter()
                    answer = read(client, customer, document, typed)
                    times[kind].append((time.perf_counter() - tick) * 1000)
                    if answer.status_code != 200:
                        raise SystemExit(f"{kind}: answered {answer.status_code}")
    for kind, taken in times.items():
        cuts = statistics.quantiles(taken, n=100)
        print(
            f"{kind:18s} p50 {statistics.median(taken):6.1f} ms  p95 {cuts[94]:6.1f} ms"
            f"  p99 {cuts[98]:6.1f} ms"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


def main(argv: list[str] | None = None) -> int:
    """Run the reads as asked."""
    parser = argparse.ArgumentParser(prog="bench.metadata", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args(argv)
    run(args.database_url, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
