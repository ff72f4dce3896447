"""Objects in an S3 server (SeaweedFS, Ceph RGW, MinIO, AWS) through the minio SDK."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import BinaryIO, Literal

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, GOVERNANCE
from minio.error import MinioException, S3Error
from minio.retention import Retention

from storage.errors import BackendUnavailable, ObjectNotFound
from storage.objects import Leftover, ObjectInfo

PART_SIZE = 8 << 20  # SeaweedFS took 8 MiB parts 1.5x as fast as 16 MiB ones (BENCHMARKS.md)
CHUNK = 1 << 20
_MISSING = {"NoSuchKey", "NoSuchObject", "ResourceNotFound"}
SERVICE = "the object store"
logger = logging.getLogger(__name__)


@contextmanager
def _object_store(key: str) -> Iterator[None]:
    """Maps the store's failures to domain errors; never passes its messages through."""
    try:
        yield
    except S3Error as error:
        if error.code in _MISSING:
            raise ObjectNotFound(f"object {key} is missing") from None
        logger.warning("object store refused a request: %s", error.code)
        raise BackendUnavailable(SERVICE) from None
    except (MinioException, urllib3.exceptions.HTTPError, OSError) as error:
        logger.warning("object store unavailable: %s", type(error).__name__)
        raise BackendUnavailable(SERVICE) from None


class _Locked(Exception):
    """The store refused to remove a version its Object Lock retention still keeps."""


@dataclass(frozen=True)
class Lock:
    """S3 Object Lock: the mode and the days each object is kept from its writing."""

    mode: Literal["governance", "compliance"]
    days: int

    def retention(self) -> Retention:
        """The retention of an object written now."""
        until = datetime.now(UTC) + timedelta(days=self.days)
        return Retention(GOVERNANCE if self.mode == "governance" else COMPLIANCE, until)


class _Counted:
    """Counts the bytes the SDK reads."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self.size += len(chunk)
        return chunk


class S3ObjectStore:
    """One bucket of an S3 server; constructing it does no I/O."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool = True,
        lock: Lock | None = None,
    ) -> None:
        # Short connect timeout and few, quick retries: an unreachable store must fail the
        # request with 503 within seconds, not hold a worker for minutes.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=3, read=30),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[502, 503, 504]),
            maxsize=32,
        )
        self._client = Minio(
            endpoint=endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region="us-east-1",
            http_client=http,
        )
        self._bucket = bucket
        self._lock = lock

    def ensure_bucket(self) -> None:
        """Create the bucket if it is missing; called once at start, so a bad setup shows early.

        Under Object Lock the bucket is made with it; an existing bucket without it is refused,
        since S3 cannot add it later and writing unlocked objects would break the promise."""
        with _object_store(self._bucket):
            if not self._client.bucket_exists(bucket_name=self._bucket):
                locked = self._lock is not None
                self._client.make_bucket(bucket_name=self._bucket, object_lock=locked)
                return
            if self._lock is None:
                return
            try:
                self._client.get_object_lock_config(bucket_name=self._bucket)
            except S3Error as error:
                if error.code != "ObjectLockConfigurationNotFoundError":
                    raise
                raise ValueError(
                    f"DANGAN_S3_OBJECT_LOCK is set but bucket {self._bucket} was made without "
                    "Object Lock: use a new bucket (docs/operations.md)"
                ) from None

    def check(self) -> None:
        """Raise BackendUnavailable unless the bucket answers (one HEAD request)."""
        with _object_store(self._bucket):
            found = self._client.bucket_exists(bucket_name=self._bucket)
        if not found:
            raise BackendUnavailable(SERVICE)

    def put(self, key: str, data: BinaryIO) -> int:
        """Multipart upload of unknown length; the SDK aborts the upload if reading fails."""
        counted = _Counted(data)
        with _object_store(key):
            self._client.put_object(
                bucket_name=self._bucket,
                object_name=key,
                data=counted,  # type: ignore[arg-type]  # the SDK only calls read()
                length=-1,
                part_size=PART_SIZE,
                content_type="application/octet-stream",
                retention=self._lock.retention() if self._lock else None,
            )
        return counted.size

    def get(self, key: str, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        """Stream a byte range; the request is sent at once, so a missing object fails here."""
        with _object_store(key):
            response = self._client.get_object(
                bucket_name=self._bucket, object_name=key, offset=offset, length=length or 0
            )
        return self._stream(key, response)

    @staticmethod
    def _stream(key: str, response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
        try:
            with _object_store(key):
                yield from response.stream(CHUNK)
        finally:
            response.close()
            response.release_conn()

    def stat(self, key: str) -> ObjectInfo:
        """Size and time from a HEAD request."""
        with _object_store(key):
            found = self._client.stat_object(bucket_name=self._bucket, object_name=key)
        # S3 always sends Last-Modified on HEAD; the SDK's type merely allows its absence.
        return ObjectInfo(key, int(found.size or 0), found.last_modified)  # type: ignore[arg-type]

    def delete(self, key: str) -> None:
        """S3 deletes are idempotent."""
        with _object_store(key):
            self._client.remove_object(bucket_name=self._bucket, object_name=key)

    def purge(self, key: str) -> datetime | None:
        """Remove each version of the object (delete markers too); a version under Object Lock
        is refused by the store and stays, hidden behind a delete marker, until its retention
        ends, which is returned (the latest of them)."""
        kept: list[datetime] = []
        with _object_store(key):
            found = self._client.list_objects(
                bucket_name=self._bucket, prefix=key, include_version=True
            )
            versions = [v.version_id for v in found if v.object_name == key]
        for version in versions:
            try:
                with _object_store(key):
                    self._remove(key, version)
            except _Locked:
                kept.append(self._retained_until(key, version))
        if kept:
            self.delete(key)  # hidden from every listing and read until the lock ends
        return max(kept, default=None)

    def _remove(self, key: str, version: str | None) -> None:
        try:
            self._client.remove_object(
                bucket_name=self._bucket, object_name=key, version_id=version
            )
        except S3Error as error:
            if error.code == "AccessDenied" and self._lock is not None:
                raise _Locked from None
            raise

    def _retained_until(self, key: str, version: str | None) -> datetime:
        with _object_store(key):
            retention = self._client.get_object_retention(
                bucket_name=self._bucket, object_name=key, version_id=version
            )
        until = retention.retain_until_date if retention else None
        # A refusal without a retention the store will tell is kept as long as any lock lasts.
        return until or datetime.now(UTC) + timedelta(days=self._lock.days if self._lock else 0)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object under `prefix`."""
        with _object_store(prefix):
            for found in self._client.list_objects(
                bucket_name=self._bucket, prefix=prefix, recursive=True
            ):
                yield ObjectInfo(str(found.object_name), int(found.size or 0), found.last_modified)

    def leftovers(self, prefix: str) -> Iterator[Leftover]:
        """Multipart uploads never completed nor aborted (the abort failed, or the process died)."""
        key_marker = upload_marker = None
        while True:
            with _object_store(prefix):
                # The SDK has the call but not as public API; the S3 request is standard.
                page = self._client._list_multipart_uploads(
                    bucket_name=self._bucket,
                    prefix=prefix,
                    key_marker=key_marker,
                    upload_id_marker=upload_marker,
                )
            for upload in page.uploads:
                key, upload_id = str(upload.object_name), str(upload.upload_id)
                written = self._last_written(key, upload_id, upload.initiated_time)
                yield Leftover(key, written, upload_id)
            if not page.is_truncated or not page.uploads:
                return
            key_marker, upload_marker = page.uploads[-1].object_name, page.uploads[-1].upload_id

    def _last_written(self, key: str, upload_id: str, initiated: datetime | None) -> datetime:
        # A slow upload started long ago may still be sending: its age is its latest part's.
        # An upload of unknown age counts as new, so one in flight is never aborted.
        with _object_store(key):
            parts = self._client._list_parts(
                bucket_name=self._bucket, object_name=key, upload_id=upload_id, max_parts=1000
            ).parts
        times = [part.last_modified for part in parts if part.last_modified is not None]
        return max([initiated or datetime.now(UTC), *times])

    def discard(self, leftover: Leftover) -> None:
        """Abort the multipart upload, dropping its parts; an upload already gone is fine."""
        with _object_store(leftover.key):
            try:
                self._client._abort_multipart_upload(
                    bucket_name=self._bucket, object_name=leftover.key, upload_id=leftover.handle
                )
            except S3Error as error:
                if error.code != "NoSuchUpload":
                    raise
