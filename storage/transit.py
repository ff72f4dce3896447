"""Key-encryption keys in OpenBao or HashiCorp Vault, through the Transit engine.

Keys are created `derived`, and the wrap context is Transit's key-derivation context: Transit
then refuses to unwrap with any other context, and unlike `associated_data` the context is
also accepted by `rewrap`, so rotation never exposes a data key outside the key service.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import hvac
from hvac import exceptions as bao

from storage.errors import BackendUnavailable, IntegrityError, NotFound
from storage.keys import wrapped_version

_TIMEOUT = 10  # seconds; a key service that hangs must fail the request, not hold it
logger = logging.getLogger(__name__)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@contextmanager
def _key_service() -> Iterator[None]:
    """Maps the key service's failures to domain errors without echoing its messages."""
    try:
        yield
    except bao.InvalidPath:
        raise NotFound("key does not exist in the key service") from None
    except bao.InvalidRequest as error:
        if "not found" in str(error):
            raise NotFound("key does not exist in the key service") from None
        raise IntegrityError("the key service refused to unwrap the data key") from None
    except (bao.VaultError, OSError) as error:  # requests' errors are OSErrors
        logger.warning("key service unavailable: %s", type(error).__name__)
        raise BackendUnavailable("the key service") from None


class TransitKeyProvider:
    """One derived `aes256-gcm96` Transit key per customer."""

    def __init__(self, url: str, token: str, mount: str = "transit") -> None:
        self._client = hvac.Client(url=url, token=token, timeout=_TIMEOUT)
        self._mount = mount

    def _call(self, operation: Callable[..., dict[str, Any]], **arguments: Any) -> dict[str, Any]:
        with _key_service():
            response = operation(mount_point=self._mount, **arguments)
        data: dict[str, Any] = response["data"]
        return data

    def check(self) -> None:
        """Raise BackendUnavailable unless the key service is unsealed and answering."""
        with _key_service():  # unreachable raises; a standby forwards, so it counts as ready
            health = self._client.sys.read_health_status(method="GET", standby_ok=True)
        if not isinstance(health, dict) or health.get("sealed", True):
            raise BackendUnavailable("the key service")

    def create_key(self, name: str) -> None:
        """Create the named key; Transit leaves an existing key as it is."""
        transit = self._client.secrets.transit
        with _key_service():
            transit.create_key(  # type: ignore[no-untyped-call]
                name=name, derived=True, key_type="aes256-gcm96", mount_point=self._mount
            )

    def wrap(self, name: str, data_key: bytes, context: bytes) -> str:
        """Encrypt with the latest key version."""
        transit = self._client.secrets.transit
        data = self._call(
            transit.encrypt_data, name=name, plaintext=_b64(data_key), context=_b64(context)
        )
        return str(data["ciphertext"])

    def unwrap(self, name: str, wrapped: str, context: bytes) -> bytes:
        """Decrypt; Transit refuses a wrong context or a tampered ciphertext."""
        transit = self._client.secrets.transit
        data = self._call(
            transit.decrypt_data, name=name, ciphertext=wrapped, context=_b64(context)
        )
        return base64.b64decode(data["plaintext"])

    def rotate(self, name: str) -> int:
        """Add a key version in Transit; returns the latest version number."""
        transit = self._client.secrets.transit
        with _key_service():
            transit.rotate_key(name=name, mount_point=self._mount)  # type: ignore[no-untyped-call]
        return self.latest_version(name)

    def retire(self, name: str, below: int) -> None:
        """Raise the key's minimum versions to `below`, then trim the older ones out of Transit."""
        transit = self._client.secrets.transit
        configure = transit.update_key_configuration
        with _key_service():
            # One at a time: hvac refuses the two equal in one call, though Transit takes them.
            # Encryption first: Transit refuses a minimum decryption version above the
            # encryption one, which a key retired before (a second disposal) still has.
            configure(name=name, min_encryption_version=below, mount_point=self._mount)  # type: ignore[no-untyped-call]
            configure(name=name, min_decryption_version=below, mount_point=self._mount)  # type: ignore[no-untyped-call]
            transit.trim_key(name=name, min_version=below, mount_point=self._mount)  # type: ignore[no-untyped-call]

    def rewrap(self, name: str, wrapped: str, context: bytes) -> str:
        """Rewrap inside the key service under the latest version."""
        transit = self._client.secrets.transit
        data = self._call(transit.rewrap_data, name=name, ciphertext=wrapped, context=_b64(context))
        return str(data["ciphertext"])

    def key_version(self, wrapped: str) -> int:
        """The version in a `vault:v<n>:` ciphertext."""
        return wrapped_version(wrapped, "vault")

    def latest_version(self, name: str) -> int:
        """The key's `latest_version` as Transit reads it."""
        return int(self._call(self._client.secrets.transit.read_key, name=name)["latest_version"])
