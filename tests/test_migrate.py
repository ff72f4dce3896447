"""`dangan migrate`: one migrator at a time, on PostgreSQL and SQLite; and a server database is
never migrated behind the operator's back: commands refuse a schema not current, naming the
command that makes it so."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import sqlalchemy as sa

from storage import schema
from storage.db import make_engine
from tests.servers import free_port

DANGAN = str(Path(sys.executable).with_name("dangan"))
WAITING = "holds the migration lock: waiting"


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGAN_")}
    return env | extra


def _dangan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DANGAN, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _start_migrating(data_dir: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [DANGAN, "migrate", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _until(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def _one_migrated(runs: list[subprocess.Popen[str]]) -> list[str]:
    """Both ended well and exactly one migrated; returns what each wrote to standard error."""
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    said = sorted(out.strip() for out, _ in outputs)
    assert said == [
        f"migrated the schema from nothing to {schema.head()}",
        f"the schema is at {schema.head()} already: nothing to do",
    ]
    return [err for _, err in outputs]


def test_two_migrations_at_once_on_postgresql_run_once(tmp_path: Path, postgres_url: str) -> None:
    """A migration under way (the test holds its lock) makes both new ones wait; then one runs."""
    env = _environment(DANGAN_DATABASE_URL=postgres_url)
    engine = make_engine(postgres_url)
    holder = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        assert holder.scalar(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": schema._LOCK})
        runs = [_start_migrating(tmp_path / f"d{i}", env) for i in range(2)]

        def both_waiting() -> bool:
            waiting = holder.scalar(
                sa.text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                    " WHERE l.locktype = 'advisory' AND NOT l.granted"
                    " AND d.datname = current_database()"
                )
            )
            return bool(waiting == 2)

        _until(both_waiting, "both migrators to wait for the lock")
        assert all(run.poll() is None for run in runs)
        holder.scalar(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": schema._LOCK})
        assert all(WAITING in err for err in _one_migrated(runs))
        assert schema.state(engine).is_current
    finally:
        holder.close()
        engine.dispose()


def test_two_migrations_at_once_on_sqlite_run_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = _environment()
    with (data_dir / "dangan.db.migrate-lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runs = [_start_migrating(data_dir, env) for _ in range(2)]
        # Each says it waits once it finds the lock taken: read those lines, then let go.
        waited = [run.stderr.readline() for run in runs if run.stderr is not None]
        assert all(WAITING in line for line in waited), waited
        fcntl.flock(lock, fcntl.LOCK_UN)
    _one_migrated(runs)
    engine = make_engine(f"sqlite:///{data_dir / 'dangan.db'}")
    assert schema.state(engine).is_current
    engine.dispose()


def test_a_server_database_is_not_migrated_by_serve_but_refused_naming_the_command(
    tmp_path: Path, postgres_url: str
) -> None:
    env = _environment(DANGAN_DATABASE_URL=postgres_url, DANGAN_ADMIN_PASSWORD="a long passphrase")
    data_dir = str(tmp_path / "data")
    served = _dangan(env, "serve", "--data-dir", data_dir, "--port", "1")
    assert served.returncode == 2, served.stderr
    assert "run `dangan migrate` first" in served.stderr
    engine = make_engine(postgres_url)
    try:
        assert schema.state(engine).current is None  # nothing was migrated
        # Every command that opens the archive refuses the same way.
        checked = _dangan(env, "fixity", "check", "--data-dir", data_dir)
        assert checked.returncode == 2
        assert "run `dangan migrate` first" in checked.stderr
        migrated = _dangan(env, "migrate", "--data-dir", data_dir)
        assert migrated.returncode == 0, migrated.stderr
        assert schema.state(engine).is_current
        checked = _dangan(env, "fixity", "check", "--data-dir", data_dir)
        assert checked.returncode == 0, checked.stderr
    finally:
        engine.dispose()


def test_serve_migrate_starts_alone_on_a_new_server_database_and_logs_json(
    tmp_path: Path, postgres_url: str
) -> None:
    """`serve --migrate`, as one server started by hand does, with `DANGAN_LOG_FORMAT=json`."""
    port = free_port()
    env = _environment(
        DANGAN_DATABASE_URL=postgres_url,
        DANGAN_ADMIN_PASSWORD="a long passphrase",
        DANGAN_LOG_FORMAT="json",
    )
    argv = [DANGAN, "serve", "--migrate", "--data-dir", str(tmp_path / "d"), "--port", str(port)]
    server = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        assert server.poll() is None, server.communicate()[1]
        try:
            probe = httpx.get(f"{base}/readyz", headers={"X-Request-ID": "probe-00000001"})
        except httpx.TransportError:
            return False
        return probe.status_code == 200

    try:
        # A first start after the web UI's sources changed builds it first (npm): minutes.
        _until(ready, "the server to be ready", seconds=300)
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    lines = [json.loads(line) for line in log.splitlines()]  # every line is JSON
    assert any("Running upgrade" in line["message"] for line in lines)
    probed = [line for line in lines if line.get("request_id") == "probe-00000001"]
    assert [(line["path"], line["status"]) for line in probed] == [("/readyz", 200)]
