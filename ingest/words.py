"""Positioned words of a document's pages, from the PDF's text layer or from OCR.

Everything that reads figures out of a document works on these pages, so a scan read by OCR
and a digital PDF go through the same statement finder.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pdfplumber


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


def read_pages(data: bytes, ocr: Reader | None = None) -> list[Page]:
    """Every page's words: the text layer where there is one, else `ocr` (if given)."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
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
