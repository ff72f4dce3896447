"""Key-encryption keys: the protocol every key provider implements, and the factory.

Invariants: data keys leave this layer only wrapped; a wrapped key names the key version that
wrapped it, so rotation adds a version and rewraps, and never needs the data re-encrypted; the
`context` given to wrap must be given again to unwrap (it binds a wrapped key to its document
version, so a wrapped key copied onto another row does not unwrap).
"""

from __future__ import annotations

from typing import Protocol

from storage.config import StorageSettings
from storage.errors import IntegrityError


class KeyProvider(Protocol):
    """Holds named key-encryption keys (one per customer) and wraps data keys with them."""

    def create_key(self, name: str) -> None:
        """Create the named key if it does not exist yet (idempotent)."""

    def wrap(self, name: str, data_key: bytes, context: bytes) -> str:
        """Encrypt a data key with the latest version of the named key."""

    def unwrap(self, name: str, wrapped: str, context: bytes) -> bytes:
        """Decrypt a wrapped data key; raises IntegrityError if it does not authenticate."""

    def rotate(self, name: str) -> int:
        """Add a new version of the named key and return its number; new wraps use it."""

    def rewrap(self, name: str, wrapped: str, context: bytes) -> str:
        """Re-encrypt a wrapped data key under the latest key version, without exposing it."""

    def key_version(self, wrapped: str) -> int:
        """The key version a wrapped key was made with."""

    def latest_version(self, name: str) -> int:
        """The newest version of the named key, the one new wraps and rewraps use."""

    def retire(self, name: str, below: int) -> None:
        """Destroy every version of the named key before `below`, for good: whatever they
        wrapped, in any copy of the database, opens nothing again (crypto-shredding)."""

    def check(self) -> None:
        """Raise BackendUnavailable unless the key service answers and can serve keys."""


def customer_key_name(customer_id: str) -> str:
    """The key-encryption key of one customer; names carry ids only, never personal data."""
    return f"customer-{customer_id}"


def key_provider(settings: StorageSettings) -> KeyProvider:
    """The configured key service with batch keys, behind the data-key cache unless turned off."""
    from storage.batchkeys import BatchBounds, BatchingKeyProvider

    batches = None
    if settings.key_batch_max_age > 0 and settings.key_cache_max_entries > 0:
        batches = BatchBounds(
            max_age=settings.key_batch_max_age,
            max_uses=settings.key_batch_max_uses,
            max_entries=settings.key_cache_max_entries,
        )
    # Batching turned off still reads the data keys it wrapped while it was on.
    provider = BatchingKeyProvider(_key_service(settings), batches)
    if settings.key_cache_max_age == 0 or settings.key_cache_max_entries == 0:
        return provider
    from storage.keycache import CacheBounds, CachingKeyProvider

    bounds = CacheBounds(
        max_age=settings.key_cache_max_age,
        max_uses=settings.key_cache_max_uses,
        max_bytes=settings.key_cache_max_bytes,
        max_entries=settings.key_cache_max_entries,
    )
    return CachingKeyProvider(provider, bounds)


def _key_service(settings: StorageSettings) -> KeyProvider:
    """OpenBao/Vault Transit when `DANGAN_KMS_URL` is set, else the local keyring."""
    if settings.kms_url:
        from storage.transit import TransitKeyProvider

        if settings.kms_token is None:
            raise ValueError("DANGAN_KMS_TOKEN is required with DANGAN_KMS_URL")
        return TransitKeyProvider(
            url=settings.kms_url,
            token=settings.kms_token.get_secret_value(),
            mount=settings.kms_mount,
        )
    from storage.keyring import LocalKeyring

    return LocalKeyring(settings.data_dir / "keyring.json")


def wrapped_version(wrapped: str, scheme: str) -> int:
    """The key version in a `<scheme>:v<n>:<ciphertext>` wrapped key."""
    found, version, _ = [*wrapped.split(":", 2), "", ""][:3]
    number = version[1:]
    if found != scheme or not version.startswith("v") or not number.isdigit() or int(number) < 1:
        raise IntegrityError("wrapped data key is malformed")
    return int(number)
