"""Reading ahead keeps a download's bytes, order and errors, and lets go when the reader does."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from archive_api.ahead import WHOLE, read_ahead, served
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


def test_a_small_download_is_made_whole_before_the_answer_starts() -> None:
    closed = threading.Event()
    rest = _pieces(3, closed)
    body = served(b"first", rest, WHOLE)
    assert closed.is_set()  # the store's response is released before anything is sent

    async def drain() -> list[bytes]:
        assert not isinstance(body, Iterator)  # no worker-thread hop per piece
        return [piece async for piece in body]

    assert asyncio.run(drain()) == [b"first"] + [bytes([n]) * 1000 for n in range(3)]


def test_damage_in_a_small_download_fails_before_the_answer_starts() -> None:
    with pytest.raises(IntegrityError):
        served(b"first", _pieces(3, threading.Event(), fail_at=2), WHOLE)


def test_a_large_download_is_read_ahead_while_sent() -> None:
    closed = threading.Event()
    body = served(b"first", _pieces(5, closed), WHOLE + 1)
    assert isinstance(body, Iterator)
    assert list(body) == [b"first"] + [bytes([n]) * 1000 for n in range(5)]
    assert closed.wait(5)
