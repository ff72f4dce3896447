"""The one module that touches ciphers: the object format of docs/encryption.md.

An object is `DNG1` ‖ u16 header length ‖ canonical JSON header ‖ a Tink AES-GCM-HKDF
streaming ciphertext (AES256_GCM_HKDF_1MB) whose associated data is that header. Following a
reviewed wire format exactly lets anyone check our objects with Tink itself.
"""

from __future__ import annotations

import json
import os
import struct
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import IntegrityError

MAGIC = b"DNG1"
FORMAT = 1
ALGORITHM = "AES256_GCM_HKDF_1MB"
SEGMENT_SIZE = 1 << 20  # ciphertext bytes per segment, as Tink's 1MB template
KEY_SIZE = 32
TAG_SIZE = 16
NONCE_PREFIX_SIZE = 7
STREAM_HEADER_SIZE = 1 + KEY_SIZE + NONCE_PREFIX_SIZE  # length byte ‖ salt ‖ nonce prefix
FIRST_PLAIN = SEGMENT_SIZE - STREAM_HEADER_SIZE - TAG_SIZE
PLAIN = SEGMENT_SIZE - TAG_SIZE


class Readable(Protocol):
    """Anything with a binary `read`."""

    def read(self, size: int = -1, /) -> bytes: ...


def new_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return os.urandom(KEY_SIZE)


@dataclass(frozen=True)
class ObjectHeader:
    """The authenticated, non-secret description of one stored version."""

    customer_id: str
    document_id: str
    version: int
    key_id: str
    media_type: str

    def encode(self) -> bytes:
        """Canonical JSON: sorted keys, no spaces, UTF-8."""
        body = {"format": FORMAT, "alg": ALGORITHM, **asdict(self)}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def decode(cls, raw: bytes) -> ObjectHeader:
        """Parse a header, refusing formats and algorithms this code does not know."""
        body = json.loads(raw)
        if body.pop("format", None) != FORMAT or body.pop("alg", None) != ALGORITHM:
            raise IntegrityError("unknown object format")
        return cls(**body)


def _prefix(header: ObjectHeader) -> bytes:
    encoded = header.encode()
    return MAGIC + struct.pack(">H", len(encoded)) + encoded


def _segment_cipher(data_key: bytes, salt: bytes, header: ObjectHeader) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=salt, info=header.encode())
    return AESGCM(hkdf.derive(data_key))


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I?", index, last)


def _read_exactly(source: Readable, size: int) -> bytes:
    parts, remaining = [], size
    while remaining:
        chunk = source.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def segment_count(plaintext_size: int) -> int:
    """How many segments hold `plaintext_size` bytes (an empty plaintext has one)."""
    if plaintext_size <= FIRST_PLAIN:
        return 1
    return 1 + -(-(plaintext_size - FIRST_PLAIN) // PLAIN)


def ciphertext_size(header: ObjectHeader, plaintext_size: int) -> int:
    """The object size for a plaintext of `plaintext_size` bytes."""
    overhead = STREAM_HEADER_SIZE + TAG_SIZE * segment_count(plaintext_size)
    return len(_prefix(header)) + overhead + plaintext_size


class EncryptingReader:
    """A file-like view of the object for `source`, encrypted one segment at a time."""

    def __init__(
        self,
        source: Readable,
        data_key: bytes,
        header: ObjectHeader,
        *,
        _salt: bytes | None = None,
        _nonce_prefix: bytes | None = None,
    ) -> None:
        salt = os.urandom(KEY_SIZE) if _salt is None else _salt
        self._nonce_prefix = (
            os.urandom(NONCE_PREFIX_SIZE) if _nonce_prefix is None else _nonce_prefix
        )
        self._aead = _segment_cipher(data_key, salt, header)
        self._source = source
        self._index = 0
        self._ahead = _read_exactly(source, FIRST_PLAIN)
        self._done = False
        stream_header = bytes([STREAM_HEADER_SIZE]) + salt + self._nonce_prefix
        # Ciphertext made and not yet read, kept as the pieces it was made in: a reader that
        # takes all of it (the SDK asks for whole parts) gets them joined with one copy.
        self._pending: deque[bytes] = deque([_prefix(header) + stream_header])
        self._pending_size = len(self._pending[0])

    def _encrypt_next(self) -> None:
        # One segment of look-ahead tells whether the current one is the last.
        current = self._ahead
        self._ahead = _read_exactly(self._source, PLAIN) if len(current) else b""
        last = not self._ahead
        nonce = _nonce(self._nonce_prefix, self._index, last)
        sealed = self._aead.encrypt(nonce, current, None)
        self._pending.append(sealed)
        self._pending_size += len(sealed)
        self._index += 1
        self._done = last

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes of ciphertext (all that is left when size < 0)."""
        while not self._done and (size < 0 or self._pending_size < size):
            self._encrypt_next()
        pending = self._pending
        if size < 0 or size >= self._pending_size:
            out = b"".join(pending)
            pending.clear()
        else:
            taken: list[bytes] = []
            wanted = size
            while wanted:
                piece = pending.popleft()
                if len(piece) > wanted:
                    pending.appendleft(piece[wanted:])
                    piece = piece[:wanted]
                taken.append(piece)
                wanted -= len(piece)
            out = b"".join(taken)
        self._pending_size -= len(out)
        return out


class _Exact:
    """Reads exact byte counts from an iterable of chunks."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = memoryview(b"")

    def read(self, size: int, /) -> bytes:
        """`size` bytes, or fewer at the end, copied once out of the chunks they lie in."""
        parts: list[memoryview] = []
        while size:
            if not self._rest:
                chunk = next(self._chunks, b"")
                if not chunk:
                    break
                self._rest = memoryview(chunk)
            parts.append(self._rest[:size])
            self._rest = self._rest[size:]
            size -= len(parts[-1])
        return parts[0].tobytes() if len(parts) == 1 else b"".join(parts)


def _plain_offset(index: int) -> int:
    return 0 if index == 0 else FIRST_PLAIN + (index - 1) * PLAIN


def _cipher_offset(index: int) -> int:
    # Offset within the Tink stream; segment 0 starts right after the stream header.
    return STREAM_HEADER_SIZE if index == 0 else index * SEGMENT_SIZE


def decrypt(
    data_key: bytes,
    header: ObjectHeader,
    fetch: Callable[[int, int], Iterable[bytes]],
    plaintext_size: int,
    start: int = 0,
    end: int | None = None,
) -> Iterator[bytes]:
    """Verified plaintext bytes [start, end); `fetch(offset, length)` reads the object."""
    end = plaintext_size if end is None else min(end, plaintext_size)
    count = segment_count(plaintext_size)
    first = min(_segment_of(start), count - 1)
    last = min(_segment_of(max(end - 1, 0)), count - 1)
    prefix = _prefix(header)
    base = len(prefix)
    stream_end = base + _cipher_offset(last) + _segment_length(last, count, plaintext_size)
    if first == 0:
        reader = _Exact(fetch(0, stream_end))
        opening = reader.read(base + STREAM_HEADER_SIZE)
    else:
        opening = b"".join(fetch(0, base + STREAM_HEADER_SIZE))
        seg_start = base + _cipher_offset(first)
        reader = _Exact(fetch(seg_start, stream_end - seg_start))
    if opening[:base] != prefix or opening[base] != STREAM_HEADER_SIZE:
        raise IntegrityError("stored object header does not match its record")
    salt = opening[base + 1 : base + 1 + KEY_SIZE]
    nonce_prefix = opening[base + 1 + KEY_SIZE : base + STREAM_HEADER_SIZE]
    aead = _segment_cipher(data_key, salt, header)
    return _segments(aead, nonce_prefix, reader, first, last, count, plaintext_size, start, end)


def _segment_of(offset: int) -> int:
    return 0 if offset < FIRST_PLAIN else 1 + (offset - FIRST_PLAIN) // PLAIN


def _segment_length(index: int, count: int, plaintext_size: int) -> int:
    if index < count - 1:
        return (FIRST_PLAIN if index == 0 else PLAIN) + TAG_SIZE
    return plaintext_size - _plain_offset(index) + TAG_SIZE


def _segments(
    aead: AESGCM,
    nonce_prefix: bytes,
    reader: _Exact,
    first: int,
    last: int,
    count: int,
    plaintext_size: int,
    start: int,
    end: int,
) -> Iterator[bytes]:
    for index in range(first, last + 1):
        length = _segment_length(index, count, plaintext_size)
        sealed = reader.read(length)
        if len(sealed) != length:
            raise IntegrityError("stored object is truncated")
        try:
            plain = aead.decrypt(_nonce(nonce_prefix, index, index == count - 1), sealed, None)
        except InvalidTag:
            raise IntegrityError("stored object failed authentication") from None
        offset = _plain_offset(index)
        lo, hi = max(start - offset, 0), min(end - offset, len(plain))
        if lo < hi:
            yield plain[lo:hi]


def new_key_version() -> bytes:
    """A fresh key-encryption key version for the local keyring."""
    return os.urandom(KEY_SIZE)


def wrap_key(kek: bytes, data_key: bytes, context: bytes) -> bytes:
    """AES-256-GCM of a data key under a key-encryption key, bound to `context`."""
    nonce = os.urandom(12)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, context)


def unwrap_key(kek: bytes, wrapped: bytes, context: bytes) -> bytes:
    """The data key inside `wrapped`; IntegrityError unless it authenticates with `context`."""
    try:
        return AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], context)
    except (InvalidTag, ValueError):
        raise IntegrityError("wrapped data key failed authentication") from None


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 key that signs audit checkpoints, created (0600) on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the audit signing key is not an Ed25519 key")
    return key


def public_key_pem(key: Ed25519PrivateKey) -> bytes:
    """The public half of a signing key, PEM, for verifiers."""
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
