"""Reading ahead: the next pieces of a download are made ready while the last one is sent.

A download is a chain of steps per segment: read it from the store, decrypt it, hand it to the
event loop, send it. Run one after the other, each waits on the others, and a 100 MiB download
kept the two cores only two-thirds busy. A thread of its own reads and decrypts (AES-GCM and
socket reads release the GIL) while the event loop sends; each piece reaches the event loop by
one `call_soon_threadsafe`, not by a hop of the event loop to a worker thread and back.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import aclosing
from typing import Any

from starlette.responses import Response, StreamingResponse

DEPTH = 4  # pieces held ready: about 4 MiB of a download
WHOLE = 4 << 20  # bytes: a download this small is made whole before the answer starts
_WAIT = 0.1  # seconds between looks at whether the reader has gone


async def read_ahead(source: Iterator[bytes], depth: int = DEPTH) -> AsyncGenerator[bytes, None]:
    """The pieces of `source`, made up to `depth` ahead by a thread; its errors are raised here."""
    loop = asyncio.get_running_loop()
    pieces: asyncio.Queue[bytes | BaseException | None] = asyncio.Queue()
    room = threading.Semaphore(depth)  # pieces made and not yet taken stay within `depth`
    gone = threading.Event()  # the reader stopped early (the client went away)

    def offer(item: bytes | BaseException | None) -> bool:
        while not room.acquire(timeout=_WAIT):
            if gone.is_set():
                return False
        if gone.is_set():
            return False
        try:
            loop.call_soon_threadsafe(pieces.put_nowait, item)
        except RuntimeError:  # the event loop has closed
            return False
        return True

    def produce() -> None:
        try:
            for piece in source:
                if not offer(piece):
                    return
            offer(None)
        except BaseException as error:  # handed over, raised by the reader
            offer(error)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()  # the store's response is released, even when the reader left early

    threading.Thread(target=produce, name="read-ahead", daemon=True).start()
    try:
        while (piece := await pieces.get()) is not None:
            room.release()
            if isinstance(piece, BaseException):
                raise piece
            yield piece
    finally:
        # No join: the event loop must not wait; the thread sees `gone` within _WAIT and closes
        # the source itself.
        gone.set()


def served(first: bytes, rest: Iterator[bytes], size: int, **response: Any) -> Response:
    """A download's response, `first` of its pieces made already.

    A small one is made whole now, in the request's worker thread, and answered as one body: no
    reader thread, no hop to a worker thread per piece, and none of a streamed response's
    machinery (a task watching for the client leaving, a send per piece). A large one is read
    ahead while it is sent.
    """
    if size <= WHOLE:
        return Response(b"".join([first, *rest]), **response)
    return StreamingResponse(_after(first, rest), **response)


async def _after(first: bytes, rest: Iterator[bytes]) -> AsyncIterator[bytes]:
    yield first
    async with aclosing(read_ahead(rest)) as ahead:
        async for piece in ahead:
            yield piece
