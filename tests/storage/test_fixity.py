"""The fixity check sees, and after the grace period removes, what unfinished puts left behind."""

from __future__ import annotations

import io
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from storage import fixity
from storage.db import make_engine, migrate, session_factory, unit_of_work
from storage.errors import ObjectNotFound
from storage.localstore import LocalObjectStore
from storage.objects import ObjectStore
from storage.s3store import PART_SIZE, S3ObjectStore
from tests.servers import S3Server

# Puts what arrives on stdin, as an upload in flight does, until the test kills the process.
_PUT = """
import os, sys
from pathlib import Path
from storage.localstore import LocalObjectStore
from storage.s3store import S3ObjectStore
kind, where, key = sys.argv[1:]
if kind == "local":
    store = LocalObjectStore(Path(where))
else:
    endpoint, bucket = where.split("/")
    store = S3ObjectStore(endpoint, os.environ["KEY"], os.environ["SECRET"], bucket, secure=False)
store.put(key, sys.stdin.buffer)
"""


@pytest.fixture(params=["local", "seaweedfs"])
def store_argv(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[ObjectStore, list[str]]:
    """An empty store of each kind, and how a child process opens the same store."""
    if request.param == "local":
        root = tmp_path / "objects"
        return LocalObjectStore(root), ["local", str(root)]
    server: S3Server = request.getfixturevalue("s3_server")
    bucket = f"fixity-{secrets.token_hex(4)}"
    s3 = S3ObjectStore(server.endpoint, server.access_key, server.secret_key, bucket, secure=False)
    s3.ensure_bucket()
    return s3, ["s3", f"{server.endpoint}/{bucket}"]


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A session on an empty archive (no versions: every object is unreferenced)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'fixity.db'}")
    migrate(engine)
    with unit_of_work(session_factory(engine)) as found:
        yield found
    engine.dispose()


def _killed_mid_put(store: ObjectStore, argv: list[str], key: str, s3: S3Server | None) -> None:
    """Start a put in another process and kill it (SIGKILL: no clean-up runs) part-way."""
    env = {**os.environ, "KEY": s3.access_key if s3 else "", "SECRET": s3.secret_key if s3 else ""}
    child = subprocess.Popen(
        [sys.executable, "-c", _PUT, *argv, key], stdin=subprocess.PIPE, env=env
    )
    assert child.stdin is not None
    try:
        child.stdin.write(os.urandom(PART_SIZE + 1))  # one whole part of a multipart upload
        child.stdin.flush()
        deadline = time.monotonic() + 30
        while not list(store.leftovers("docs/")) and time.monotonic() < deadline:
            assert child.poll() is None, "the put ended before it was killed"
            time.sleep(0.2)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdin.close()


def test_an_upload_killed_mid_way_is_reported_then_removed(
    store_argv: tuple[ObjectStore, list[str]], session: Session, request: pytest.FixtureRequest
) -> None:
    store, argv = store_argv
    s3 = request.getfixturevalue("s3_server") if argv[0] == "s3" else None
    _killed_mid_put(store, argv, "docs/d1/1", s3)
    assert [found.key for found in store.leftovers("docs/")] == ["docs/d1/1"]
    assert list(store.list("docs/")) == []  # never taken for an object

    young = fixity.check(session, store, grace=timedelta(hours=1))
    assert young.unfinished_recent == ["docs/d1/1"]  # could still be in flight: left alone
    assert young.unfinished_removed == []
    assert [found.key for found in store.leftovers("docs/")] == ["docs/d1/1"]

    old = fixity.check(session, store, grace=timedelta(0))
    assert old.unfinished_removed == ["docs/d1/1"]
    assert list(store.leftovers("docs/")) == []
    assert old.healthy  # cleaned up, nothing lost
    store.put("docs/d1/1", io.BytesIO(b"the retry"))  # the key is free for the retried upload
    assert b"".join(store.get("docs/d1/1")) == b"the retry"


def test_a_finished_put_is_no_leftover(store_argv: tuple[ObjectStore, list[str]]) -> None:
    store, _ = store_argv
    store.put("docs/d1/1", io.BytesIO(os.urandom(1000)))
    assert list(store.leftovers("docs/")) == []


class Refused(io.RawIOBase):
    """An upload that is refused after some bytes (too large, client gone)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        raise ConnectionResetError("client went away")


def test_failed_puts_and_deletes_leave_no_empty_directories(tmp_path: Path) -> None:
    root = tmp_path / "objects"
    store = LocalObjectStore(root)
    with pytest.raises(ConnectionResetError):
        store.put("docs/refused/1", Refused())  # type: ignore[arg-type]
    store.put("docs/kept/1", io.BytesIO(b"one"))
    store.put("docs/kept/2", io.BytesIO(b"two"))
    store.delete("docs/kept/2")
    store.put("docs/gone/1", io.BytesIO(b"three"))
    store.delete("docs/gone/1")
    directories = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())
    assert directories == ["docs", "docs/kept"]
    assert root.is_dir()  # the root itself stays
    store.put("docs/gone/1", io.BytesIO(b"again"))  # a pruned directory is made again
    assert b"".join(store.get("docs/gone/1")) == b"again"
    with pytest.raises(ObjectNotFound):
        store.stat("docs/refused/1")


def test_a_slow_multipart_upload_still_sending_is_left_alone(
    s3_server: S3Server, session: Session
) -> None:
    bucket = f"fixity-{secrets.token_hex(4)}"
    store = S3ObjectStore(
        s3_server.endpoint, s3_server.access_key, s3_server.secret_key, bucket, secure=False
    )
    store.ensure_bucket()
    client = store._client
    upload_id = client._create_multipart_upload(bucket, "docs/slow/1", {})
    time.sleep(3)  # begun a while ago (longer than the grace period below) ...
    client._upload_part(bucket, "docs/slow/1", b"x" * 1024, None, upload_id, 1)  # ... sent now
    report = fixity.check(session, store, grace=timedelta(seconds=2))
    assert report.unfinished_recent == ["docs/slow/1"]
    assert [found.handle for found in store.leftovers("docs/")] == [upload_id]
