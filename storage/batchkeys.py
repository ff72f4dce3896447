"""Batch keys: one key-service wrap serves the data keys of many uploads, each still its own.

Each version keeps a data key of its own. Under a key service, wrapping each one costs a round
trip per upload; here a random batch key is wrapped once by the customer's key-encryption key
and then wraps the data keys of that customer's uploads for a short while, locally, with
AES-256-GCM bound to the version's context. The stored form is
`dgb:<base64 nonce ‖ wrapped data key>:<batch key as the key service wrapped it>`.

Invariants: a batch key wraps data keys for one key-encryption key only, so destroying that key
in the key service still makes every data key under it unreadable (crypto-shredding is no
coarser than before); it wraps at most `max_uses` data keys and for at most `max_age` seconds
after the key service wrapped it (the bounds of the AWS Encryption SDK's caching materials
manager; a byte bound has nothing to count, since a batch key encrypts only 32-byte keys), and
lives in this process's memory only; rotating a key ends its batch. A wrapped data key copied
onto another row or customer does not unwrap: the row's context and the key name are its AAD.
With no bounds given, every data key is wrapped by the key service itself, as before; keys in
either form unwrap either way.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from storage.crypto import new_data_key, unwrap_key, wrap_key
from storage.errors import IntegrityError
from storage.keys import KeyProvider

_SCHEME = "dgb"
# The key service's context for batch keys: a batch belongs to no single version.
_BATCH_CONTEXT = b"dangan-batch-key"


@dataclass(frozen=True)
class BatchBounds:
    """How long and for how many data keys one batch key may be used."""

    max_age: float  # seconds
    max_uses: int
    max_entries: int  # customers with a batch under way at once


@dataclass
class _Batch:
    key: bytes
    wrapped: str
    expires: float
    uses: int = 0


class BatchingKeyProvider:
    """A key provider that wraps data keys under short-lived batch keys."""

    def __init__(
        self,
        provider: KeyProvider,
        bounds: BatchBounds | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._provider = provider
        self._bounds = bounds
        self._clock = clock
        self._batches: OrderedDict[str, _Batch] = OrderedDict()
        self._lock = threading.Lock()

    def create_key(self, name: str) -> None:
        """Create the named key in the key service."""
        self._provider.create_key(name)

    def wrap(self, name: str, data_key: bytes, context: bytes) -> str:
        """Wrap under the name's current batch key (or the key service itself, unbounded)."""
        if self._bounds is None:
            return self._provider.wrap(name, data_key, context)
        batch = self._batch(name, self._bounds)
        sealed = wrap_key(batch.key, data_key, _aad(name, context))
        return f"{_SCHEME}:{base64.b64encode(sealed).decode()}:{batch.wrapped}"

    def unwrap(self, name: str, wrapped: str, context: bytes) -> bytes:
        """The data key: its batch key from the key service, then the local unwrap."""
        if not wrapped.startswith(f"{_SCHEME}:"):
            return self._provider.unwrap(name, wrapped, context)
        sealed, batch_wrapped = _parts(wrapped)
        batch_key = self._provider.unwrap(name, batch_wrapped, _BATCH_CONTEXT)
        return unwrap_key(batch_key, sealed, _aad(name, context))

    def rotate(self, name: str) -> int:
        """Rotate in the key service; the name's batch ends, so new wraps use the new version."""
        self._forget(name)
        try:
            return self._provider.rotate(name)
        finally:
            self._forget(name)  # a batch begun during the rotation may hold the old version

    def retire(self, name: str, below: int) -> None:
        """Destroy old versions in the key service; the name's batch ends first."""
        self._forget(name)
        self._provider.retire(name, below)

    def rewrap(self, name: str, wrapped: str, context: bytes) -> str:
        """Rewrap under the latest key version; for a batch form, only its batch key part."""
        if not wrapped.startswith(f"{_SCHEME}:"):
            return self._provider.rewrap(name, wrapped, context)
        sealed, batch_wrapped = _parts(wrapped)
        rewrapped = self._provider.rewrap(name, batch_wrapped, _BATCH_CONTEXT)
        return f"{_SCHEME}:{base64.b64encode(sealed).decode()}:{rewrapped}"

    def key_version(self, wrapped: str) -> int:
        """The key version that wrapped the data key, or its batch key."""
        if wrapped.startswith(f"{_SCHEME}:"):
            wrapped = _parts(wrapped)[1]
        return self._provider.key_version(wrapped)

    def check(self) -> None:
        """Ask the key service itself: batch keys still held do not make it ready."""
        self._provider.check()

    def latest_version(self, name: str) -> int:
        """The newest version of the named key, from the key service."""
        return self._provider.latest_version(name)

    def clear(self) -> None:
        """End every batch: the next upload of each customer asks the key service again."""
        with self._lock:
            self._batches.clear()

    def _batch(self, name: str, bounds: BatchBounds) -> _Batch:
        with self._lock:
            self._drop_expired()
            batch = self._batches.get(name)
            if batch is not None and batch.uses < bounds.max_uses:
                batch.uses += 1
                return batch
        # The key service is asked outside the lock: one slow wrap must not stall other customers.
        key = new_data_key()
        wrapped = self._provider.wrap(name, key, _BATCH_CONTEXT)
        batch = _Batch(key, wrapped, self._clock() + bounds.max_age, uses=1)
        with self._lock:
            self._batches.pop(name, None)
            self._batches[name] = batch  # the newest last, so the oldest leave first
            while len(self._batches) > bounds.max_entries:
                self._batches.popitem(last=False)
        return batch

    def _drop_expired(self) -> None:
        # Batches are kept in the order they began and all live equally long, so the expired
        # ones are at the front: any customer's next upload clears them, not only their own's.
        now = self._clock()
        while self._batches and next(iter(self._batches.values())).expires <= now:
            self._batches.popitem(last=False)

    def _forget(self, name: str) -> None:
        with self._lock:
            self._batches.pop(name, None)


def _parts(wrapped: str) -> tuple[bytes, str]:
    """The locally wrapped data key and the batch key as the key service wrapped it."""
    _, encoded, batch_wrapped = [*wrapped.split(":", 2), "", ""][:3]
    try:
        sealed = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise IntegrityError("wrapped data key is malformed") from None
    if not batch_wrapped:
        raise IntegrityError("wrapped data key is malformed")
    return sealed, batch_wrapped


def _aad(name: str, context: bytes) -> bytes:
    # The key name is bound too, so a wrapped key cannot be presented under another customer.
    return b"dgb\0" + name.encode() + b"\0" + context
