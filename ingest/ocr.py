"""OCR of pages without a text layer: words boxed in PDF points like the text layer.

Two engines: RapidOCR (ingest.rapid, in-process on arrays) and Tesseract (a program fed through
pipes). Pages are straightened first (ingest.preprocess).

Invariants: the page image stays in memory, or reaches Tesseract through a pipe and its words
come back through one, so no plaintext of the document is written to disk; every page has a
time limit; failures carry a reason without any of the page's text.
"""

from __future__ import annotations

import logging
import re
import time
from functools import cache
from typing import TYPE_CHECKING, Literal

from PIL import Image, ImageOps

from ingest.config import IngestSettings
from ingest.errors import OcrTimedOut, Unrenderable
from ingest.pages import open_image, open_pdf
from ingest.statements.labels import simplified
from ingest.words import Glance, Page, Word, in_columns

if TYPE_CHECKING:
    from ingest.preprocess import Grey, Steps
    from ingest.rapid import Quad

# NumPy, OpenCV and onnxruntime (ingest.rapid, ingest.preprocess) are imported where a scan is
# read, never with this module: every worker child forks from a server that imports it, and
# under its address-space limit OpenCV alone would take 370 MB of each renderer's budget.

logger = logging.getLogger(__name__)

# "auto": RapidOCR, which reads simplified Chinese and Latin scans best (BENCHMARKS.md); its
# model lacks traditional characters such as 債 額 幣 稅, so a page it finds printed in
# traditional Chinese is read again by Tesseract, which has a traditional model (chi_tra).
Engine = Literal["auto", "rapidocr", "tesseract"]
DPI = {"rapidocr": 200, "tesseract": 300}  # each engine's best resolution, as measured
DET_DPI = 100  # RapidOCR finds text lines as well at this resolution, in a quarter of the time
SKIM_DPI = 100  # a first look for statement titles and amounts, not for the figures
SHORT = 0.5  # of the page's width: longer lines are running text
PAGE_TIMEOUT = 60  # seconds; a clean A4 page takes 1-3 s
LONGEST_SIDE = 7000  # pixels: A3 at 300 DPI fits, a poster-sized page is scaled down to it
# A page is in traditional Chinese when this many of its ideographs, and this share, change
# when simplified; RapidOCR now and then reads a simplified character as its traditional form.
TRADITIONAL_LEAST = 3
TRADITIONAL_SHARE = 0.1
# Noise on a scan turns a thousands comma into a point now and then (8,983.377,809.96): in an
# amount of three-digit groups and two decimals, every separator but the last is a thousands one.
_GROUPED = re.compile(r"(\(?-?\d{1,3})((?:[.,]\d{3})+)[.,](\d{2}\)?)")


@cache
def _configured() -> Engine:
    engine: Engine = IngestSettings().ocr_engine
    return engine


def ocr_page(data: bytes, number: int, deadline: float | None = None) -> Page:
    """Page `number` (from 1) of a PDF, read by OCR within its time limit and `deadline`."""
    return ocr_pdf_page(data, number, _configured(), deadline=deadline)


def ocr_pdf_page(
    data: bytes,
    number: int,
    engine: Engine,
    steps: Steps | None = None,
    deadline: float | None = None,
) -> Page:
    """Page `number` (from 1) of a PDF, read by the given engine after the given steps (those
    that measured best by default), within its time limit and `deadline` (`time.monotonic()`)."""
    limit = time.monotonic() + PAGE_TIMEOUT
    limit = limit if deadline is None else min(limit, deadline)
    picture, width, height = _rendered(data, number, DPI[_first(engine)])
    return read_picture(picture, number, width, height, engine, steps, limit)


def _first(engine: Engine) -> Literal["rapidocr", "tesseract"]:
    return "tesseract" if engine == "tesseract" else "rapidocr"


def skim_page(data: bytes, number: int, top: float = 1.0) -> Glance:
    """A quick look at page `number` (its `top` share from the top edge) at low resolution:
    amounts counted where they stand in columns, and the short lines beside no amount (titles,
    dates, units, headings) read when asked for; a fraction of a full reading's time."""
    import numpy as np

    from ingest import rapid
    from ingest.preprocess import Steps, prepared

    picture, width, _ = _rendered(data, number, SKIM_DPI)
    if top < 1:
        picture = picture.crop((0, 0, picture.width, max(1, round(picture.height * top))))
    pixels = prepared(np.asarray(picture), Steps())
    points = width / pixels.shape[1]
    boxes = rapid.detect(pixels, 1.0)
    spans = [(float(b[:, 0].min()) * points, float(b[:, 0].max()) * points) for b in boxes]
    amounts = in_columns(spans, width)
    # A title never shares its line with an amount, and lines over half the page wide are
    # running text: reading neither saves most of the time.
    priced = [b for b, (left, right) in zip(boxes, spans, strict=True) if right - left < width / 5
              and left > width * 0.4]  # fmt: skip
    wanted = [
        b for b, (left, right) in zip(boxes, spans, strict=True)
        if right - left < SHORT * width and not any(_beside(b, p) for p in priced if p is not b)
    ]  # fmt: skip

    def read(deadline: float | None = None) -> tuple[str, ...]:
        limit = time.monotonic() + PAGE_TIMEOUT
        lines = rapid.read(
            pixels, wanted, limit if deadline is None else min(limit, deadline), number
        )
        return tuple(" ".join(w.text for w in line) for line in lines if line)

    return Glance(amounts, read)


def _beside(box: Quad, other: Quad) -> bool:
    """Whether two line boxes share a line: their middles within half a line height."""
    middle, high = (box[0][1] + box[3][1]) / 2, box[3][1] - box[0][1]
    return bool(abs((other[0][1] + other[3][1]) / 2 - middle) < high / 2)


def _rendered(data: bytes, number: int, dpi: int) -> tuple[Image.Image, float, float]:
    """Page `number` drawn in grey at `dpi`, and its size in points."""
    pdf = open_pdf(data)
    try:
        if not 1 <= number <= len(pdf):
            raise Unrenderable(f"page: the document has no page {number}")
        page = pdf[number - 1]
        width, height = page.get_size()
        scale = min(dpi / 72, LONGEST_SIDE / max(width, height))
        picture = page.render(scale=scale, grayscale=True).to_pil()
    finally:
        pdf.close()
    return picture, width, height


def ocr_image(data: bytes) -> list[Page]:
    """Every page of a scan (each frame of a multi-page TIFF), read by OCR."""
    pages = []
    with open_image(data) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            dpi = _resolution(image)
            frame = ImageOps.exif_transpose(image).convert("L")
            width, height = frame.width * 72 / dpi, frame.height * 72 / dpi
            # Brought to the engine's resolution: its models were trained on text of that size.
            engine = _configured()
            side = min(LONGEST_SIDE, round(max(width, height) * DPI[_first(engine)] / 72))
            frame = frame.resize(_fitted(frame, side), Image.Resampling.LANCZOS)
            pages.append(read_picture(frame, index + 1, width, height, engine))
    return pages


def _fitted(frame: Image.Image, side: int) -> tuple[int, int]:
    scale = side / max(frame.width, frame.height)
    return max(1, round(frame.width * scale)), max(1, round(frame.height * scale))


def _resolution(image: Image.Image) -> float:
    # Scanners record their DPI; a missing or absurd one (0, 1) means the usual scan's 300.
    dpi = image.info.get("dpi", (0, 0))[0]
    return float(dpi) if 50 <= dpi <= 2400 else 300


def read_picture(
    picture: Image.Image,
    number: int,
    width: float,
    height: float,
    engine: Engine,
    steps: Steps | None = None,
    deadline: float | None = None,
) -> Page:
    """The words of a page image `width` × `height` points in size, read by `deadline`
    (`time.monotonic()`; by default the page's own time limit from now)."""
    import numpy as np

    from ingest import rapid, tesseract
    from ingest.preprocess import Steps, prepared

    deadline = time.monotonic() + PAGE_TIMEOUT if deadline is None else deadline
    if time.monotonic() >= deadline:
        raise OcrTimedOut(f"OCR of page {number} had no time left")
    pixels = prepared(np.asarray(picture.convert("L")), steps or Steps())
    dpi = pixels.shape[1] * 72 / width
    words: list[Word] = []
    if engine != "tesseract":
        boxes = rapid.detect(pixels, min(1.0, DET_DPI / dpi))
        words = [w for line in rapid.read(pixels, boxes, deadline, number) for w in line]
    if engine == "tesseract" or (engine == "auto" and _traditional(words)):
        if dpi < DPI["tesseract"]:
            pixels = _scaled(pixels, DPI["tesseract"] / dpi)
            dpi = DPI["tesseract"]
        words = tesseract.read(pixels, dpi, number, max(deadline - time.monotonic(), 1.0))
    across, down = width / pixels.shape[1], height / pixels.shape[0]
    placed = (
        Word(_separated(w.text), w.x0 * across, w.x1 * across, w.top * down, w.bottom * down)
        for w in words
    )
    return Page(number, width, height, tuple(placed), source="ocr")


def _separated(text: str) -> str:
    """An amount with its separators as printed: thousands commas, a decimal point."""
    found = _GROUPED.fullmatch(text)
    if found is None:
        return text
    return f"{found[1]}{found[2].replace('.', ',')}.{found[3]}"


def _scaled(pixels: Grey, factor: float) -> Grey:
    import cv2

    from ingest.preprocess import grey

    return grey(cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC))


def _traditional(words: list[Word]) -> bool:
    """Whether the words read are traditional Chinese."""
    ideographs = [c for w in words for c in w.text if "\u3400" <= c <= "\u9fff"]
    changed = sum(1 for c in ideographs if simplified(c) != c)
    return changed >= TRADITIONAL_LEAST and changed >= TRADITIONAL_SHARE * len(ideographs)
