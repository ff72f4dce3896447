"""Borrowed documents on the screen: page images, each carrying a visible watermark.

Invariants: nothing here writes to disk (the plaintext stays in memory, and reaches the child
process through a pipe); the server process never parses or renders a file: `count` and
`picture` run the work in a child with time and memory limits, and the pixels a page or image
declares are checked against the budget before anything is decoded; a page that cannot be
watermarked is never served unmarked — it is an error instead; the mark names the borrower, the
borrowing and the time, on every page. Downloads are stamped by ingest.stamp.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, TypeVarTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from ingest.errors import DocumentTooLargeToRender, Unrenderable
from ingest.isolation import run_isolated

PDF = "application/pdf"
# Debian's fonts-noto-cjk; Pillow needs a font file that has the Chinese glyphs.
FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
)
DPI = 120
LONGEST_SIDE = 2400  # page images are scaled to fit, so a huge scan cannot exhaust memory
Image.MAX_IMAGE_PIXELS = 20_000 * 20_000
MAX_PIXELS = 100_000_000  # the default budget of one page or embedded image (10000×10000)
R = TypeVar("R")
Ts = TypeVarTuple("Ts")
MAX_PAGE_SIDE = 14_400  # points (200 inches): the largest page PDF readers are bound to show


@dataclass(frozen=True)
class RenderLimits:
    """What one rendering may take: seconds, megabytes of address space, declared pixels."""

    timeout: float
    memory_mb: int
    max_pixels: int

    def run(self, function: Callable[[*Ts], R], *args: *Ts) -> R:
        """`function(*args)` in a child process under these limits; failures are Unrenderable."""
        return run_isolated(
            function,
            *args,
            timeout=self.timeout,
            memory_mb=self.memory_mb,
            failed=Unrenderable,
            exceeded=DocumentTooLargeToRender,
        )


def count(data: bytes, media_type: str, limits: RenderLimits) -> int:
    """How many pages the document has, counted in a limited child process."""
    return limits.run(page_count, data, media_type, limits.max_pixels)


def picture(data: bytes, media_type: str, number: int, mark: str, limits: RenderLimits) -> bytes:
    """Page `number` as a watermarked PNG, rendered in a limited child process."""
    return limits.run(render_page, data, media_type, number, mark, limits.max_pixels)


def page_count(data: bytes, media_type: str, max_pixels: int = MAX_PIXELS) -> int:
    """How many pages the document has (frames of a multi-page TIFF count as pages)."""
    if media_type == PDF:
        pdf = open_pdf(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    with open_image(data, max_pixels) as image:
        return getattr(image, "n_frames", 1)


def render_page(
    data: bytes, media_type: str, number: int, mark: str, max_pixels: int = MAX_PIXELS
) -> bytes:
    """Page `number` (from 1) as a PNG with the watermark drawn over it."""
    if not 1 <= number <= page_count(data, media_type, max_pixels):
        raise Unrenderable(f"page: the document has no page {number}")
    if media_type == PDF:
        pdf = open_pdf(data)
        try:
            page = pdf[number - 1]
            scale = min(DPI / 72, LONGEST_SIDE / max(page_size(page.get_size())))
            _check_images(page, max_pixels)
            image = page.render(scale=scale).to_pil()
        finally:
            pdf.close()
    else:
        with open_image(data, max_pixels) as scan:
            scan.seek(number - 1)
            check_pixels(*scan.size, max_pixels)  # each frame of a TIFF has its own size
            image = ImageOps.exif_transpose(scan).convert("RGB")
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    marked = draw_mark(image.convert("RGBA"), mark)
    out = io.BytesIO()
    marked.convert("RGB").save(out, "PNG", optimize=False)
    return out.getvalue()


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The PDF opened for rendering; the caller closes it."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise Unrenderable("this PDF cannot be rendered: it is damaged or encrypted") from error


def open_image(data: bytes, max_pixels: int | None = None) -> Image.Image:
    """The scan opened lazily (frames of a TIFF by `seek`), its declared size within the budget.

    Only the header is read here; the caller closes the image.
    """
    try:
        with warnings.catch_warnings():  # the size is checked below, against our own budget
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:  # Pillow's own guard, far above any budget
        limit = max_pixels or 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise DocumentTooLargeToRender(
            f"a page declares more than {limit} pixels (DANGAN_RENDER_MAX_PIXELS)"
        ) from error
    except UnidentifiedImageError as error:
        raise Unrenderable("this image cannot be rendered") from error
    if max_pixels is not None:
        try:
            check_pixels(*image.size, max_pixels)
        except DocumentTooLargeToRender:
            image.close()
            raise
    return image


def check_pixels(width: int, height: int, max_pixels: int) -> None:
    # Before decoding: the declared size decides, so a small file cannot claim a huge picture.
    if width * height > max_pixels:
        raise DocumentTooLargeToRender(
            f"a page declares {width}×{height} pixels, more than the limit of {max_pixels} "
            "pixels (DANGAN_RENDER_MAX_PIXELS)"
        )


def page_size(size: tuple[float, float]) -> tuple[float, float]:
    # A page box larger than PDF readers show (or not positive) is refused, not drawn on.
    width, height = size
    if not (0 < width <= MAX_PAGE_SIDE and 0 < height <= MAX_PAGE_SIDE):
        raise DocumentTooLargeToRender(
            f"a page measures {width:g}×{height:g} points; pages up to {MAX_PAGE_SIDE} points "
            "a side are rendered"
        )
    return width, height


def _check_images(page: pdfium.PdfPage, max_pixels: int) -> None:
    # pdfium decodes an embedded image at its own size, whatever the page is scaled to.
    for found in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        if isinstance(found, pdfium.PdfImage):
            metadata = found.get_metadata()
            check_pixels(metadata.width, metadata.height, max_pixels)


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    # Fail closed: a mark without its Chinese name would not say who the borrower was.
    raise Unrenderable("no CJK font for watermarks: install Debian's fonts-noto-cjk")


def draw_mark(page: Image.Image, mark: str) -> Image.Image:
    # The mark is tiled diagonally over the whole page, so cropping cannot remove it, and once
    # more in a solid band at the foot, so it stays legible over dark scans.
    width, height = page.size
    size = max(14, width // 40)
    font = _font(size)
    side = math.isqrt(width * width + height * height) + size
    tiles = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tiles)
    step = int(draw.textlength(mark, font=font)) + 4 * size
    for row, y in enumerate(range(0, side, size * 5)):
        for x in range(-(row % 2) * step // 2, side, step):
            draw.text((x, y), mark, font=font, fill=(200, 30, 30, 70))
    tiles = tiles.rotate(30, resample=Image.Resampling.BICUBIC)
    left, top = (side - width) // 2, (side - height) // 2
    page.alpha_composite(tiles.crop((left, top, left + width, top + height)))
    band = ImageDraw.Draw(page)
    band.rectangle((0, height - size * 2, width, height), fill=(255, 255, 255, 255))
    band.text((size // 2, height - size * 2 + size // 3), mark, font=font, fill=(200, 30, 30, 255))
    return page
