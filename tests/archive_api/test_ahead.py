"""Reading ahead keeps a download's bytes, order and errors, and lets go when the reader does."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from archive_api.ahead import read_ahead
from storage.errors import IntegrityError


def _pieces(count: int, closed: threading.Event, fail_at: int | None = None) -> Iterator[bytes]:
    try:
        for n in range(count):
            if n == fail_at:
                raise IntegrityError("stored object failed authentication")
            yield bytes([n]) * 1000
    finally:
        closed.set()


def test_every_piece_arrives_in_order() -> None:
    closed = threading.Event()
    assert list(read_ahead(_pieces(50, closed), depth=3)) == [bytes([n]) * 1000 for n in range(50)]
    assert closed.wait(5)


def test_a_failing_piece_is_raised_where_it_was_after_the_good_ones() -> None:
    closed = threading.Event()
    pieces = read_ahead(_pieces(10, closed, fail_at=6))
    assert [next(pieces)[0] for _ in range(6)] == [0, 1, 2, 3, 4, 5]
    with pytest.raises(IntegrityError):
        next(pieces)
    assert closed.wait(5)


def test_a_reader_that_leaves_early_releases_the_source() -> None:
    closed = threading.Event()
    pieces = read_ahead(_pieces(1000, closed), depth=2)
    assert next(pieces) == bytes([0]) * 1000
    pieces.close()  # the client went away
    assert closed.wait(5)  # the store's response would be released here
