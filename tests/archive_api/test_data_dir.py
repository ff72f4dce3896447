"""The embedded data directory is readable by the archive's own account only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from archive_api.backends import connect
from tests.archive_api.conftest import embedded_settings


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_fresh_data_directory_and_its_secrets_are_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual default, under which files come out 0644
    try:
        data_dir = tmp_path / "data"
        backends = connect(embedded_settings(data_dir))
        try:
            backends.keys.create_key("customer-probe")
            with backends.engine.connect() as connection:  # a WAL and its index exist now
                connection.exec_driver_sql("CREATE TABLE probe (x)")
                connection.commit()
                assert _mode(data_dir) == 0o700
                for name in ("dangan.db", "dangan.db-wal", "dangan.db-shm"):
                    assert _mode(data_dir / name) == 0o600, name
                assert _mode(data_dir / "keyring.json") == 0o600
                assert _mode(data_dir / "audit-ed25519.pem") == 0o600
        finally:
            backends.close()
    finally:
        os.umask(previous)


def test_a_database_left_world_readable_is_tightened(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    database = data_dir / "dangan.db"
    sqlite3.connect(database).close()
    database.chmod(0o644)
    connect(embedded_settings(data_dir)).close()
    assert _mode(database) == 0o600
