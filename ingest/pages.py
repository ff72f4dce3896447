"""Borrowed documents on the screen: page images, each carrying a visible watermark.

Invariants: nothing here writes to disk (the plaintext stays in memory, and reaches the child
process through a pipe); the server process never parses or renders a file: the page functions
run in a resident renderer (ingest.viewer), with time and memory limits, and the pixels a page
or image declares are checked against the budget before anything is decoded; a page that cannot
be watermarked is never served unmarked — it is an error instead; the mark names the borrower,
the borrowing and the time, on every page. Downloads are stamped by ingest.stamp.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
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
INK = (200, 30, 30)  # the mark's red
Image.MAX_IMAGE_PIXELS = 20_000 * 20_000
MAX_PIXELS = 100_000_000  # the default budget of one page or embedded image (10000×10000)
R = TypeVar("R")
Ts = TypeVarTuple("Ts")
MAX_PAGE_SIDE = 14_400  # points (200 inches): the largest page PDF readers are bound to show


@dataclass(frozen=True)
class Mark:
    """A watermark: who reads on what basis (tiled over the page), and when (in the foot band)."""

    who: str
    when: str

    @property
    def text(self) -> str:
        """The whole mark, as it is printed in the foot band."""
        return f"{self.who} · {self.when}"

    @classmethod
    def of(cls, reader: str, basis: str, zone: tzinfo, now: datetime) -> Mark:
        """Who, on what basis, when (company time, its zone named): what a leak is traced by."""
        local = now.astimezone(zone)
        return cls(f"{reader} · {basis}", f"{local:%Y-%m-%d %H:%M} {_offset(local)}")


def _offset(local: datetime) -> str:
    # `UTC+08:00`: an offset is understood in any country, a zone's name is not.
    offset = local.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    hours, seconds = divmod(int(abs(offset).total_seconds()), 3600)
    return f"UTC{sign}{hours:02d}:{seconds // 60:02d}"


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


def pdf_page(pdf: pdfium.PdfDocument, number: int, side: int, max_pixels: int) -> Image.Image:
    """Page `number` (from 1) of an opened PDF, drawn with its longest side `side` pixels."""
    page = pdf[number - 1]
    try:
        scale = side / max(page_size(page.get_size()))
        _check_images(page, max_pixels)
        image: Image.Image = page.render(scale=scale).to_pil()
    finally:
        page.close()
    return image if image.mode == "RGB" else image.convert("RGB")


def scan_page(data: bytes, number: int, side: int, max_pixels: int) -> Image.Image:
    """Frame `number` (from 1) of a scan, upright, scaled down to fit `side` pixels (never up)."""
    with open_image(data, max_pixels) as scan:
        scan.seek(number - 1)
        check_pixels(*scan.size, max_pixels)  # each frame of a TIFF has its own size
        scan.draft("RGB", (side, side))  # a JPEG decodes straight at a fraction of its size
        image = ImageOps.exif_transpose(scan).convert("RGB")
    image.thumbnail((side, side))
    return image


def frames(data: bytes, max_pixels: int) -> int:
    """How many pages a scan has (the frames of a multi-page TIFF)."""
    with open_image(data, max_pixels) as image:
        return getattr(image, "n_frames", 1)


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


def mark_layer(who: str, width: int, height: int) -> Image.Image:
    """The tiled part of the mark, as coverage (mode L) for a page of this size.

    It is tiled diagonally over the whole page, so cropping cannot remove it.
    """
    size = _mark_size(width)
    font = _font(size)
    side = math.isqrt(width * width + height * height) + size
    tiles = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(tiles)
    step = int(draw.textlength(who, font=font)) + 4 * size
    for row, y in enumerate(range(0, side, size * 5)):
        for x in range(-(row % 2) * step // 2, side, step):
            draw.text((x, y), who, font=font, fill=70)
    tiles = tiles.rotate(30, resample=Image.Resampling.BICUBIC)
    left, top = (side - width) // 2, (side - height) // 2
    return tiles.crop((left, top, left + width, top + height))


def apply_mark(page: Image.Image, layer: Image.Image, mark: str) -> Image.Image:
    """The page (RGB or RGBA) inked with the layer, and the whole mark again in a band at its foot.

    The band is solid, so the mark stays legible over dark scans.
    """
    width, height = page.size
    opaque = (255,) if page.mode == "RGBA" else ()  # a scan with transparency keeps it
    page.paste((*INK, *opaque), (0, 0, width, height), layer)
    size = _mark_size(width)
    band = ImageDraw.Draw(page)
    band.rectangle((0, height - size * 2, width, height), fill=(255, 255, 255, *opaque))
    band.text(
        (size // 2, height - size * 2 + size // 3), mark, font=_font(size), fill=(*INK, *opaque)
    )
    return page


def draw_mark(page: Image.Image, mark: str) -> Image.Image:
    """The page (RGB or RGBA) with the whole mark tiled over it and at its foot, drawn afresh."""
    return apply_mark(page, mark_layer(mark, *page.size), mark)


def _mark_size(width: int) -> int:
    return max(14, width // 40)
