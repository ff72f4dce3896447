"""A short-lived in-memory cache of unwrapped data keys, in front of a key provider.

It saves the key service's round trip when a version is read again soon, within the bounds of
the AWS Encryption SDK's caching materials manager. Invariants: an entry serves at most
`max_uses` reads and `max_bytes` of plaintext, for at most `max_age` seconds after its key was
unwrapped (or wrapped), and at most `max_entries` entries are held (the least recently used
leaves first); entries live in this process's memory only, never logged or written anywhere;
an entry is found only under the exact key name, wrapped key and context it was made with, so
a wrong context always goes to the key service and is refused there; rotating a key empties
the cache; when the key service is down, a key not cached fails as before. Wrapping is never
cached: every version still gets a data key of its own, bound to it by the wrap context.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from storage.batchkeys import BatchingKeyProvider
from storage.keys import KeyProvider


@dataclass(frozen=True)
class CacheBounds:
    """How long and how much one cached data key may serve, and how many are held."""

    max_age: float  # seconds
    max_uses: int
    max_bytes: int
    max_entries: int


@dataclass
class _Entry:
    data_key: bytes
    expires: float
    uses: int
    bytes: int


class CachingKeyProvider:
    """A key provider that remembers unwrapped data keys within `CacheBounds`."""

    def __init__(
        self,
        provider: KeyProvider,
        bounds: CacheBounds,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._provider = provider
        self._bounds = bounds
        self._clock = clock
        self._entries: OrderedDict[tuple[str, str, bytes], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def check(self) -> None:
        """Ask the key service itself: a cache that still serves does not make it ready."""
        self._provider.check()

    def create_key(self, name: str) -> None:
        """Create the named key in the key service."""
        self._provider.create_key(name)

    def wrap(self, name: str, data_key: bytes, context: bytes) -> str:
        """Wrap in the key service; the new key is remembered for its first reads."""
        wrapped = self._provider.wrap(name, data_key, context)
        self._remember((name, wrapped, context), data_key, uses=0, size=0)
        return wrapped

    def unwrap(self, name: str, wrapped: str, context: bytes) -> bytes:
        """A data key for one read of unknown length: always from the key service."""
        return self._provider.unwrap(name, wrapped, context)

    def unwrap_for(self, name: str, wrapped: str, context: bytes, size: int) -> bytes:
        """A data key to decrypt `size` bytes with: cached within the bounds, else unwrapped."""
        found = (name, wrapped, context)
        with self._lock:
            entry = self._entries.pop(found, None)
            if entry is not None and self._allows(entry, size):
                entry.uses += 1
                entry.bytes += size
                self._entries[found] = entry  # now the most recently used
                return entry.data_key
        data_key = self._provider.unwrap(name, wrapped, context)
        self._remember(found, data_key, uses=1, size=size)
        return data_key

    def rotate(self, name: str) -> int:
        """Rotate in the key service, and forget every cached key."""
        self.clear()
        try:
            return self._provider.rotate(name)
        finally:
            self.clear()  # reads that ran during the rotation do not outlive it

    def retire(self, name: str, below: int) -> None:
        """Destroy old versions in the key service; every cached key is forgotten first."""
        self.clear()
        self._provider.retire(name, below)

    def rewrap(self, name: str, wrapped: str, context: bytes) -> str:
        """Rewrap in the key service; the old wrapped key's entry is forgotten."""
        with self._lock:
            self._entries.pop((name, wrapped, context), None)
        return self._provider.rewrap(name, wrapped, context)

    def key_version(self, wrapped: str) -> int:
        """The key version a wrapped key was made with."""
        return self._provider.key_version(wrapped)

    def latest_version(self, name: str) -> int:
        """The newest version of the named key, from the key service."""
        return self._provider.latest_version(name)

    def clear(self) -> None:
        """Forget every cached data key, and end the batches of the provider underneath."""
        with self._lock:
            self._entries.clear()
        if isinstance(self._provider, BatchingKeyProvider):
            self._provider.clear()

    def _allows(self, entry: _Entry, size: int) -> bool:
        bounds = self._bounds
        return (
            self._clock() < entry.expires
            and entry.uses < bounds.max_uses
            and entry.bytes + size <= bounds.max_bytes
        )

    def _remember(
        self, found: tuple[str, str, bytes], data_key: bytes, *, uses: int, size: int
    ) -> None:
        bounds = self._bounds
        if uses >= bounds.max_uses or size > bounds.max_bytes or bounds.max_entries < 1:
            return
        entry = _Entry(data_key, self._clock() + bounds.max_age, uses, size)
        with self._lock:
            self._entries.pop(found, None)
            self._entries[found] = entry
            while len(self._entries) > bounds.max_entries:
                self._entries.popitem(last=False)


def unwrap_for(keys: KeyProvider, name: str, wrapped: str, context: bytes, size: int) -> bytes:
    """The data key to decrypt `size` bytes of a version with, from the cache where there is one."""
    if isinstance(keys, CachingKeyProvider):
        return keys.unwrap_for(name, wrapped, context, size)
    return keys.unwrap(name, wrapped, context)
