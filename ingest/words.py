"""Positioned words of a document's pages, from the PDF's text layer or from OCR.

Everything that reads figures out of a document works on these pages, so a scan read by OCR
and a digital PDF go through the same statement finder.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

import pdfplumber
import pypdfium2 as pdfium


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


# Reads one page (by number from 1) of a PDF by OCR; given where pages have no text layer.
Reader = Callable[[bytes, int], Page]


def read_pages(
    data: bytes, ocr: Reader | None = None, numbers: Collection[int] | None = None
) -> list[Page]:
    """Every page's words (or only those of pages `numbers`, counted from 1): the text layer
    where there is one, else `ocr` (if given)."""
    if numbers is None:
        return _read(data, data, None, ocr)
    subset, kept = _subset(data, sorted(set(numbers)))
    return _read(data, subset, kept, ocr) if kept else []


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
    data: bytes, pdf_bytes: bytes, numbers: list[int] | None, ocr: Reader | None
) -> list[Page]:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for index, page in enumerate(pdf.pages):
            number = index + 1 if numbers is None else numbers[index]
            words = tuple(
                Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
                for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
            )
            if not words and ocr is not None:
                pages.append(ocr(data, number))
            else:
                pages.append(Page(number, float(page.width), float(page.height), words))
            page.flush_cache()  # a long annual report would otherwise keep every page parsed
    return pages
