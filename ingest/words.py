"""Positioned words of a document's pages, from the PDF's text layer or from OCR.

Everything that reads figures out of a document works on these pages, so a scan read by OCR
and a digital PDF go through the same statement finder.
"""

from __future__ import annotations

import bisect
import io
import re
import time
from collections.abc import Callable, Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import Literal, Protocol

import pdfplumber
import pypdfium2 as pdfium

from ingest.errors import OcrTimedOut


@dataclass(frozen=True)
class Word:
    """A word and its box, in PDF points from the page's top left."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    """One page's words; `number` counts from 1, `source` says how the words were read."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    source: Literal["text", "ocr"] = "text"


class Reader(Protocol):
    """Reads one page (by number from 1) of a PDF by OCR, for pages without a readable text
    layer; raises OcrTimedOut past its own time limit or `deadline` (`time.monotonic()`)."""

    def __call__(self, data: bytes, number: int, deadline: float | None = None) -> Page: ...


@dataclass(frozen=True)
class Reading:
    """The pages read, and those left out because OCR could not read them in time."""

    pages: list[Page]
    unread: list[int]


@dataclass(frozen=True)
class Glance:
    """A quick look at a page without a text layer: how many short runs of text stand in columns
    like amounts (counted, not read), and its short lines (titles, headings, labels), read only
    when asked for."""

    amounts: int
    read: Callable[[float | None], tuple[str, ...]]  # by a deadline (`time.monotonic()`), if any


class Skimmer(Protocol):
    """Looks at one page (by number from 1) of a PDF cheaply, or at its `top` share only (where
    titles stand), to choose the pages worth reading."""

    def __call__(self, data: bytes, number: int, top: float = 1.0) -> Glance: ...


# A statement is a table of short amounts whose right edges line up in a few columns.
COLUMN_RUNS = 4  # text runs ending at one x position that make it a column
ALIGN = 3.0  # points: right edges this close are one column


def in_columns(runs: Sequence[tuple[float, float]], width: float) -> int:
    """How many short text runs (left, right edges, in points) in the right part of a page
    `width` points wide end in a column with others."""
    edges = sorted(right for left, right in runs if right - left < width / 5 and left > width * 0.4)
    # A run is in a column when enough runs (itself included) end within ALIGN of it.
    return sum(
        1
        for edge in edges
        if bisect.bisect_right(edges, edge + ALIGN) - bisect.bisect_left(edges, edge - ALIGN)
        >= COLUMN_RUNS
    )


# A font without a proper character map gives a text layer that does not say what the page
# shows: pdfminer prints (cid:N), other readers control, replacement or private-use characters,
# and a CJK font whose glyph ids are taken for code points gives rare ideographs.
_CID = re.compile(r"\(cid:\d+\)")
_BROKEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd\ufffe\ue000-\uf8ff\U000f0000-\U0010ffff]")
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# The national character sets hold the ideographs in everyday use (simplified, traditional with
# Hong Kong's, Japanese, Korean); real text outside them is a name here and there, never a page.
_COMMON = ("gb2312", "big5hkscs", "euc_jp", "euc_kr")
SUSPECT_SHARE = 0.1  # of a page's letters; the good layers measured stay under 0.015
SUSPECT_LEAST = 20  # characters: a few icons from a symbol font on a short page are not garbage


def garbled(text: str) -> bool:
    """Whether a page's text layer is garbage: many unmapped, unknown or rare characters."""
    cids = len(_CID.findall(text))
    rest = _CID.sub("", text)
    rare = sum(1 for c in _IDEOGRAPH.findall(rest) if not _common(c))
    suspect = cids + len(_BROKEN.findall(rest)) + rare
    # Digits and punctuation survive broken fonts and would hide the garbage of a page of tables.
    letters = sum(1 for c in rest if c.isalpha())
    return suspect >= SUSPECT_LEAST and suspect >= SUSPECT_SHARE * (suspect - rare + letters)


@cache
def _common(char: str) -> bool:
    for codec in _COMMON:
        try:
            char.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


def read_pages(
    data: bytes, ocr: Reader | None = None, numbers: Collection[int] | None = None
) -> list[Page]:
    """Every page's words (or only those of pages `numbers`, counted from 1): the text layer
    where there is a readable one, else `ocr` (if given)."""
    if numbers is None:
        return _read(data, data, None, ocr)
    subset, kept = _subset(data, sorted(set(numbers)))
    return _read(data, subset, kept, ocr) if kept else []


def read_within(
    data: bytes, ocr: Reader, numbers: Collection[int], deadline: float | None
) -> Reading:
    """Pages `numbers` as `read_pages` reads them, but a page OCR cannot read in time (its own
    limit, or `deadline` for all OCR) is left out and named, and the rest are still read."""
    subset, kept = _subset(data, sorted(set(numbers)))
    unread: list[int] = []
    pages = _read(data, subset, kept, ocr, (deadline, unread)) if kept else []
    return Reading(pages, unread)


def _subset(data: bytes, numbers: list[int]) -> tuple[bytes, list[int]]:
    """A PDF of only the given pages, and which pages it holds: pdfminer parses a long report's
    shared objects once per file, which costs far more than a few pages, so they are copied out
    first (pdfium copies a page with everything it uses)."""
    source = pdfium.PdfDocument(data)
    subset = pdfium.PdfDocument.new()
    try:
        kept = [n for n in numbers if 0 < n <= len(source)]
        subset.import_pages(source, [n - 1 for n in kept])
        out = io.BytesIO()
        subset.save(out)
        return out.getvalue(), kept
    finally:
        subset.close()
        source.close()


def _read(
    data: bytes,
    pdf_bytes: bytes,
    numbers: list[int] | None,
    ocr: Reader | None,
    within: tuple[float | None, list[int]] | None = None,
) -> list[Page]:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for index, page in enumerate(pdf.pages):
            number = index + 1 if numbers is None else numbers[index]
            words = tuple(
                Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
                for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
            )
            if ocr is not None and (not words or garbled(" ".join(w.text for w in words))):
                if within is None:
                    pages.append(ocr(data, number))
                elif (read := _in_time(ocr, data, number, *within)) is not None:
                    pages.append(read)
            else:
                pages.append(Page(number, float(page.width), float(page.height), words))
            page.flush_cache()  # a long annual report would otherwise keep every page parsed
    return pages


def _in_time(
    ocr: Reader, data: bytes, number: int, deadline: float | None, unread: list[int]
) -> Page | None:
    """The page read by OCR, or None (and its number added to `unread`) when it could not be
    read in time: one slow page costs its own words, not the whole document's."""
    if deadline is None or time.monotonic() < deadline:
        with suppress(OcrTimedOut):  # out of time on this page: it is named below
            return ocr(data, number, deadline)
    unread.append(number)
    return None
