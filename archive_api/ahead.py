"""Reading ahead: the next pieces of a download are made ready while the last one is sent.

A download is a chain of steps per segment: read it from the store, decrypt it, hand it to the
event loop, send it. Run one after the other, each waits on the others, and a 100 MiB download
kept the two cores only two-thirds busy. A thread of its own reads and decrypts (AES-GCM and
socket reads release the GIL) while the event loop sends.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import AsyncIterator, Generator, Iterable, Iterator

DEPTH = 4  # pieces held ready: about 4 MiB of a download
WHOLE = 4 << 20  # bytes: a download this small is made whole before the answer starts
_WAIT = 0.1  # seconds between looks at whether the reader has gone


def read_ahead(source: Iterator[bytes], depth: int = DEPTH) -> Generator[bytes, None, None]:
    """The pieces of `source`, made up to `depth` ahead by a thread; its errors are raised here."""
    pieces: queue.Queue[bytes | BaseException | None] = queue.Queue(depth)
    gone = threading.Event()  # the reader stopped early (the client went away)

    def offer(item: bytes | BaseException | None) -> bool:
        while not gone.is_set():
            try:
                pieces.put(item, timeout=_WAIT)
                return True
            except queue.Full:
                continue
        return False

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
        while (piece := pieces.get()) is not None:
            if isinstance(piece, BaseException):
                raise piece
            yield piece
    finally:
        # No join: a reader that left early may be finalised on the event loop's thread, which
        # must not wait; the thread sees `gone` within _WAIT and closes the source itself.
        gone.set()


def served(
    first: bytes, rest: Iterator[bytes], size: int
) -> AsyncIterator[bytes] | Iterator[bytes]:
    """A download's pieces for the response, `first` of them made already.

    A small one is made whole now, in the request's worker thread, and handed to the event loop
    as it is: no reader thread, and no hop to a worker thread per piece (Starlette iterates a
    plain iterator in the thread pool). A large one is read ahead while it is sent.
    """
    if size <= WHOLE:
        return _given([first, *rest])
    return itertools.chain([first], read_ahead(rest))


async def _given(pieces: Iterable[bytes]) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece
