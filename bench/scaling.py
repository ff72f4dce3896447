"""Scaling out on this machine (issue 23): API processes on the read mix, workers on a backlog.

(a) The read mix (search, a file's documents, a document's metadata, a page image; 3:3:3:1)
from CONCURRENCY locust users with no pause, signed in as archivists, for SECONDS against one
`dangan serve`, then against two on one database and store (two ports, the users spread over
both, as a load balancer would; `dangan serve` has no worker option, each replica is its own
process as in the Helm chart). Every page is rendered once on each server before it is timed.
(b) An extraction backlog: N statement uploads (`en_ifrs_dfm_2025_annual_fs.pdf`, 54 text
pages: its statements and its text for search, two readings each) queued while no worker
runs, then one `dangan worker` started and timed until every extraction row is done (or
failed); again with three workers on a new backlog of the same size. Completion is read from
the `extraction` table only, so any implementation of `dangan worker` is measured the same way.

PostgreSQL, SeaweedFS and OpenBao on 127.0.0.1, as in `bench.load`; locust runs on the same
cores as everything else.

    .venv/bin/python -m bench.scaling
    .venv/bin/python -m bench.scaling --seconds 20 --backlog 4
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.harness import (
    USER_PASSWORD,
    dangan,
    machine_cpu,
    production_stack,
    signed_in,
    tree_cpu,
    workers,
)
from bench.load import run_locust, stats, wait_for_background
from bench.load_seed import Company, seed
from tests.factories import random_uscc

STATEMENT = Path(__file__).resolve().parent.parent / "tests/data/statements"
_WAITING = sa.text("SELECT count(*) FROM extraction WHERE status IN ('pending', 'running')")
_FAILED = sa.text("SELECT count(*) FROM extraction WHERE status = 'failed'")
_SPAN = sa.text(
    "SELECT min(started_at), max(finished_at) FROM extraction WHERE finished_at >= :since"
)


def warm(base: str, company: Company) -> None:
    """Render every page once on this server, as the mix will ask for them."""
    for department in company.departments:
        archivist = signed_in(base, department.people["archivist"][0], USER_PASSWORD)
        with archivist:
            for customer in department.customers:
                for document in customer["documents"]:
                    for number in range(1, document["pages"] + 1):
                        page = f"/api/v1/documents/{document['id']}/pages/{number}"
                        archivist.get(page).raise_for_status()


def read_mix(
    servers: list[tuple[str, int]], args: argparse.Namespace, root: Path, label: str
) -> float:
    """Run the read mix against `servers` (base URL, pid); print its operations and what they
    cost, return read requests a second."""
    bases, pids = [b for b, _ in servers], [p for _, p in servers]
    prefix = root / f"reads-{label.replace(' ', '-')}"
    spent, machine, started = sum(map(tree_cpu, pids)), machine_cpu(), time.monotonic()
    code = run_locust(
        bases[0], ["Reader"], root / "company.json", args.concurrency, args.concurrency,
        args.seconds, prefix, {"BENCH_SCALING_BASES": ",".join(bases)},
    )  # fmt: skip
    elapsed = time.monotonic() - started
    spent, machine = sum(map(tree_cpu, pids)) - spent, machine_cpu() - machine
    rows = [r for r in stats(prefix) if r["Name"] not in ("Aggregated", "sign in")]
    failures = sum(int(r["Failure Count"]) for r in rows)
    rate = sum(float(r["Requests/s"]) for r in rows)
    reads = sum(int(r["Request Count"]) for r in rows)
    print(
        f"\n{label}: {rate:.1f} reads a second, {failures} failed (locust exited {code});"
        f" server CPU {1000 * spent / reads:.1f} ms a read (its renderers included);"
        f" the cores busy {100 * machine / elapsed / (os.cpu_count() or 1):.0f} %"
    )
    for row in rows:
        print(
            f"  {row['Name']:14} {float(row['Requests/s']):7.1f}/s"
            f"  p50 {row['50%']:>5}  p95 {row['95%']:>5}  p99 {row['99%']:>5} ms"
        )
    if failures or code:
        raise SystemExit(f"the read mix failed on {label}; see {root}/locust.log")
    return rate


def queue_backlog(base: str, company: Company, count: int, name: str) -> None:
    """`count` new customer files, each given the statement, while no worker runs."""
    data = (STATEMENT / name).read_bytes()
    archivist = signed_in(base, company.departments[0].people["archivist"][0], USER_PASSWORD)
    with archivist:
        for _ in range(count):
            made = archivist.post(
                "/api/v1/customers",
                json={"name": f"积压客户{random_uscc()[-6:]}", "uscc": random_uscc()},
            )
            made.raise_for_status()
            archivist.post(
                f"/api/v1/customers/{made.json()['id']}/documents",
                data={"doc_type": "financial_statement", "title": "年度财务报表"},
                files={"file": (name, io.BytesIO(data), "application/pdf")},
            ).raise_for_status()


def drain(env: dict[str, str], root: Path, count: int) -> tuple[float, float | None]:
    """Start `count` workers and time them until no extraction waits: seconds from their start,
    and from the first reading taken to the last finished (None where the rows keep no times)."""
    engine = sa.create_engine(env["DANGAN_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            waiting = connection.execute(_WAITING).scalar_one()
        since = datetime.now(UTC)
        with workers(env, root / f"workers-{count}.log", count) as pids:
            started, machine = time.monotonic(), machine_cpu()
            while True:
                with engine.connect() as connection:
                    if connection.execute(_WAITING).scalar_one() == 0:
                        break
                time.sleep(0.2)
            elapsed = time.monotonic() - started
            machine = machine_cpu() - machine
            spent = sum(map(tree_cpu, pids))
        with engine.connect() as connection:
            failed = connection.execute(_FAILED).scalar_one()
            first, last = connection.execute(_SPAN, {"since": since}).one()
    finally:
        engine.dispose()
    span = (last - first).total_seconds() if first and last else None
    spanned = f", {span:.1f} s from the first reading taken to the last done" if span else ""
    print(
        f"  {count} worker(s): {waiting} readings in {elapsed:.1f} s from start{spanned};"
        f" failed: {failed}; the workers' CPU {spent:.0f} s (their readings included), the"
        f" cores busy {100 * machine / elapsed / (os.cpu_count() or 1):.0f} %"
    )
    return elapsed, span


def main() -> None:
    """Measure (a) and (b) and print the ratios against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--concurrency", type=int, default=16, help="locust users, no pause")
    parser.add_argument("--seconds", type=int, default=40, help="each read-mix run")
    parser.add_argument("--backlog", type=int, default=8, help="statements queued each time")
    parser.add_argument("--statement", default="en_ifrs_dfm_2025_annual_fs.pdf")
    parser.add_argument("--skip", choices=("reads", "backlog"), help="measure only the other")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with (
            production_stack(root) as (env, database, _, _),
            dangan(env, root / "dangan-1.log") as served,
        ):
            first = served[0]
            people = {"archivist": args.concurrency, "dept_head": 1}
            company = seed(first, people, customers=8, scans=2)
            company.save(root / "company.json")
            with workers(env, root / "seed-worker.log"):
                wait_for_background(database)
            if args.skip != "reads":
                warm(first, company)
                one = read_mix([served], args, root, "one process")
                with dangan(env, root / "dangan-2.log") as other:
                    warm(other[0], company)
                    two = read_mix([served, other], args, root, "two processes")
                print(f"\ntwo processes / one: {two / one:.2f}x (target >= 1.6x)")
            if args.skip != "backlog":
                print(f"\nextraction backlog: {args.backlog} x {args.statement}")
                times = {}
                for count in (1, 3):
                    queue_backlog(first, company, args.backlog, args.statement)
                    times[count] = drain(env, root, count)
                (one_wall, one_span), (three_wall, three_span) = times[1], times[3]
                print(
                    f"three workers / one: {one_wall / three_wall:.2f}x from start"
                    + (f", {one_span / three_span:.2f}x reading" if one_span and three_span else "")
                    + " (target >= 2.5x)"
                )


if __name__ == "__main__":
    main()
