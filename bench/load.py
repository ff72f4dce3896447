"""The load test of issue 23: people working at once against the production stack, for a while.

Starts PostgreSQL (a database of its own), SeaweedFS, OpenBao, one `dangan serve` (background
work left to workers, as deployed) and one `dangan worker`, all on 127.0.0.1; makes a company
(`bench.load_seed`), lets the worker read what that uploaded, then runs locust headless
(`bench/locustfile.py`) with USERS people for SECONDS: salespeople, sales managers, archivists
and department heads searching, opening files, uploading, borrowing (request, approvals by the
right people, a page viewed, the return) and viewing pages, each pausing 2 to 8 s between
actions (`--wait`). Prints, per operation, the count, failures and p50/p95/p99 (locust's
percentiles: rounded to two significant digits above 100 ms), then each process's share of the
CPU; exits non-zero on any failed request or error in a locust user.

    .venv/bin/python -m bench.load                      # 50 people, 5 minutes
    .venv/bin/python -m bench.load --users 10 --seconds 30
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.harness import BIN, dangan, machine_cpu, production_stack, tree_cpu, workers
from bench.load_seed import seed

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PEOPLE = ("Salesperson", "SalesManager", "Archivist", "DepartmentHead")
# The locust users' weights (bench/locustfile.py), to make enough people of each role.
SHARES = {"sales": 6, "sales_manager": 2, "archivist": 1, "dept_head": 1}
_WAITING = sa.text(
    "SELECT (SELECT count(*) FROM extraction WHERE status IN ('pending', 'running')),"
    " (SELECT count(*) FROM audit_pending)"
)


def _children() -> float:
    """CPU seconds of the child processes waited for so far (locust, once it has ended)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def people_needed(users: int, departments: int = 2) -> dict[str, int]:
    """Persons of each role per department: one per locust user, one more to approve."""
    total = sum(SHARES.values())
    return {
        role: math.ceil(users * share / total / departments) + 1 for role, share in SHARES.items()
    }


def wait_for_background(database_url: str, limit: float = 900) -> float:
    """Wait until the workers have read every document and chained every event; seconds."""
    engine = sa.create_engine(database_url)
    started = time.monotonic()
    try:
        while time.monotonic() - started < limit:
            with engine.connect() as connection:
                if tuple(connection.execute(_WAITING).one()) == (0, 0):
                    return time.monotonic() - started
            time.sleep(1)
        raise RuntimeError(f"the background work was not done within {limit:.0f} s")
    finally:
        engine.dispose()


def run_locust(
    base: str, classes: list[str], company: Path, users: int, rate: float, seconds: int,
    prefix: Path, extra_env: dict[str, str],
) -> int:  # fmt: skip
    """locust headless against `base` for `seconds`; returns its exit code (1 on failures)."""
    argv = [
        str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", base,
        "--users", str(users), "--spawn-rate", str(rate), "--run-time", f"{seconds}s",
        "--stop-timeout", "60", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        *classes,
    ]  # fmt: skip
    root = str(Path(__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        "BENCH_LOAD_COMPANY": str(company),
        **extra_env,
    }
    with (prefix.parent / "locust.log").open("ab") as log:
        done = subprocess.run(argv, check=False, env=env, stdout=log, stderr=subprocess.STDOUT)
    return done.returncode


def stats(prefix: Path) -> list[dict[str, str]]:
    """locust's rows per operation, the aggregate last."""
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def errors(prefix: Path) -> list[str]:
    """Every failure and exception locust recorded, one line each."""
    found = []
    for kind, columns in (("failures", ("Name", "Error")), ("exceptions", ("Message",))):
        path = Path(f"{prefix}_{kind}.csv")
        if path.exists():
            with path.open(encoding="utf-8") as rows:
                for row in csv.DictReader(rows):
                    what = " ".join(row.get(c, "") for c in columns)
                    found.append(f"{row.get('Occurrences', '?')}x {what}".strip())
    return found


def report(rows: list[dict[str, str]]) -> None:
    """The table of operations: count, failures, percentiles in ms."""
    print(f"  {'operation':34} {'count':>7} {'fail':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'/s':>6}")
    for row in rows:
        name = "all requests" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"  {name:34} {row['Request Count']:>7} {row['Failure Count']:>5}"
            f" {row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Requests/s']):6.1f}"
        )


def main() -> None:
    """Start the stack, make the company, run the people, print the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="people starting a second")
    parser.add_argument("--customers", type=int, default=12, help="files per department")
    parser.add_argument("--scans", type=int, default=2, help="files with the real scan, each")
    parser.add_argument("--wait", default="2,8", help="pause between actions: min,max seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with (
            production_stack(root) as (env, database, s3, kms),
            dangan(env, root / "dangan.log") as (base, server),
            workers(env, root / "worker.log") as (worker,),
        ):
            made = time.monotonic()
            company = seed(base, people_needed(args.users), args.customers, args.scans)
            company.save(root / "company.json")
            print(
                f"company: {sum(len(d.customers) for d in company.departments)} files,"
                f" {sum(len(c['documents']) for d in company.departments for c in d.customers)}"
                f" documents in {time.monotonic() - made:.0f} s; the worker read them in"
                f" {wait_for_background(database):.0f} s more"
            )
            pids = {"dangan serve": server, "dangan worker": worker, "SeaweedFS": s3.pid}
            pids["OpenBao"] = kms.pid
            before = {name: tree_cpu(pid) for name, pid in pids.items()}
            machine, started, children = machine_cpu(), time.monotonic(), _children()
            code = run_locust(
                    base, list(PEOPLE), root / "company.json", args.users, args.spawn_rate,
                    args.seconds, root / "locust", {"BENCH_LOAD_WAIT": args.wait},
                )  # fmt: skip
            elapsed = time.monotonic() - started
            spent = {name: tree_cpu(pid) - before[name] for name, pid in pids.items()}
            spent["locust"] = _children() - children
            machine = machine_cpu() - machine
            found = errors(root / "locust")
            print(
                f"\n{args.users} people for {args.seconds} s (pause {args.wait} s),"
                " PostgreSQL + SeaweedFS + OpenBao, one server and one worker, times in ms:"
            )
            report(stats(root / "locust"))
            shares = ", ".join(f"{n} {100 * c / elapsed:.0f} %" for n, c in spent.items())
            cores = os.cpu_count() or 1
            print(
                f"\nCPU: the {cores} cores busy {100 * machine / elapsed / cores:.0f} % of the"
                f" time; in shares of one core: {shares}; PostgreSQL and the rest the remainder"
            )
            tracebacks = sum(
                (root / log).read_text(errors="replace").count("Traceback")
                for log in ("dangan.log", "worker.log")
            )
            print(f"errors: {len(found)} kinds; tracebacks in the server and worker logs:"
                      f" {tracebacks}")  # fmt: skip
            for line in found:
                print(f"  {line}")
            if code != 0 or found or tracebacks:
                kept = Path(tempfile.mkdtemp(prefix="dangan-load-"))
                for log in root.glob("*.log"):
                    (kept / log.name).write_bytes(log.read_bytes())
                print(f"locust exited {code}; the logs are kept in {kept}")
                sys.exit(1)


if __name__ == "__main__":
    main()
