"""The local keyring of the embedded deployment: key-encryption keys in one 0600 file.

It protects documents against a copied object directory or database, not against someone who
holds the whole data directory; production deployments use OpenBao/Vault Transit instead.
Wrapped keys read `dgk:v<version>:<base64>`, in the manner of Transit's `vault:v<n>:`.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.crypto import new_key_version, unwrap_key, wrap_key
from storage.errors import BackendUnavailable, IntegrityError, NotFound
from storage.keys import wrapped_version

_SCHEME = "dgk"


class LocalKeyring:
    """Key-encryption keys as versioned random keys in a JSON file, changed under a file lock."""

    def __init__(self, path: Path) -> None:
        self._path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def _keys(self, write: bool = False) -> Iterator[dict[str, list[str]]]:
        # One lock file serialises writers across worker processes; the keyring itself is
        # replaced atomically, so readers never see half a file.
        lock = self._path.with_suffix(".lock")
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX if write else fcntl.LOCK_SH)
            keys = json.loads(self._path.read_text()) if self._path.exists() else {}
            yield keys
            if write:
                temporary = self._path.with_suffix(".tmp")
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as out:
                    json.dump(keys, out)
                    out.flush()
                    os.fsync(out.fileno())
                temporary.replace(self._path)

    def _versions(self, name: str) -> list[bytes]:
        with self._keys() as keys:
            if name not in keys:
                raise NotFound(f"key {name} does not exist")
            return [base64.b64decode(version) for version in keys[name]]

    def check(self) -> None:
        """Raise BackendUnavailable unless the keyring file can be read (or is not made yet)."""
        try:
            with self._keys() as keys:
                len(keys)  # read and parsed under the shared lock, as a wrap would
        except (OSError, ValueError):
            raise BackendUnavailable("the key service") from None

    def create_key(self, name: str) -> None:
        """Create the named key if it does not exist yet."""
        with self._keys(write=True) as keys:
            keys.setdefault(name, [base64.b64encode(new_key_version()).decode()])

    def wrap(self, name: str, data_key: bytes, context: bytes) -> str:
        """Wrap under the latest version of the named key."""
        versions = self._versions(name)
        sealed = wrap_key(versions[-1], data_key, _aad(name, context))
        return f"{_SCHEME}:v{len(versions)}:{base64.b64encode(sealed).decode()}"

    def unwrap(self, name: str, wrapped: str, context: bytes) -> bytes:
        """Unwrap with the key version named in `wrapped`."""
        version = self.key_version(wrapped)
        versions = self._versions(name)
        if version > len(versions):
            raise IntegrityError("wrapped data key names an unknown key version")
        if not versions[version - 1]:
            raise IntegrityError("the key version that wrapped this data key was destroyed")
        try:
            sealed = base64.b64decode(wrapped.split(":", 2)[2], validate=True)
        except binascii.Error:
            raise IntegrityError("wrapped data key is malformed") from None
        return unwrap_key(versions[version - 1], sealed, _aad(name, context))

    def rotate(self, name: str) -> int:
        """Add a key version; returns its number."""
        with self._keys(write=True) as keys:
            if name not in keys:
                raise NotFound(f"key {name} does not exist")
            keys[name].append(base64.b64encode(new_key_version()).decode())
            return len(keys[name])

    def retire(self, name: str, below: int) -> None:
        """Blank the versions before `below`: their numbers stay, their key material goes."""
        with self._keys(write=True) as keys:
            if name not in keys:
                raise NotFound(f"key {name} does not exist")
            if not 1 <= below <= len(keys[name]):
                raise ValueError(f"key {name} has no version {below}")
            keys[name][: below - 1] = [""] * (below - 1)

    def rewrap(self, name: str, wrapped: str, context: bytes) -> str:
        """Re-wrap under the latest version; the data key never leaves this object."""
        return self.wrap(name, self.unwrap(name, wrapped, context), context)

    def key_version(self, wrapped: str) -> int:
        """The version number inside `wrapped`."""
        return wrapped_version(wrapped, _SCHEME)

    def latest_version(self, name: str) -> int:
        """How many versions the named key has."""
        return len(self._versions(name))


def _aad(name: str, context: bytes) -> bytes:
    # The key name is bound too, so a wrapped key cannot be presented under another customer.
    return name.encode() + b"\0" + context
