"""Borrowed documents on the way out: page images and PDFs, each carrying a visible watermark.

Invariants: nothing here writes to disk (the plaintext stays in memory); a page that cannot be
watermarked is never served unmarked — it is an error instead; the mark names the borrower, the
borrowing and the time, on every page.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.errors import Unrenderable

PDF = "application/pdf"
# Debian's fonts-noto-cjk; Pillow needs a font file that has the Chinese glyphs.
FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
)
PDF_FONT = "STSong-Light"  # reportlab's built-in CID font; PDF readers supply the glyphs
DPI = 120
LONGEST_SIDE = 2400  # page images are scaled to fit, so a huge scan cannot exhaust memory
Image.MAX_IMAGE_PIXELS = 20_000 * 20_000


def page_count(data: bytes, media_type: str) -> int:
    """How many pages the document has (frames of a multi-page TIFF count as pages)."""
    if media_type == PDF:
        pdf = open_pdf(data)
        try:
            return len(pdf)
        finally:
            pdf.close()
    with open_image(data) as image:
        return getattr(image, "n_frames", 1)


def render_page(data: bytes, media_type: str, number: int, mark: str) -> bytes:
    """Page `number` (from 1) as a PNG with the watermark drawn over it."""
    if not 1 <= number <= page_count(data, media_type):
        raise Unrenderable(f"page: the document has no page {number}")
    if media_type == PDF:
        pdf = open_pdf(data)
        try:
            page = pdf[number - 1]
            scale = min(DPI / 72, LONGEST_SIDE / max(page.get_size()))
            picture = page.render(scale=scale).to_pil()
        finally:
            pdf.close()
    else:
        with open_image(data) as image:
            image.seek(number - 1)
            picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    marked = _draw_mark(picture.convert("RGBA"), mark)
    out = io.BytesIO()
    marked.convert("RGB").save(out, "PNG", optimize=False)
    return out.getvalue()


def stamp_pdf(data: bytes, mark: str) -> bytes:
    """The PDF with the watermark stamped over every page."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Unrenderable("this PDF is encrypted and cannot be watermarked")
        writer = PdfWriter(clone_from=reader)
        overlays: dict[tuple[float, float], PdfReader] = {}  # one per page size
        for page in writer.pages:
            box = page.mediabox
            size = (float(box.width), float(box.height))
            if size not in overlays:
                overlays[size] = PdfReader(io.BytesIO(_overlay(*size, mark)))
            page.merge_transformed_page(
                overlays[size].pages[0], (1, 0, 0, 1, float(box.left), float(box.bottom))
            )
            page.compress_content_streams()  # the mark is many strings; deflated it is small
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, ValueError, KeyError) as error:
        raise Unrenderable("this PDF cannot be watermarked: it is damaged") from error
    return out.getvalue()


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The PDF opened for rendering; the caller closes it."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise Unrenderable("this PDF cannot be rendered: it is damaged or encrypted") from error


def open_image(data: bytes) -> Image.Image:
    """The scan opened lazily (frames of a TIFF by `seek`); the caller closes it."""
    try:
        return Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise Unrenderable("this image cannot be rendered") from error


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    # Fail closed: a mark without its Chinese name would not say who the borrower was.
    raise Unrenderable("no CJK font for watermarks: install Debian's fonts-noto-cjk")


def _draw_mark(page: Image.Image, mark: str) -> Image.Image:
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


def _overlay(width: float, height: float, mark: str) -> bytes:
    # One page of the same size holding only the mark, merged over the original page.
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(width, height))
    size = max(9.0, width / 40)
    sheet.setFont(PDF_FONT, size)
    sheet.setFillColor(Color(0.8, 0.1, 0.1, alpha=0.3))
    sheet.saveState()
    sheet.translate(width / 2, height / 2)
    sheet.rotate(30)
    step = pdfmetrics.stringWidth(mark, PDF_FONT, size) + 4 * size
    reach = math.hypot(width, height)
    y = -reach
    while y < reach:
        x = -reach + (y / (size * 5)) % 2 * step / 2
        while x < reach:
            sheet.drawString(x, y, mark)
            x += step
        y += size * 5
    sheet.restoreState()
    sheet.setFillColor(Color(0.8, 0.1, 0.1, alpha=1))
    sheet.drawString(size / 2, size / 2, mark)
    sheet.save()
    return out.getvalue()
