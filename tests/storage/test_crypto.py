"""The object format: test vectors, Tink as the oracle both ways, and tampering detected."""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import tink

from storage import crypto
from storage.crypto import FIRST_PLAIN, PLAIN, SEGMENT_SIZE, EncryptingReader, ObjectHeader
from storage.errors import IntegrityError
from tests.storage import tink_oracle

VECTORS = json.loads((Path(__file__).parent / "vectors" / "objects.json").read_text())
HEADER = ObjectHeader(
    customer_id="c1", document_id="d1", version=3, key_id="customer-c1", media_type="image/png"
)
# Sizes on and around every segment boundary, where framing bugs live.
SIZES = [0, 1, FIRST_PLAIN - 1, FIRST_PLAIN, FIRST_PLAIN + 1, FIRST_PLAIN + PLAIN, 3 * PLAIN]


def pattern(size: int) -> bytes:
    """The plaintext the vectors are made of."""
    return bytes(i % 251 for i in range(size))


def seal(plaintext: bytes, key: bytes, header: ObjectHeader = HEADER) -> bytes:
    """Our whole object for `plaintext`, read in odd-sized pieces as a store would."""
    reader, parts = EncryptingReader(io.BytesIO(plaintext), key, header), []
    while chunk := reader.read(777_777):
        parts.append(chunk)
    return b"".join(parts)


def fetcher(blob: bytes) -> Any:
    """A `fetch` over an in-memory object that hands bytes out in small chunks."""

    def fetch(offset: int, length: int) -> Iterable[bytes]:
        data = blob[offset : offset + length]
        return (data[i : i + 65_536] for i in range(0, len(data), 65_536))

    return fetch


def open_object(
    blob: bytes,
    key: bytes,
    size: int,
    header: ObjectHeader = HEADER,
    start: int = 0,
    end: int | None = None,
) -> bytes:
    """Decrypt bytes [start, end) of an object."""
    return b"".join(crypto.decrypt(key, header, fetcher(blob), size, start, end))


def stream_of(blob: bytes, header: ObjectHeader = HEADER) -> bytes:
    """The Tink stream inside one of our objects."""
    return blob[4 + 2 + len(header.encode()) :]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vectors_are_reproduced_and_opened(vector: dict[str, Any]) -> None:
    header = ObjectHeader(**vector["header"])
    key, plaintext = bytes.fromhex(vector["data_key"]), pattern(vector["plaintext_size"])
    blob = EncryptingReader(
        io.BytesIO(plaintext),
        key,
        header,
        _salt=bytes.fromhex(vector["salt"]),
        _nonce_prefix=bytes.fromhex(vector["nonce_prefix"]),
    ).read()
    assert len(blob) == vector["object_size"] == crypto.ciphertext_size(header, len(plaintext))
    assert hashlib.sha256(blob).hexdigest() == vector["object_sha256"]
    if "object_hex" in vector:
        assert blob.hex() == vector["object_hex"]
    assert open_object(blob, key, len(plaintext), header) == plaintext
    assert tink_oracle.decrypt(key, stream_of(blob, header), header.encode()) == plaintext


@pytest.mark.parametrize("size", SIZES)
def test_tink_opens_our_objects_and_we_open_tinks(size: int) -> None:
    key, plaintext = crypto.new_data_key(), os.urandom(size)
    ours = seal(plaintext, key)
    assert len(ours) == crypto.ciphertext_size(HEADER, size)
    assert tink_oracle.decrypt(key, stream_of(ours), HEADER.encode()) == plaintext
    theirs = ours[: len(ours) - len(stream_of(ours))] + tink_oracle.encrypt(
        key, plaintext, HEADER.encode()
    )
    assert open_object(theirs, key, size) == plaintext


def test_the_object_holds_no_plaintext_and_differs_each_time() -> None:
    key, plaintext = crypto.new_data_key(), "BUSINESS LICENSE 营业执照 ".encode() * 1000
    first, second = seal(plaintext, key), seal(plaintext, key)
    assert b"LICENSE" not in first
    assert "营业执照".encode() not in first
    assert first != second


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (0, 1),
        (10, 20),
        (FIRST_PLAIN - 5, FIRST_PLAIN + 5),
        (FIRST_PLAIN, FIRST_PLAIN + PLAIN),
        (FIRST_PLAIN + PLAIN - 1, 3 * PLAIN),
        (3 * PLAIN - 1, 3 * PLAIN),
        (7, 7),
    ],
)
def test_range_reads_return_exactly_the_bytes_asked_for(start: int, end: int) -> None:
    key, plaintext = crypto.new_data_key(), os.urandom(3 * PLAIN)
    blob = seal(plaintext, key)
    assert open_object(blob, key, len(plaintext), start=start, end=end) == plaintext[start:end]


@pytest.fixture(scope="module")
def segmented() -> tuple[bytes, bytes, bytes]:
    """Key, plaintext and object of a version with two full middle segments."""
    key, plaintext = crypto.new_data_key(), os.urandom(FIRST_PLAIN + 2 * PLAIN + 1000)
    return key, plaintext, seal(plaintext, key)


def test_a_flipped_byte_anywhere_fails(segmented: tuple[bytes, bytes, bytes]) -> None:
    key, plaintext, blob = segmented
    for position in (0, 10, 60, 300, SEGMENT_SIZE // 2, SEGMENT_SIZE + 5, len(blob) - 1):
        damaged = bytearray(blob)
        damaged[position] ^= 0x01
        with pytest.raises(IntegrityError):
            open_object(bytes(damaged), key, len(plaintext))


def test_truncation_is_detected(segmented: tuple[bytes, bytes, bytes]) -> None:
    key, plaintext, blob = segmented
    prefix_len = len(blob) - len(stream_of(blob))
    # Cut exactly at a segment boundary: the shortened stream would look whole but for the flag.
    boundary = prefix_len + 2 * SEGMENT_SIZE
    with pytest.raises(IntegrityError):
        open_object(blob[:boundary], key, FIRST_PLAIN + PLAIN)
    with pytest.raises(IntegrityError):
        open_object(blob[:-1], key, len(plaintext))


def test_reordered_segments_fail(segmented: tuple[bytes, bytes, bytes]) -> None:
    key, plaintext, blob = segmented
    prefix_len = len(blob) - len(stream_of(blob))
    one = slice(prefix_len + SEGMENT_SIZE, prefix_len + 2 * SEGMENT_SIZE)
    two = slice(prefix_len + 2 * SEGMENT_SIZE, prefix_len + 3 * SEGMENT_SIZE)
    swapped = bytearray(blob)
    swapped[one], swapped[two] = blob[two], blob[one]
    assert len(swapped) == len(blob)
    with pytest.raises(IntegrityError):
        open_object(bytes(swapped), key, len(plaintext), start=FIRST_PLAIN)


def test_segments_spliced_from_another_object_fail() -> None:
    key, plaintext = crypto.new_data_key(), os.urandom(FIRST_PLAIN + 100)
    first, second = seal(plaintext, key), seal(plaintext, key)
    prefix_len = len(first) - len(stream_of(first))
    spliced = first[: prefix_len + SEGMENT_SIZE] + second[prefix_len + SEGMENT_SIZE :]
    with pytest.raises(IntegrityError):
        open_object(spliced, key, len(plaintext))


def test_an_object_moved_to_another_version_fails() -> None:
    key, plaintext = crypto.new_data_key(), b"statement"
    blob = seal(plaintext, key)
    moved = ObjectHeader(**{**HEADER.__dict__, "version": HEADER.version + 1})
    with pytest.raises(IntegrityError):
        open_object(blob, key, len(plaintext), header=moved)
    # Even with the stored header rewritten to match, the derived key differs.
    rewritten = seal(b"", key, moved)[: len(blob) - len(stream_of(blob))] + stream_of(blob)
    with pytest.raises(IntegrityError):
        open_object(rewritten, key, len(plaintext), header=moved)


def test_the_wrong_key_fails() -> None:
    blob = seal(b"statement", crypto.new_data_key())
    with pytest.raises(IntegrityError):
        open_object(blob, crypto.new_data_key(), 9)


def test_tink_refuses_what_we_refuse(segmented: tuple[bytes, bytes, bytes]) -> None:
    key, _, blob = segmented
    stream = bytearray(stream_of(blob))
    stream[SEGMENT_SIZE + 3] ^= 0x80
    with pytest.raises(tink.TinkError):
        tink_oracle.decrypt(key, bytes(stream), HEADER.encode())


def test_unknown_formats_are_refused() -> None:
    raw = HEADER.encode().replace(b'"format":1', b'"format":2')
    with pytest.raises(IntegrityError):
        ObjectHeader.decode(raw)
    assert ObjectHeader.decode(HEADER.encode()) == HEADER
