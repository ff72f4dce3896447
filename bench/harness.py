"""Running Dangan and the baselines as real processes for the benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NamedTuple

import httpx
import sqlalchemy as sa

from tests.factories import random_uscc
from tests.servers import (
    KmsServer,
    S3Server,
    free_port,
    openbao,
    postgres_database,
    postgres_server,
    seaweedfs,
)

BIN = Path(sys.executable).parent
ADMIN_PASSWORD = "bench-admin-passphrase"
USER_PASSWORD = "bench-user-passphrase"
TICKS = os.sysconf("SC_CLK_TCK")
# What a run leaves to the background: documents to read (figures, search text), events to chain.
_LEFT = sa.text(
    "SELECT (SELECT count(*) FROM extraction WHERE status IN ('pending', 'running')),"
    " (SELECT count(*) FROM audit_pending)"
)


def _terminated(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


# A benchmark stopped by SIGTERM (`timeout`, an operator) unwinds like one interrupted, so the
# servers it started are stopped by their context managers: Python's default for SIGTERM is to
# die at once, which left SeaweedFS and `dangan serve` running with nobody to stop them.
signal.signal(signal.SIGTERM, _terminated)


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its descendants alive and those it (or they) waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    spent = sum(int(value) for value in fields[11:15]) / TICKS
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
        for child in children:
            try:
                spent += tree_cpu(int(child))
            except FileNotFoundError:  # a child that ended meanwhile (a reading, a stamping)
                continue
    return spent


def machine_cpu() -> float:
    """CPU seconds all cores have been busy so far (user to steal, without idle and iowait)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / TICKS


def _environment(extra: dict[str, str]) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DANGAN_", "BENCH_"))}
    return clean | extra


@contextmanager
def process(argv: list[str], env: dict[str, str], probe: str, log: Path) -> Iterator[int]:
    """Start a server process, wait until `probe` answers, stop it afterwards; yields its pid."""
    with log.open("wb") as out:
        started = subprocess.Popen(
            argv, env=_environment(env), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        # A fresh clone's first `dangan serve` builds the web UI first (npm ci, vite): minutes.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                httpx.get(probe, timeout=1)
                break
            except httpx.TransportError:
                if started.poll() is not None:
                    raise RuntimeError(log.read_text()[-2000:]) from None
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{argv[0]} did not answer at {probe} within 600 s; see {log}")
        yield started.pid
    finally:
        started.terminate()
        started.wait(timeout=30)


class Stack(NamedTuple):
    """The production backends of a benchmark, and Dangan's settings over them."""

    env: dict[str, str]
    database: str
    s3: S3Server
    kms: KmsServer


@contextmanager
def production_stack(root: Path) -> Iterator[Stack]:
    """A PostgreSQL database of its own, SeaweedFS and OpenBao on loopback under `root`, and the
    settings of an API server that leaves the background work to `dangan worker`, as deployed."""
    with (
        seaweedfs(root / "weed") as s3,
        openbao(root / "bao") as kms,
        postgres_database(postgres_server()) as database,
    ):
        env = production_env(root / "dangan", database, s3, kms, background=False)
        yield Stack(env, database, s3, kms)


def production_env(
    data_dir: Path, database_url: str, s3: S3Server, kms: KmsServer, background: bool = True
) -> dict[str, str]:
    """Dangan's settings for PostgreSQL + SeaweedFS + OpenBao; without `background`, `serve`
    leaves the background work to `dangan worker` (`drain_background`)."""
    return {
        "DANGAN_BACKGROUND": "true" if background else "false",
        "DANGAN_DATA_DIR": str(data_dir),
        "DANGAN_DATABASE_URL": database_url,
        "DANGAN_S3_ENDPOINT": s3.endpoint,
        "DANGAN_S3_ACCESS_KEY": s3.access_key,
        "DANGAN_S3_SECRET_KEY": s3.secret_key,
        "DANGAN_S3_BUCKET": "bench",
        "DANGAN_S3_SECURE": "false",
        "DANGAN_KMS_URL": kms.url,
        "DANGAN_KMS_TOKEN": kms.token,
    }


@contextmanager
def dangan(env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """`dangan serve` on a free port; yields its base URL and pid."""
    port = free_port()
    settings = {
        "DANGAN_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "DANGAN_MAX_UPLOAD_BYTES": str(4 << 30),
        **env,
    }
    # A server database is migrated as its own step, as a deployment does (`dangan migrate`).
    subprocess.run(
        [str(BIN / "dangan"), "migrate"], env=_environment(settings), check=True, timeout=600
    )
    argv = [str(BIN / "dangan"), "serve", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with process(argv, settings, f"{base}/docs", log) as pid:
        yield base, pid


@dataclass
class Drain:
    """The background work a run left, and what one worker took to do it."""

    readings: int
    events: int
    seconds: float
    worker_cpu: float  # the worker's and its reading processes'


def drain_background(env: dict[str, str], log: Path) -> Drain:
    """Start one `dangan worker` on a quiet archive and wait until it has read every document
    and chained every event the run left."""
    engine = sa.create_engine(env["DANGAN_DATABASE_URL"])
    with engine.connect() as connection:
        readings, events = connection.execute(_LEFT).one()
    started = time.monotonic()
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(BIN / "dangan"), "worker"], env=_environment(env), stdout=out, stderr=out
        )
    try:
        while True:
            with engine.connect() as connection:
                if tuple(connection.execute(_LEFT).one()) == (0, 0):
                    break
            if worker.poll() is not None:
                raise RuntimeError(log.read_text()[-2000:])
            time.sleep(0.2)
        return Drain(readings, events, time.monotonic() - started, tree_cpu(worker.pid))
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        engine.dispose()


@contextmanager
def workers(env: dict[str, str], log: Path, count: int = 1) -> Iterator[list[int]]:
    """`count` `dangan worker` processes beside the servers; yields their pids, stops them after
    (each finishes the reading under way)."""
    started = []
    with log.open("ab") as out:
        for _ in range(count):
            started.append(
                subprocess.Popen(
                    [str(BIN / "dangan"), "worker"],
                    env=_environment(env),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        yield [worker.pid for worker in started]
    finally:
        for worker in started:
            worker.terminate()
        for worker in started:
            try:
                worker.wait(timeout=120)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def signed_in(base: str, username: str, password: str) -> httpx.Client:
    """A client with a bearer token of the user."""
    token = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": username, "password": password}
    ).json()["access_token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600)


def archivist_with_customer(base: str) -> tuple[httpx.Client, str]:
    """Set up a department, an archivist in it and a customer; returns the archivist's client."""
    admin = signed_in(base, "admin", ADMIN_PASSWORD)
    department = admin.post(
        "/api/v1/admin/departments", json={"code": "bench", "name": "基准"}
    ).json()["id"]
    user = admin.post(
        "/api/v1/admin/users",
        json={
            "username": "bench",
            "display_name": "bench",
            "password": USER_PASSWORD,
            "department_id": department,
            "clearance": "secret",
        },
    ).json()["id"]
    admin.post(
        "/api/v1/admin/roles",
        json={"user_id": user, "role": "archivist", "department_id": department},
    )
    client = signed_in(base, "bench", USER_PASSWORD)
    customer = client.post("/api/v1/customers", json={"name": "基准客户", "uscc": random_uscc()})
    return client, str(customer.json()["id"])


def colleague(base: str, username: str, role: str) -> httpx.Client:
    """A person of the department `archivist_with_customer` set up, with `role`, signed in."""
    admin = signed_in(base, "admin", ADMIN_PASSWORD)
    departments = admin.get("/api/v1/admin/departments").json()
    department = next(d["id"] for d in departments if d["code"] == "bench")
    user = admin.post(
        "/api/v1/admin/users",
        json={
            "username": username,
            "display_name": username,
            "password": USER_PASSWORD,
            "department_id": department,
            "clearance": "secret",
        },
    ).json()["id"]
    admin.post(
        "/api/v1/admin/roles", json={"user_id": user, "role": role, "department_id": department}
    )
    return signed_in(base, username, USER_PASSWORD)


def borrower(base: str, customer: str, document: str, mode: str) -> httpx.Client:
    """A salesperson of the bench department, lent `document` (`view` or `download`) by its head."""
    reader = colleague(base, "bench-reader", "sales")
    asked = reader.post(
        "/api/v1/borrowings",
        json={
            "customer_id": customer,
            "document_ids": [document],
            "purpose": "基准 benchmark",
            "mode": mode,
            "hours": 4,
        },
    )
    asked.raise_for_status()
    head = colleague(base, "bench-head", "dept_head")
    approved = head.post(f"/api/v1/borrowings/{asked.json()['id']}/approve")
    approved.raise_for_status()
    return reader
