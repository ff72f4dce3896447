"""Page images from resident renderers: marked at every size, opened once, bounded, recoverable."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator

import pytest
from PIL import Image

from ingest.errors import DocumentTooLargeToRender, Unrenderable
from ingest.pages import PDF, Mark
from ingest.viewer import SIDES, Bounds, Renderer, Shelf
from tests.factories import sample_pdf
from tests.hostile import huge_page_pdf, huge_png, image_bomb_pdf

MARK = Mark("王五 · JY20261123-ABC123", "2026-11-23 10:00 UTC+08:00")
ROOMY = Bounds(documents=4, bytes=64 * 1024 * 1024, seconds=300)


def _renderer(bounds: Bounds = ROOMY, timeout: float = 20, memory_mb: int = 1024) -> Renderer:
    return Renderer(1, bounds, timeout=timeout, memory_mb=memory_mb, max_pixels=100_000_000)


@pytest.fixture
def renderer() -> Iterator[Renderer]:
    renderer = _renderer()
    yield renderer
    renderer.close()


class Fetches:
    """Hands a document's plaintext to the renderer, counting how often it was asked."""

    def __init__(self, data: bytes) -> None:
        self.data, self.count = data, 0

    def __call__(self) -> bytes:
        self.count += 1
        return self.data


def _scan(kind: str, pages: int = 1, size: tuple[int, int] = (1200, 1600)) -> bytes:
    frames = [Image.new("RGB", size, "white") for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, kind, save_all=pages > 1, append_images=frames[1:])
    return out.getvalue()


def _reds(data: bytes) -> int:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours: list[tuple[int, tuple[int, int, int]]] = image.getcolors(1 << 24) or []  # type: ignore[assignment]
    return sum(n for n, (r, g, b) in colours if r > 150 and g < 120 and b < 120)


@pytest.mark.parametrize(("kind", "media"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_a_scanned_page_comes_back_marked(renderer: Renderer, kind: str, media: str) -> None:
    scan = Fetches(_scan(kind))
    assert renderer.count("scan", scan, media) == 1
    # The blank page now has the mark's red ink on it, in either format.
    for form in ("webp", "png"):
        assert _reds(renderer.page("scan", scan, media, 1, MARK, "screen", form)) > 1000


def test_every_frame_of_a_multi_page_tiff_is_a_page(renderer: Renderer) -> None:
    scan = Fetches(_scan("TIFF", pages=3))
    assert renderer.count("tiff", scan, "image/tiff") == 3
    assert _reds(renderer.page("tiff", scan, "image/tiff", 3, MARK)) > 1000
    with pytest.raises(Unrenderable, match="no page 4"):
        renderer.page("tiff", scan, "image/tiff", 4, MARK)


def test_each_size_has_its_longest_side_and_a_scan_is_never_enlarged(renderer: Renderer) -> None:
    pdf, scan = Fetches(sample_pdf()), Fetches(_scan("PNG"))
    for size, side in SIDES.items():
        page = Image.open(io.BytesIO(renderer.page("pdf", pdf, PDF, 1, MARK, size)))
        assert abs(max(page.size) - side) <= 1, size  # pdfium rounds up
        shown = Image.open(io.BytesIO(renderer.page("scan", scan, "image/png", 1, MARK, size)))
        assert max(shown.size) == min(side, 1600), size


def test_a_document_is_decrypted_and_opened_once_for_all_its_pages(renderer: Renderer) -> None:
    pdf = Fetches(sample_pdf())
    pages = renderer.count("pdf", pdf, PDF)
    for number in range(1, pages + 1):
        renderer.page("pdf", pdf, PDF, number, MARK, "thumb")
    renderer.page("pdf", pdf, PDF, 1, MARK, "full")
    assert pdf.count == 1


def test_the_renderer_keeps_no_more_documents_or_bytes_than_its_bounds() -> None:
    two = _renderer(Bounds(documents=2, bytes=64 * 1024 * 1024, seconds=300))
    try:
        first, second, third = (Fetches(_scan("PNG")) for _ in range(3))
        for key, fetch in (("1", first), ("2", second), ("3", third)):
            two.page(key, fetch, "image/png", 1, MARK, "thumb")
        two.page("3", third, "image/png", 1, MARK, "thumb")
        two.page("1", first, "image/png", 1, MARK, "thumb")  # the oldest went when the third came
        assert (first.count, second.count, third.count) == (2, 1, 1)
    finally:
        two.close()
    small = _renderer(Bounds(documents=4, bytes=1000, seconds=300))
    try:
        pdf = Fetches(sample_pdf())  # larger than the bound: shown, then let go
        small.page("pdf", pdf, PDF, 1, MARK, "thumb")
        small.page("pdf", pdf, PDF, 1, MARK, "thumb")
        assert pdf.count == 2
    finally:
        small.close()


def test_a_document_unused_for_the_bound_seconds_is_let_go() -> None:
    brief = _renderer(Bounds(documents=4, bytes=64 * 1024 * 1024, seconds=0.5))
    try:
        pdf = Fetches(sample_pdf())
        brief.page("pdf", pdf, PDF, 1, MARK, "thumb")
        brief.page("pdf", pdf, PDF, 1, MARK, "thumb")
        assert pdf.count == 1
        time.sleep(1.2)
        brief.page("pdf", pdf, PDF, 1, MARK, "thumb")
        assert pdf.count == 2
    finally:
        brief.close()


def test_the_mark_layer_is_drawn_once_per_reader_and_page_size() -> None:
    shelf = Shelf(ROOMY)
    layer = shelf.layer(MARK.who, 600, 800)
    assert shelf.layer(MARK.who, 600, 800) is layer
    assert shelf.layer(MARK.who, 800, 600) is not layer
    assert shelf.layer("李四 · JY20261123-XYZ789", 600, 800) is not layer


def _refused_quickly(make: Callable[[], object], match: str) -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTooLargeToRender, match=match) as refusal:
        make()
    assert time.monotonic() - started < 10  # refused on what is declared, not after decoding
    assert (refusal.value.status, refusal.value.code) == (422, "document_too_large_to_render")


def test_pages_declaring_too_many_pixels_or_points_are_refused_before_decoding(
    renderer: Renderer,
) -> None:
    budget = r"24000×24000 pixels, more than the limit of 100000000 pixels"
    scan = Fetches(huge_png())
    _refused_quickly(lambda: renderer.count("huge", scan, "image/png"), budget)
    _refused_quickly(lambda: renderer.page("huge", scan, "image/png", 1, MARK), budget)
    # Beyond what Pillow itself will open, the refusal is the same.
    bigger = Fetches(huge_png(side=30_000))
    _refused_quickly(lambda: renderer.page("bigger", bigger, "image/png", 1, MARK), "RENDER_MAX")
    bomb = Fetches(image_bomb_pdf())
    assert renderer.count("bomb", bomb, PDF) == 1
    _refused_quickly(lambda: renderer.page("bomb", bomb, PDF, 1, MARK), "24000×24000 pixels")
    page = Fetches(huge_page_pdf())
    _refused_quickly(lambda: renderer.page("km", page, PDF, 1, MARK), "up to 14400 points")


def test_a_damaged_pdf_is_refused_rather_than_served_unmarked(renderer: Renderer) -> None:
    damaged = Fetches(b"%PDF-1.7\n" + b"\x00" * 500)
    with pytest.raises(Unrenderable, match="damaged"):
        renderer.page("damaged", damaged, PDF, 1, MARK)


def test_a_renderer_out_of_memory_or_time_is_stopped_and_the_next_page_still_renders() -> None:
    pdf = Fetches(sample_pdf())
    for limits, error in (
        ({"memory_mb": 512}, r"ran out of memory \(limit 512 MB\)"),
        # Memory to spare, so the deadline and not the address-space limit is what stops it.
        ({"timeout": 0.5, "memory_mb": 8192}, r"timed out after 0.5 s"),
    ):
        hurried = Renderer(1, ROOMY, max_pixels=10**9, **{"timeout": 20.0, **limits})  # type: ignore[arg-type]
        try:
            with pytest.raises(DocumentTooLargeToRender, match=error):
                hurried.page("huge", Fetches(huge_png()), "image/png", 1, MARK)
            assert _reds(hurried.page("pdf", pdf, PDF, 1, MARK, "thumb")) > 0
        finally:
            hurried.close()
