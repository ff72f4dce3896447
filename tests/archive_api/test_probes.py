"""`/healthz` and `/readyz`: anyone may ask, the answer names only the failing checks, and a
stopped or hung dependency turns the archive unready within the probe's time limit."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import hvac
from alembic import command
from fastapi.testclient import TestClient

from archive_api.app import create_app
from archive_api.backends import Backends, connect
from archive_api.probes import TIMEOUT
from storage import schema
from storage.db import alembic_config
from storage.s3store import S3ObjectStore
from tests.archive_api.conftest import embedded_settings, production_settings
from tests.servers import (
    KmsServer,
    S3Server,
    Server,
    restartable_openbao,
)


@contextmanager
def _closing(backends: Backends) -> Iterator[Backends]:
    try:
        yield backends
    finally:
        backends.close()


def _until_ready(client: TestClient, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.5)
    raise AssertionError(f"not ready {seconds} s after the store returned")


def test_anyone_learns_alive_and_ready_and_nothing_more(backends: Backends) -> None:
    """No token needed; the bodies are exactly these, on either deployment."""
    with TestClient(create_app(backends)) as anonymous:
        alive = anonymous.get("/healthz")
        assert (alive.status_code, alive.json()) == (200, {"alive": True})
        ready = anonymous.get("/readyz")
        assert (ready.status_code, ready.json()) == (200, {"ready": True})
        assert ready.headers["cache-control"] == "no-store"


def test_readyz_turns_unready_when_the_object_store_stops_and_ready_when_it_returns(
    tmp_path: Path,
    postgres_url: str,
    own_s3: tuple[S3Server, Server],
    kms_server: KmsServer,
) -> None:
    s3, weed = own_s3
    backends = connect(production_settings(tmp_path / "data", postgres_url, s3, kms_server))
    try:
        with TestClient(create_app(backends)) as client:
            assert client.get("/readyz").json() == {"ready": True}
            weed.stop()
            try:
                started = time.monotonic()
                down = client.get("/readyz")
                # The check's own limit, and slack for a machine busy with other tests (3.4 s
                # was seen in a loaded CI run); a hung store without the limit takes minutes.
                assert time.monotonic() - started < TIMEOUT + 2
                assert (down.status_code, down.json()) == (
                    503,
                    {"ready": False, "failing": ["object_store"]},
                )
                assert client.get("/healthz").status_code == 200  # alive: no restart would help
            finally:
                weed.start()
            _until_ready(client)
    finally:
        backends.close()


def test_a_hung_object_store_fails_the_probe_in_time_without_piling_up_threads(
    tmp_path: Path,
) -> None:
    """A store that accepts connections and never answers: each probe still ends in TIMEOUT."""
    backends = connect(embedded_settings(tmp_path / "data"))
    # Closing the socket afterwards resets the hung connection, which ends the check's thread.
    with socket.socket() as silent, _closing(backends):
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        endpoint = f"127.0.0.1:{silent.getsockname()[1]}"
        backends.store = S3ObjectStore(endpoint, "k", "secret-key", "dangan", secure=False)
        with TestClient(create_app(backends)) as client:
            for _ in range(3):
                started = time.monotonic()
                answer = client.get("/readyz")
                # The check's own limit, and slack for a machine busy with other tests (3.4 s
                # was seen in a loaded CI run); a hung store without the limit takes minutes.
                assert time.monotonic() - started < TIMEOUT + 2
                assert answer.json() == {"ready": False, "failing": ["object_store"]}
            checking = [t for t in threading.enumerate() if t.name.startswith("readiness")]
            assert len(checking) <= 3  # one per check at most, however many probes came


def test_readyz_names_the_schema_when_it_is_behind_the_code(tmp_path: Path) -> None:
    backends = connect(embedded_settings(tmp_path / "data"))
    try:
        with TestClient(create_app(backends)) as client:
            command.downgrade(alembic_config(backends.engine), "-1")
            behind = client.get("/readyz")
            assert (behind.status_code, behind.json()) == (
                503,
                {"ready": False, "failing": ["schema"]},
            )
            schema.migrate(backends.engine)
            assert client.get("/readyz").json() == {"ready": True}
    finally:
        backends.close()


def test_a_sealed_key_service_is_not_ready(
    tmp_path: Path, postgres_url: str, s3_server: S3Server
) -> None:
    """Sealed, OpenBao answers but serves no key: the archive cannot read, so it is unready."""
    with restartable_openbao(tmp_path / "bao") as (kms, bao, root):
        backends = connect(production_settings(tmp_path / "data", postgres_url, s3_server, kms))
        try:
            with TestClient(create_app(backends)) as client:
                assert client.get("/readyz").json() == {"ready": True}
                assert isinstance(root, hvac.Client)
                root.sys.seal()  # type: ignore[no-untyped-call]
                sealed = client.get("/readyz")
                assert (sealed.status_code, sealed.json()) == (
                    503,
                    {"ready": False, "failing": ["key_service"]},
                )
                bao.stop()
                bao.start()  # unseals it again
                _until_ready(client)
        finally:
            backends.close()
