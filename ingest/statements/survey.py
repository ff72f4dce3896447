"""Which pages of a PDF to read word by word, chosen cheaply from pdfium's plain text."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

import pypdfium2 as pdfium

from ingest.statements.errors import UnreadableDocument
from ingest.statements.finder import title
from ingest.words import garbled as unreadable

MIN_AMOUNTS = 8  # amounts a statement page prints at the least
_MONEY = re.compile(r"\d{1,3}(?:,\d{3})+")
# A statement is a table of short amounts whose right edges line up in a few columns; text runs
# are boxed by pdfium however broken their characters, so this shows where no word can be read.
COLUMN_RUNS = 4  # text runs ending at one x position that make it a column
ALIGN = 3.0  # points: right edges this close are one column


@dataclass(frozen=True)
class Survey:
    """What each page's plain text says about where the statements are."""

    total: int
    titled: list[int]  # pages with a statement title over a table of amounts
    blank: list[int]  # pages without a text layer
    garbled: list[int]  # pages whose text layer is garbage, the most table-like first


def survey(data: bytes) -> Survey:
    """Page count, title pages, pages without text and pages with a garbage text layer."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise UnreadableDocument("not a readable PDF") from error
    titled, blank, amounts = [], [], []
    tabled: dict[int, int] = {}
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            amounts.append(len(_MONEY.findall(text)))
            printed = text.splitlines()
            pairs = [a + " " + b for a, b in itertools.pairwise(printed)]
            if any(len(t) < 120 and (found := title(t)) and found.kind for t in printed + pairs):
                titled.append(index + 1)
            elif not text.strip():
                blank.append(index + 1)
            elif unreadable(text):
                tabled[index + 1] = _aligned(textpage, page.get_width())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    # A statement's title stands over a table of amounts (on its page, or the next one when it
    # is printed at the foot); a contents page or a sentence in the notes does not.
    amounts.append(0)
    titled = [n for n in titled if max(amounts[n - 1], amounts[n]) >= MIN_AMOUNTS]
    ranked = sorted(
        (n for n, runs in tabled.items() if runs >= MIN_AMOUNTS), key=tabled.__getitem__
    )
    return Survey(len(amounts) - 1, titled, blank, ranked[::-1])


def _aligned(textpage: pdfium.PdfTextPage, width: float) -> int:
    """How many short text runs in the page's right part end in a column with others."""
    edges = sorted(
        right
        for left, _, right, _ in (textpage.get_rect(i) for i in range(textpage.count_rects()))
        if right - left < width / 5 and left > width * 0.4
    )
    # A run is in a column when enough runs (itself included) end within ALIGN of it.
    return sum(
        1
        for edge in edges
        if bisect.bisect_right(edges, edge + ALIGN) - bisect.bisect_left(edges, edge - ALIGN)
        >= COLUMN_RUNS
    )
