"""Page images for readers, from resident renderers that keep recently read documents open.

A borrower pages through a document one image at a time, so the renderer keeps the document
decrypted and parsed between pages rather than pre-rendering every page on upload: nothing is
stored that most borrowers never look at, a page's first view costs one render, and the
plaintext lives only in a renderer's memory. Rendering stays isolated (ingest.isolation): each
renderer is a child process under the render limits, with no core dumps, killed and replaced
when a page passes its deadline or crashes it.

Invariants: plaintext is never written to disk; a renderer keeps at most `documents` documents
and `bytes` of plaintext, and drops one `seconds` after its last use, whether or not another
page is asked for; a document is always shown by the renderer its key hashes to, so it is
opened once; the tiled part of the mark is drawn once per reader and page size, the foot band
with the time on every page; a page that cannot be marked is an error, never served unmarked.
"""

from __future__ import annotations

import io
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Literal, TypeVar

import pypdfium2 as pdfium
from PIL import Image

from ingest.errors import DocumentTooLargeToRender, Unrenderable
from ingest.isolation import Resident, preload
from ingest.pages import PDF, Mark, apply_mark, frames, mark_layer, open_pdf, pdf_page, scan_page

Size = Literal["thumb", "screen", "full"]
Format = Literal["webp", "png"]
# The longest side of a page image, in pixels: a thumbnail, a screen (an A4 page at about
# 150 dpi), and full detail for zooming in (about 300 dpi). Scans are never enlarged.
SIDES: dict[Size, int] = {"thumb": 240, "screen": 1800, "full": 3600}
MEDIA_TYPES: dict[Format, str] = {"webp": "image/webp", "png": "image/png"}
T = TypeVar("T")
preload(__name__)  # a renderer, or a one-off stamping, starts without importing pdfium and Pillow
LAYERS = 8  # mark layers kept per renderer: a few readers, a few page sizes


@dataclass(frozen=True)
class Bounds:
    """What one renderer may keep: documents, bytes of plaintext, seconds since last use."""

    documents: int
    bytes: int
    seconds: float


@dataclass
class _Opened:
    data: bytes
    pages: int
    pdf: pdfium.PdfDocument | None
    used: float = field(default_factory=time.monotonic)

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


class Shelf:
    """What a renderer keeps between calls: opened documents and drawn mark layers."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self.documents: OrderedDict[str, _Opened] = OrderedDict()
        self.layers: OrderedDict[tuple[str, int, int], Image.Image] = OrderedDict()

    @contextmanager
    def open(
        self, key: str, data: bytes | None, media_type: str, max_pixels: int
    ) -> Iterator[_Opened | None]:
        """The document under `key`, opened from `data` if not kept; None if neither.

        The bounds are kept once it has been used, so a document larger than them is shown once,
        then let go.
        """
        self.tidy()
        opened = self.documents.pop(key, None)
        if opened is None and data is not None:
            opened = _open(data, media_type, max_pixels)
        if opened is not None:
            opened.used = time.monotonic()
            self.documents[key] = opened  # the most recently used goes last
        try:
            yield opened
        finally:
            while len(self.documents) > self.bounds.documents or self._held() > self.bounds.bytes:
                _, oldest = self.documents.popitem(last=False)
                oldest.close()

    def layer(self, who: str, width: int, height: int) -> Image.Image:
        """The mark's tiled layer for this reader and page size, drawn once."""
        key = (who, width, height)
        layer = self.layers.pop(key, None) or mark_layer(who, width, height)
        self.layers[key] = layer
        if len(self.layers) > LAYERS:
            self.layers.popitem(last=False)
        return layer

    def tidy(self) -> None:
        """Let go of the documents not used within the bound's seconds."""
        stale = time.monotonic() - self.bounds.seconds
        for key in [key for key, opened in self.documents.items() if opened.used < stale]:
            self.documents.pop(key).close()

    def _held(self) -> int:
        return sum(len(opened.data) for opened in self.documents.values())


def _open(data: bytes, media_type: str, max_pixels: int) -> _Opened:
    if media_type == PDF:
        pdf = open_pdf(data)
        return _Opened(data, len(pdf), pdf)
    return _Opened(data, frames(data, max_pixels), None)


def _count(
    shelf: Shelf, key: str, data: bytes | None, media_type: str, max_pixels: int
) -> int | None:
    # In the renderer: the number of pages, or None when the document must be sent.
    with shelf.open(key, data, media_type, max_pixels) as opened:
        return None if opened is None else opened.pages


def _page(
    shelf: Shelf,
    key: str,
    data: bytes | None,
    media_type: str,
    number: int,
    size: Size,
    form: Format,
    mark: Mark,
    max_pixels: int,
) -> bytes | None:
    # In the renderer: the marked, encoded page, or None when the document must be sent.
    with shelf.open(key, data, media_type, max_pixels) as opened:
        if opened is None:
            return None
        if not 1 <= number <= opened.pages:
            raise Unrenderable(f"page: the document has no page {number}")
        side = SIDES[size]
        if opened.pdf is not None:
            image = pdf_page(opened.pdf, number, side, max_pixels)
        else:
            image = scan_page(opened.data, number, side, max_pixels)
    marked = apply_mark(image, shelf.layer(mark.who, *image.size), mark.text)
    return encode(marked, form)


def encode(image: Image.Image, form: Format) -> bytes:
    """The image in a compact format, at a speed a viewer can wait for (see BENCHMARKS.md)."""
    out = io.BytesIO()
    if form == "webp":
        image.save(out, "WEBP", quality=85, method=0)
    else:
        image.save(out, "PNG", compress_level=1)
    return out.getvalue()


class Renderer:
    """Resident renderers, each showing the documents whose keys hash to it."""

    def __init__(
        self, workers: int, bounds: Bounds, *, timeout: float, memory_mb: int, max_pixels: int
    ) -> None:
        self.max_pixels = max_pixels
        self._residents = [
            Resident(
                partial(Shelf, bounds),
                timeout=timeout,
                memory_mb=memory_mb,
                idle=min(bounds.seconds, 60.0),
                failed=Unrenderable,
                exceeded=DocumentTooLargeToRender,
            )
            for _ in range(workers)
        ]

    def count(self, key: str, fetch: Callable[[], bytes], media_type: str) -> int:
        """How many pages the document under `key` has; `fetch` gives its plaintext if needed."""
        resident = self._resident(key)
        pages = resident.call(_count, key, None, media_type, self.max_pixels)
        if pages is None:
            pages = resident.call(_count, key, fetch(), media_type, self.max_pixels)
        return _sent(pages)

    def page(
        self,
        key: str,
        fetch: Callable[[], bytes],
        media_type: str,
        number: int,
        mark: Mark,
        size: Size = "screen",
        form: Format = "webp",
    ) -> bytes:
        """Page `number` of the document under `key`, marked and encoded."""
        resident = self._resident(key)
        asked = (media_type, number, size, form, mark, self.max_pixels)
        image = resident.call(_page, key, None, *asked)
        if image is None:
            image = resident.call(_page, key, fetch(), *asked)
        return _sent(image)

    def start(self) -> None:
        """Start every renderer, so that the first reader does not wait for one."""
        for resident in self._residents:
            resident.start()

    def close(self) -> None:
        """Stop every renderer; what they kept goes with them."""
        for resident in self._residents:
            resident.close()

    def _resident(self, key: str) -> Resident[Shelf]:
        return self._residents[zlib.crc32(key.encode()) % len(self._residents)]


def _sent(found: T | None) -> T:
    # A renderer given the document always answers; None here would be a renderer's fault.
    if found is None:
        raise Unrenderable("the renderer did not take the document")
    return found
