"""Object stores: the protocol every store implements, and the factory.

Invariants: `put` makes an object visible only once it is complete (a failed put leaves no
object, or nothing a reader could take for one, and what it leaves is listed by `leftovers`
for the fixity check); keys carry ids only, never personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol

from storage.config import StorageSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ObjectInfo:
    """What the store knows of one object."""

    key: str
    size: int
    modified_at: datetime


@dataclass(frozen=True)
class Leftover:
    """What a put that never finished left in the store: a partial file, an unfinished upload."""

    key: str  # the object it was to become
    started_at: datetime
    handle: str  # the store's own name for it: a partial file's path, a multipart upload id


class ObjectStore(Protocol):
    """Stores opaque (already encrypted) byte streams under keys."""

    def put(self, key: str, data: BinaryIO) -> int:
        """Read `data` to EOF into the object `key`; return the number of bytes stored."""

    def get(self, key: str, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        """Stream the object's bytes from `offset`, `length` bytes or to the end."""

    def stat(self, key: str) -> ObjectInfo:
        """Size and time of one object; raises ObjectNotFound."""

    def delete(self, key: str) -> None:
        """Remove the object; removing an absent object is not an error."""

    def purge(self, key: str) -> datetime | None:
        """Remove every stored version of the object, for disposal; returns None when gone, or
        the time until which the store's Object Lock keeps a version it refused to remove."""

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object whose key starts with `prefix`."""

    def leftovers(self, prefix: str) -> Iterator[Leftover]:
        """Pieces of unfinished puts of keys under `prefix`; they are never listed as objects."""

    def discard(self, leftover: Leftover) -> None:
        """Remove the pieces of an unfinished put; removing absent ones is not an error."""

    def check(self) -> None:
        """Raise BackendUnavailable unless the store answers (one request, reading nothing)."""


def object_store(settings: StorageSettings) -> ObjectStore:
    """S3 through the minio SDK when `DANGAN_S3_ENDPOINT` is set, else the local directory."""
    if settings.s3_endpoint:
        from storage.s3store import Lock, S3ObjectStore

        if settings.s3_access_key is None or settings.s3_secret_key is None:
            raise ValueError("DANGAN_S3_ACCESS_KEY and DANGAN_S3_SECRET_KEY are required")
        mode, days = settings.s3_object_lock, settings.s3_object_lock_days
        store = S3ObjectStore(
            endpoint=settings.s3_endpoint,
            access_key=settings.s3_access_key.get_secret_value(),
            secret_key=settings.s3_secret_key.get_secret_value(),
            bucket=settings.s3_bucket,
            secure=settings.s3_secure,
            lock=None if mode == "off" else Lock(mode, days),
        )
        store.ensure_bucket()
        return store
    if settings.s3_object_lock != "off":
        raise ValueError("DANGAN_S3_OBJECT_LOCK needs an S3 store (DANGAN_S3_ENDPOINT)")
    from storage.localstore import LocalObjectStore

    logger.info("object store: local directory (single machine, no replication)")
    return LocalObjectStore(settings.data_dir / "objects")
