"""Page images: scans and PDFs alike carry the mark; damaged and oversized files are refused."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import pytest
from PIL import Image

from ingest.errors import DocumentTooLargeToRender, Unrenderable
from ingest.pages import (
    PDF,
    RenderLimits,
    count,
    page_count,
    picture,
    render_page,
)
from tests.factories import sample_pdf
from tests.hostile import huge_page_pdf, huge_png, image_bomb_pdf

MARK = "王五 · JY20261123-ABC123 · 2026-11-23 10:00"


def _scan(kind: str, pages: int = 1) -> bytes:
    frames = [Image.new("RGB", (1200, 1600), "white") for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, kind, save_all=pages > 1, append_images=frames[1:])
    return out.getvalue()


@pytest.mark.parametrize(("kind", "media"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_a_scanned_page_comes_back_marked(kind: str, media: str) -> None:
    scan = _scan(kind)
    assert page_count(scan, media) == 1
    image = Image.open(io.BytesIO(render_page(scan, media, 1, MARK)))
    # The blank page now has the mark's red ink on it.
    colours: list[tuple[int, tuple[int, int, int]]] = image.convert("RGB").getcolors(1 << 24) or []  # type: ignore[assignment]
    reds = sum(n for n, (r, g, b) in colours if r > 150 and g < 120 and b < 120)
    assert reds > 1000


def test_every_frame_of_a_multi_page_tiff_is_a_page() -> None:
    scan = _scan("TIFF", pages=3)
    assert page_count(scan, "image/tiff") == 3
    assert render_page(scan, "image/tiff", 3, MARK).startswith(b"\x89PNG")
    with pytest.raises(Unrenderable, match="no page 4"):
        render_page(scan, "image/tiff", 4, MARK)


def test_a_damaged_pdf_is_refused_rather_than_shown_unmarked() -> None:
    damaged = b"%PDF-1.7\n" + b"\x00" * 500
    with pytest.raises(Unrenderable):
        render_page(damaged, PDF, 1, MARK)


LIMITS = RenderLimits(timeout=20, memory_mb=1024, max_pixels=100_000_000)


def _refused_quickly(make: Callable[[], object], match: str) -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTooLargeToRender, match=match) as refusal:
        make()
    assert time.monotonic() - started < 10  # refused on what is declared, not after decoding
    assert (refusal.value.status, refusal.value.code) == (422, "document_too_large_to_render")


def test_a_scan_declaring_too_many_pixels_is_refused_before_it_is_decoded() -> None:
    budget = r"24000×24000 pixels, more than the limit of 100000000 pixels"
    _refused_quickly(lambda: picture(huge_png(), "image/png", 1, MARK, LIMITS), budget)
    _refused_quickly(lambda: count(huge_png(), "image/png", LIMITS), budget)
    # Beyond what Pillow itself will open, the refusal is the same.
    bigger = huge_png(side=30_000)
    _refused_quickly(lambda: picture(bigger, "image/png", 1, MARK, LIMITS), "DANGAN_RENDER_MAX")


def test_a_pdf_embedding_an_image_of_too_many_pixels_is_refused() -> None:
    assert count(image_bomb_pdf(), PDF, LIMITS) == 1
    _refused_quickly(lambda: picture(image_bomb_pdf(), PDF, 1, MARK, LIMITS), "24000×24000 pixels")


def test_a_page_larger_than_readers_show_is_not_rendered() -> None:
    too_large = r"pages up to 14400 points a side"
    _refused_quickly(lambda: picture(huge_page_pdf(), PDF, 1, MARK, LIMITS), too_large)


def test_rendering_that_needs_more_memory_than_allowed_stops_at_the_limit() -> None:
    generous = RenderLimits(timeout=60, memory_mb=512, max_pixels=10**9)
    with pytest.raises(DocumentTooLargeToRender, match=r"ran out of memory \(limit 512 MB\)"):
        picture(huge_png(), "image/png", 1, MARK, generous)


def test_rendering_that_takes_too_long_stops_at_the_deadline() -> None:
    # Memory to spare, so the deadline and not the address-space limit is what stops it: decoding
    # 576 megapixels takes seconds, whatever the machine.
    hurried = RenderLimits(timeout=0.5, memory_mb=8192, max_pixels=10**9)
    with pytest.raises(DocumentTooLargeToRender, match=r"timed out after 0.5 s"):
        picture(huge_png(), "image/png", 1, MARK, hurried)


def test_ordinary_documents_render_and_stamp_in_the_child_process() -> None:
    assert count(sample_pdf(), PDF, LIMITS) == page_count(sample_pdf(), PDF)
    assert picture(sample_pdf(), PDF, 1, MARK, LIMITS).startswith(b"\x89PNG")
    assert picture(_scan("PNG"), "image/png", 1, MARK, LIMITS).startswith(b"\x89PNG")
