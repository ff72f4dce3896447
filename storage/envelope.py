"""Sealing document versions into the object store and opening them again.

Invariants: the data key is wrapped before any byte is stored, so a key-service failure stores
nothing; the object is stored before any row refers to it, and a failed store leaves no object;
the plaintext is never written anywhere; bytes are released only after their segment verifies.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from storage.crypto import EncryptingReader, ObjectHeader, decrypt, new_data_key
from storage.keycache import unwrap_for
from storage.keys import KeyProvider, customer_key_name
from storage.models import DocumentVersion
from storage.objects import ObjectStore


@dataclass(frozen=True)
class Sealed:
    """Where and how one version was stored, as its row must record it."""

    object_key: str
    key_name: str
    wrapped_key: str
    ciphertext_size: int
    ciphertext_sha256: str


def object_key(document_id: uuid.UUID, version: int) -> str:
    """The object key of a version: ids only, no personal data."""
    return f"docs/{document_id}/{version}"


def wrap_context(document_id: uuid.UUID, version: int) -> bytes:
    """Binds a wrapped data key to its version, so it cannot be moved to another row."""
    return f"{document_id}/{version}".encode()


def object_header(
    customer_id: uuid.UUID, document_id: uuid.UUID, version: int, media_type: str
) -> ObjectHeader:
    """The authenticated header of a version's object."""
    return ObjectHeader(
        customer_id=str(customer_id),
        document_id=str(document_id),
        version=version,
        key_id=customer_key_name(str(customer_id)),
        media_type=media_type,
    )


class _Tally:
    """Counts and hashes the ciphertext as the store reads it, for the fixity check."""

    def __init__(self, source: EncryptingReader) -> None:
        self._source = source
        self.size = 0
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self.size += len(chunk)
        self.sha256.update(chunk)
        return chunk


def seal(store: ObjectStore, keys: KeyProvider, header: ObjectHeader, source: BinaryIO) -> Sealed:
    """Encrypt `source` under a new data key and store it; returns what the row must record."""
    document_id, version = uuid.UUID(header.document_id), header.version
    data_key = new_data_key()
    wrapped = keys.wrap(header.key_id, data_key, wrap_context(document_id, version))
    key = object_key(document_id, version)
    tally = _Tally(EncryptingReader(source, data_key, header))
    try:
        store.put(key, tally)  # type: ignore[arg-type]  # put needs only read()
    except BaseException:
        store.delete(key)
        raise
    return Sealed(key, header.key_id, wrapped, tally.size, tally.sha256.hexdigest())


def unseal(
    store: ObjectStore,
    keys: KeyProvider,
    row: DocumentVersion,
    start: int = 0,
    end: int | None = None,
) -> Iterator[bytes]:
    """The verified plaintext bytes [start, end) of a stored version."""
    header = object_header(row.customer_id, row.document_id, row.version, row.media_type)
    context = wrap_context(row.document_id, row.version)
    end_at = row.size if end is None else end
    size = max(min(end_at, row.size) - start, 0)  # what this read decrypts, for the cache bounds
    data_key = unwrap_for(keys, row.key_name, row.wrapped_key, context, size)
    key = row.object_key

    def fetch(offset: int, length: int) -> Iterable[bytes]:
        return store.get(key, offset, length)

    return decrypt(data_key, header, fetch, row.size, start, end)
