"""Reading ahead keeps a download's bytes, order and errors, and lets go when the reader does."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing
from typing import cast

import pytest
from starlette.responses import StreamingResponse

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


def _drain(pieces: AsyncIterator[bytes], count: int | None = None) -> list[bytes]:
    """The pieces an event loop takes (the first `count`, then it leaves)."""

    async def take() -> list[bytes]:
        taken = []
        async with aclosing(pieces):  # type: ignore[type-var]  # an async generator
            async for piece in pieces:
                taken.append(piece)
                if len(taken) == count:
                    break
        return taken

    return asyncio.run(take())


def test_every_piece_arrives_in_order() -> None:
    closed = threading.Event()
    pieces = _drain(read_ahead(_pieces(50, closed), depth=3))
    assert pieces == [bytes([n]) * 1000 for n in range(50)]
    assert closed.wait(5)


def test_a_failing_piece_is_raised_where_it_was_after_the_good_ones() -> None:
    closed = threading.Event()
    taken: list[int] = []

    async def take() -> None:
        async for piece in read_ahead(_pieces(10, closed, fail_at=6)):
            taken.append(piece[0])

    with pytest.raises(IntegrityError):
        asyncio.run(take())
    assert taken == [0, 1, 2, 3, 4, 5]
    assert closed.wait(5)


def test_a_reader_that_leaves_early_releases_the_source() -> None:
    closed = threading.Event()
    assert _drain(read_ahead(_pieces(1000, closed), depth=2), count=1) == [bytes([0]) * 1000]
    assert closed.wait(5)  # the client went away: the store's response is released


def test_a_small_download_is_made_whole_before_the_answer_starts() -> None:
    closed = threading.Event()
    rest = _pieces(3, closed)
    response = served(b"first", rest, WHOLE)
    assert closed.is_set()  # the store's response is released before anything is sent

    assert not isinstance(response, StreamingResponse)  # one body, no streaming machinery
    assert response.body == b"first" + b"".join(bytes([n]) * 1000 for n in range(3))


def test_damage_in_a_small_download_fails_before_the_answer_starts() -> None:
    with pytest.raises(IntegrityError):
        served(b"first", _pieces(3, threading.Event(), fail_at=2), WHOLE)


def test_a_large_download_is_read_ahead_while_sent() -> None:
    closed = threading.Event()
    response = served(b"first", _pieces(5, closed), WHOLE + 1)
    assert not closed.is_set()  # the rest is read while the first piece is sent
    assert isinstance(response, StreamingResponse)
    pieces = cast("AsyncIterator[bytes]", response.body_iterator)  # an async generator
    assert _drain(pieces) == [b"first"] + [bytes([n]) * 1000 for n in range(5)]
    assert closed.wait(5)
