"""One contract for every object store, run against the local directory and real SeaweedFS."""

from __future__ import annotations

import io
import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from minio import Minio
from minio.error import S3Error

from storage.config import StorageSettings
from storage.errors import BackendUnavailable, ObjectNotFound
from storage.localstore import LocalObjectStore
from storage.objects import ObjectStore, object_store
from storage.s3store import PART_SIZE, Lock, S3ObjectStore
from tests.servers import S3Server, free_port


@pytest.fixture(params=["local", "seaweedfs", "seaweedfs, object lock"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """An empty store of each kind; the contract holds under Object Lock too."""
    if request.param == "local":
        return LocalObjectStore(tmp_path / "objects")
    server: S3Server = request.getfixturevalue("s3_server")
    lock = Lock("governance", 1) if request.param.endswith("lock") else None
    return _s3(server, f"contract-{secrets.token_hex(4)}", lock)


def _s3(server: S3Server, bucket: str, lock: Lock | None = None) -> S3ObjectStore:
    s3 = S3ObjectStore(
        endpoint=server.endpoint,
        access_key=server.access_key,
        secret_key=server.secret_key,
        bucket=bucket,
        secure=False,
        lock=lock,
    )
    s3.ensure_bucket()
    return s3


def _raw(server: S3Server) -> Minio:
    """A plain S3 client, as anyone holding the store's credentials would use."""
    return Minio(
        endpoint=server.endpoint,
        access_key=server.access_key,
        secret_key=server.secret_key,
        secure=False,
    )


class Failing(io.RawIOBase):
    """A source that breaks after `good` bytes, as a dropped upload does."""

    def __init__(self, good: int) -> None:
        self._left = good

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            raise ConnectionResetError("client went away")
        size = min(len(buffer), self._left, 1 << 20)
        buffer[:size] = b"x" * size
        self._left -= size
        return size


def read(store: ObjectStore, key: str, offset: int = 0, length: int | None = None) -> bytes:
    """All the bytes a get yields."""
    return b"".join(store.get(key, offset, length))


def test_what_is_put_comes_back_byte_exact(store: ObjectStore) -> None:
    data = os.urandom(PART_SIZE + 12345)  # more than one multipart part
    assert store.put("docs/a/1", io.BytesIO(data)) == len(data)
    assert read(store, "docs/a/1") == data
    assert store.stat("docs/a/1").size == len(data)


def test_an_empty_object(store: ObjectStore) -> None:
    assert store.put("docs/a/1", io.BytesIO(b"")) == 0
    assert read(store, "docs/a/1") == b""


@pytest.mark.parametrize(("offset", "length"), [(0, 1), (5, 10), (999, None), (0, 1000), (998, 2)])
def test_ranges(store: ObjectStore, offset: int, length: int | None) -> None:
    data = os.urandom(1000)
    store.put("docs/a/1", io.BytesIO(data))
    end = None if length is None else offset + length
    assert read(store, "docs/a/1", offset, length) == data[offset:end]


def test_put_replaces(store: ObjectStore) -> None:
    store.put("docs/a/1", io.BytesIO(b"first"))
    store.put("docs/a/1", io.BytesIO(b"second"))
    assert read(store, "docs/a/1") == b"second"


def test_a_failed_put_leaves_no_object(store: ObjectStore) -> None:
    with pytest.raises((ConnectionResetError, BackendUnavailable)):
        store.put("docs/a/1", Failing(good=PART_SIZE + 10))  # type: ignore[arg-type]
    assert list(store.list("docs/")) == []
    with pytest.raises(ObjectNotFound):
        store.stat("docs/a/1")


def test_missing_objects(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFound):
        store.stat("docs/none/1")
    with pytest.raises(ObjectNotFound):
        read(store, "docs/none/1")
    store.delete("docs/none/1")  # deleting what is absent is no error


def test_delete_and_list(store: ObjectStore) -> None:
    for key in ("docs/a/1", "docs/a/2", "docs/b/1", "other/x"):
        store.put(key, io.BytesIO(key.encode()))
    assert sorted(found.key for found in store.list("docs/")) == [
        "docs/a/1",
        "docs/a/2",
        "docs/b/1",
    ]
    store.delete("docs/a/2")
    assert sorted(found.key for found in store.list("docs/a/")) == ["docs/a/1"]
    assert all(found.modified_at.tzinfo is not None for found in store.list(""))


def test_local_keys_cannot_leave_the_root(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    for key in ("../escape", "/etc/passwd", "docs/../../x", ""):
        with pytest.raises(ValueError, match="object key"):
            store.put(key, io.BytesIO(b"x"))


def test_an_unreachable_store_is_unavailable() -> None:
    with pytest.raises(BackendUnavailable):
        S3ObjectStore(
            endpoint=f"127.0.0.1:{free_port()}",
            access_key="a",
            secret_key="b",
            bucket="dangan",
            secure=False,
        ).ensure_bucket()


def test_wrong_credentials_are_unavailable(s3_server: S3Server) -> None:
    with pytest.raises(BackendUnavailable):
        S3ObjectStore(
            endpoint=s3_server.endpoint,
            access_key=s3_server.access_key,
            secret_key="wrong",
            bucket="dangan",
            secure=False,
        ).ensure_bucket()


@pytest.mark.parametrize("mode", ["governance", "compliance"])
def test_objects_under_object_lock_cannot_be_removed_before_their_retention(
    s3_server: S3Server, mode: str
) -> None:
    bucket = f"locked-{secrets.token_hex(4)}"
    store = _s3(s3_server, bucket, Lock(mode, 30))  # type: ignore[arg-type]
    store.put("docs/a/1", io.BytesIO(b"kept" * 1000))
    raw = _raw(s3_server)
    retention = raw.get_object_retention(bucket_name=bucket, object_name="docs/a/1")
    assert retention is not None
    assert retention.mode == mode.upper()
    kept_until = retention.retain_until_date
    assert kept_until is not None
    assert abs(kept_until - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)
    version = raw.stat_object(bucket_name=bucket, object_name="docs/a/1").version_id
    # Whoever holds the store's credentials cannot remove the stored bytes early.
    with pytest.raises(S3Error, match="AccessDenied"):
        raw.remove_object(bucket_name=bucket, object_name="docs/a/1", version_id=version)
    # Dangan's own delete (an upload rolled back, an orphan) hides the object and the locked
    # version stays until its retention ends.
    store.delete("docs/a/1")
    assert list(store.list("docs/")) == []
    kept = raw.get_object(bucket_name=bucket, object_name="docs/a/1", version_id=version)
    assert kept.read() == b"kept" * 1000


def test_object_lock_refuses_a_bucket_made_without_it(s3_server: S3Server) -> None:
    bucket = f"plain-{secrets.token_hex(4)}"
    _s3(s3_server, bucket)
    with pytest.raises(ValueError, match="made without Object Lock"):
        _s3(s3_server, bucket, Lock("compliance", 1))


def test_object_lock_needs_an_s3_store(tmp_path: Path) -> None:
    settings = StorageSettings(data_dir=tmp_path, s3_object_lock="governance")
    with pytest.raises(ValueError, match="needs an S3 store"):
        object_store(settings)


def test_purging_removes_the_object_or_says_until_when_its_lock_keeps_it(
    store: ObjectStore,
) -> None:
    store.put("docs/p/1", io.BytesIO(b"doomed" * 1000))
    store.put("docs/p/2", io.BytesIO(b"kept" * 1000))

    kept_until = store.purge("docs/p/1")

    assert [o.key for o in store.list("docs/")] == ["docs/p/2"]
    with pytest.raises(ObjectNotFound):
        store.stat("docs/p/1")
    locked = isinstance(store, S3ObjectStore) and store._lock is not None
    if locked:  # the fixture's governance lock of one day
        assert kept_until is not None
        assert abs(kept_until - (datetime.now(UTC) + timedelta(days=1))) < timedelta(minutes=5)
    else:
        assert kept_until is None
    assert store.purge("docs/p/absent") is None


def test_purging_leaves_no_version_behind_where_no_lock_holds(s3_server: S3Server) -> None:
    bucket = f"versioned-{secrets.token_hex(4)}"
    raw = _raw(s3_server)
    raw.make_bucket(bucket_name=bucket, object_lock=True)  # versioned, as a locked bucket is
    store = _s3(s3_server, bucket)  # whose objects are written without a retention
    store.put("docs/v/1", io.BytesIO(b"first" * 1000))
    store.put("docs/v/1", io.BytesIO(b"second" * 1000))
    store.delete("docs/v/1")  # a delete marker over both

    assert store.purge("docs/v/1") is None

    left = raw.list_objects(
        bucket_name=bucket, prefix="docs/", include_version=True, recursive=True
    )
    assert list(left) == []
