"""Page images and stamped PDFs: scans and PDFs alike carry the mark; damaged files are refused."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from ingest.errors import Unrenderable
from ingest.pages import PDF, page_count, render_page, stamp_pdf
from tests.factories import sample_pdf

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


def test_a_stamped_pdf_names_the_borrower_on_every_page() -> None:
    stamped = pdfium.PdfDocument(stamp_pdf(sample_pdf(), MARK))
    assert len(stamped) == page_count(sample_pdf(), PDF)
    for index in range(len(stamped)):
        assert MARK in stamped[index].get_textpage().get_text_range()


def test_a_damaged_pdf_is_refused_rather_than_served_unmarked() -> None:
    damaged = b"%PDF-1.7\n" + b"\x00" * 500
    with pytest.raises(Unrenderable):
        stamp_pdf(damaged, MARK)
    with pytest.raises(Unrenderable):
        render_page(damaged, PDF, 1, MARK)
