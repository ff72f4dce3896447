"""Which pages of a PDF to read word by word, chosen cheaply from pdfium's plain text."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pypdfium2 as pdfium

from ingest.statements.errors import UnreadableDocument
from ingest.statements.finder import title
from ingest.words import Glance, Skimmer, in_columns
from ingest.words import garbled as unreadable

MIN_AMOUNTS = 8  # amounts a statement page prints at the least
_MONEY = re.compile(r"\d{1,3}(?:,\d{3})+")


@dataclass(frozen=True)
class Survey:
    """What each page's plain text says about where the statements are."""

    total: int
    titled: list[int]  # pages with a statement title over a table of amounts
    blank: list[int]  # pages without a text layer (that a skim did not place)
    garbled: list[int]  # pages whose text layer is garbage, the most table-like first


def survey(data: bytes, skim: Skimmer | None = None) -> Survey:
    """Page count, title pages, pages without text and pages with a garbage text layer.

    With `skim`, pages without text are looked at cheaply by OCR and judged like the others; when
    no statement title turns up on any of them, they all count as blank, to be read in full."""
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
            glance = skim(data, index + 1) if skim is not None and not text.strip() else None
            amounts.append(len(_MONEY.findall(text)) if glance is None else glance.amounts)
            if waiting is not None:
                titled += _judged(*waiting, amounts)
                waiting = None
            if glance is not None:
                waiting = (index + 1, glance)
                skimmed.append(index + 1)
            elif _titles(text.splitlines()):
                titled.append(index + 1)
            elif not text.strip():
                blank.append(index + 1)
            elif unreadable(text):
                tabled[index + 1] = _aligned(textpage, page.get_width())
            textpage.close()
            page.close()
        amounts.append(0)
        if waiting is not None:
            titled += _judged(*waiting, amounts)
    finally:
        pdf.close()
    # A statement's title stands over a table of amounts (on its page, or the next one when it
    # is printed at the foot); a contents page or a sentence in the notes does not.
    titled = sorted(n for n in titled if max(amounts[n - 1], amounts[n]) >= MIN_AMOUNTS)
    if skimmed and not set(skimmed) & set(titled):
        blank = sorted(set(blank) | set(skimmed))
    ranked = sorted(
        (n for n, runs in tabled.items() if runs >= MIN_AMOUNTS), key=tabled.__getitem__
    )
    return Survey(len(amounts) - 1, titled, blank, ranked[::-1])


def _titles(printed: list[str]) -> bool:
    """Whether a statement title is among the lines, or two lines read as one."""
    pairs = [a + " " + b for a, b in itertools.pairwise(printed)]
    return any(len(t) < 120 and (found := title(t)) and found.kind for t in printed + pairs)


def _judged(number: int, glance: Glance, amounts: list[int]) -> list[int]:
    """The skimmed page, if a title is read on it; its lines are read only where it or the next
    page holds a table of amounts, since a title stands over one."""
    if max(amounts[number - 1], amounts[number]) < MIN_AMOUNTS:
        return []
    return [number] if _titles(list(glance.read())) else []


def _aligned(textpage: pdfium.PdfTextPage, width: float) -> int:
    """How many short text runs in the page's right part end in a column with others; text runs
    are boxed by pdfium however broken their characters, so this shows where none can be read."""
    rects = (textpage.get_rect(i) for i in range(textpage.count_rects()))
    return in_columns([(left, right) for left, _, right, _ in rects], width)
