"""Stamped PDFs: every page carries the mark; damaged or hostile files are refused."""

from __future__ import annotations

import time
from collections.abc import Callable

import pypdfium2 as pdfium
import pytest

from ingest.errors import DocumentTooLargeToRender, Unrenderable
from ingest.pages import (
    RenderLimits,
    stamp_pdf,
    stamped,
)
from tests.factories import sample_pdf
from tests.hostile import content_bomb_pdf, huge_page_pdf

MARK = "王五 · JY20261123-ABC123 · 2026-11-23 10:00"


def test_a_stamped_pdf_names_the_borrower_on_every_page() -> None:
    copy = pdfium.PdfDocument(stamp_pdf(sample_pdf(), MARK))
    assert len(copy) == len(pdfium.PdfDocument(sample_pdf()))
    for index in range(len(copy)):
        assert MARK in copy[index].get_textpage().get_text_range()


def test_a_damaged_pdf_is_refused_rather_than_served_unmarked() -> None:
    damaged = b"%PDF-1.7\n" + b"\x00" * 500
    with pytest.raises(Unrenderable):
        stamp_pdf(damaged, MARK)


LIMITS = RenderLimits(timeout=20, memory_mb=1024, max_pixels=100_000_000)


def _refused_quickly(make: Callable[[], object], match: str) -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTooLargeToRender, match=match) as refusal:
        make()
    assert time.monotonic() - started < 10  # refused on what is declared, not after decoding
    assert (refusal.value.status, refusal.value.code) == (422, "document_too_large_to_render")


def test_a_page_larger_than_readers_show_is_neither_rendered_nor_stamped() -> None:
    too_large = r"pages up to 14400 points a side"
    _refused_quickly(lambda: stamped(huge_page_pdf(), MARK, LIMITS), too_large)


def test_stamping_a_pdf_whose_content_inflates_beyond_limits_is_refused() -> None:
    # pypdf stops at its own limit (LimitReachedError); that is a clear refusal, not a crash.
    _refused_quickly(lambda: stamped(content_bomb_pdf(), MARK, LIMITS), "expands beyond")


def test_ordinary_documents_render_and_stamp_in_the_child_process() -> None:
    copy = pdfium.PdfDocument(stamped(sample_pdf(), MARK, LIMITS))
    assert MARK in copy[0].get_textpage().get_text_range()
