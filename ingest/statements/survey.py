"""Which pages of a PDF to read word by word, chosen cheaply from pdfium's plain text."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from ingest.errors import OcrTimedOut
from ingest.statements.errors import UnreadableDocument
from ingest.statements.titles import read_title
from ingest.words import Glance, Skimmer, in_columns
from ingest.words import garbled as unreadable

MIN_AMOUNTS = 8  # amounts a statement page prints at the least
SHORT_DOCUMENT = 20  # pages; one without a recognised title is read whole
# Pages with a garbage text layer read by OCR at most, the most table-like first, when a skim
# found no title on any: 1-2.5 s each keeps a long report within the worker's time limit.
MAX_GARBLED = 40
# A garbled page is skimmed at its top only, where a statement's title stands: a third of the
# cost of the whole page.
TITLE_REGION = 0.35
# Statements are printed one after another: pages between two titles found by a skim this few
# pages apart are read too, since a skim at low resolution misses a large thin title now and
# then (Xiaomi's balance sheet between its income and cash-flow statements).
RUN = 8
SKIM_SHARE = 0.5  # of the time left for OCR, at most, for skimming garbled pages
_MONEY = re.compile(r"\d{1,3}(?:,\d{3})+")


@dataclass(frozen=True)
class Survey:
    """What each page's plain text says about where the statements are."""

    total: int
    titled: list[int]  # pages with a statement title over a table of amounts
    blank: list[int]  # pages without a text layer (that a skim did not place)
    garbled: list[int]  # pages whose text layer is garbage, the most table-like first
    skimmed: list[int] = field(default_factory=list)  # garbled pages whose skim shows a title

    def wanted(self, continuation: int, ocr: bool) -> list[int]:
        """The pages to read in full: each title page and the `continuation` pages after it;
        by OCR (when `ocr`) pages without text, and garbled ones when no title was found."""
        wanted = {n + step for n in self.titled for step in range(continuation + 1)}
        for first, second in itertools.pairwise(self.skimmed):
            if second - first <= RUN:
                wanted |= set(range(first, second))
        if not self.titled and self.total <= SHORT_DOCUMENT:
            wanted = set(range(1, self.total + 1))  # a few pages under unusual titles
        if ocr:
            wanted |= set(self.blank)
            if not self.titled:
                # A garbage text layer hides the titles; its tables still show where they are.
                wanted |= set(self.garbled[:MAX_GARBLED])
        return sorted(n for n in wanted if n <= self.total)


def survey(data: bytes, skim: Skimmer | None = None, deadline: float | None = None) -> Survey:
    """Page count, title pages, pages without text and pages with a garbage text layer.

    With `skim`, pages without text are looked at cheaply by OCR and judged like the others; when
    no statement title turns up on any of them, they all count as blank, to be read in full.
    Pages whose text layer is garbage and that hold a table are skimmed for a title too. No page
    is skimmed after `deadline` (`time.monotonic()`): it counts as blank, or garbled, unjudged."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise UnreadableDocument("not a readable PDF") from error
    titled, blank, amounts, skimmed = [], [], [], []
    tabled: dict[int, int] = {}
    waiting: tuple[int, Glance] | None = None  # a skimmed page, judged once the next is counted
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            look = skim is not None and not text.strip() and _before(deadline)
            glance = skim(data, index + 1) if skim is not None and look else None
            amounts.append(len(_MONEY.findall(text)) if glance is None else glance.amounts)
            if waiting is not None:
                titled += _judged(*waiting, amounts, deadline)
                waiting = None
            if glance is not None:
                waiting = (index + 1, glance)
                skimmed.append(index + 1)
            elif holds_title(text.splitlines()):
                titled.append(index + 1)
            elif not text.strip():
                blank.append(index + 1)
            elif unreadable(text):
                tabled[index + 1] = _aligned(textpage, page.get_width())
            textpage.close()
            page.close()
        amounts.append(0)
        if waiting is not None:
            titled += _judged(*waiting, amounts, deadline)
    finally:
        pdf.close()
    # A statement's title stands over a table of amounts (on its page, or the next one when it
    # is printed at the foot); a contents page or a sentence in the notes does not.
    titled = sorted(n for n in titled if max(amounts[n - 1], amounts[n]) >= MIN_AMOUNTS)
    if skimmed and not set(skimmed) & set(titled):
        blank = sorted(set(blank) | set(skimmed))
    ranked = sorted(
        (n for n, runs in tabled.items() if runs >= MIN_AMOUNTS), key=tabled.__getitem__
    )[::-1]
    if skim is not None:
        # A garbage text layer hides the titles, but the page's image shows them: a skim finds
        # the statements among the tables of the notes for a fraction of reading them all.
        # The most table-like first, and in at most half the time left: the pages found must
        # still be read in full before the deadline.
        until = None if deadline is None else time.monotonic() + SKIM_SHARE * _left(deadline)
        skimmed = sorted(_skimmed(data, skim, ranked, until))
        titled = sorted(set(titled) | set(skimmed))
        return Survey(len(amounts) - 1, titled, blank, ranked, skimmed)
    return Survey(len(amounts) - 1, titled, blank, ranked)


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _before(deadline: float | None) -> bool:
    return deadline is None or time.monotonic() < deadline


def _skimmed(data: bytes, skim: Skimmer, numbers: list[int], deadline: float | None) -> list[int]:
    """Which of the pages show a statement title when skimmed, as far as time allows."""
    return [
        n
        for n in numbers
        if _before(deadline) and _read_titled(skim(data, n, TITLE_REGION), deadline)
    ]


def _read_titled(glance: Glance, deadline: float | None) -> bool:
    """Whether the skimmed page's short lines, read by OCR by `deadline`, hold a title."""
    try:
        return holds_title(list(glance.read(deadline)), scanned=True)
    except OcrTimedOut:
        return False  # not judged in time: not taken for a statement page


def holds_title(printed: list[str], scanned: bool = False) -> bool:
    """Whether a statement title is among the lines, or two lines read as one (read loosely
    where OCR read them)."""
    pairs = [a + " " + b for a, b in itertools.pairwise(printed)]
    return any(
        len(t) < 120 and (found := read_title(t, scanned)) and found.kind for t in printed + pairs
    )


def _judged(number: int, glance: Glance, amounts: list[int], deadline: float | None) -> list[int]:
    """The skimmed page, if a title is read on it; its lines are read only where it or the next
    page holds a table of amounts, since a title stands over one."""
    if max(amounts[number - 1], amounts[number]) < MIN_AMOUNTS:
        return []
    return [number] if _read_titled(glance, deadline) else []


def _aligned(textpage: pdfium.PdfTextPage, width: float) -> int:
    """How many short text runs in the page's right part end in a column with others; text runs
    are boxed by pdfium however broken their characters, so this shows where none can be read."""
    rects = (textpage.get_rect(i) for i in range(textpage.count_rects()))
    return in_columns([(left, right) for left, _, right, _ in rects], width)
