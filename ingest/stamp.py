"""Borrowed files stamped for download: PDFs and scans, each carrying the visible watermark.

Invariants: nothing here writes to disk (the plaintext stays in memory and reaches the child
process through a pipe); the server process never parses or stamps a file: `stamped` runs the
work in a child with time and memory limits, and a scan's declared pixels are checked against the
budget before it is decoded; a file that cannot be stamped is never served unmarked — it is an
error instead (encrypted PDFs included); every page of a PDF and every frame of a scan carries the
mark, which names the borrower, the borrowing and the time, and a page's own content is drawn as a
form of its own, so that nothing it leaves unfinished can hide the mark; the mark's font is
embedded, never referenced; a stamped scan keeps none of the original's metadata (EXIF, GPS,
XMP, IPTC, comments, ICC profile), only its resolution.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms, ImageOps
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ingest.errors import DocumentTooLargeToRender, Unrenderable
from ingest.isolation import preload
from ingest.pages import PDF, RenderLimits, check_pixels, draw_mark, open_image, page_size

# A TrueType-outline CJK font (Debian's fonts-wqy-zenhei), so that reportlab can embed the subset
# the mark uses; Noto CJK is CFF, which reportlab can only reference.
PDF_FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PDF_FONT = "WenQuanYiZenHei"
# Pillow's name of each scan format we accept, by its media type, and how it is written back.
SCANS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF", "image/webp": "WEBP"}
SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 90},
    "PNG": {"compress_level": 6},
    "TIFF": {"compression": "tiff_adobe_deflate"},  # lossless, and read by every TIFF reader
    "WEBP": {"quality": 90, "method": 4},
}
ENCRYPTED = "this PDF is encrypted and cannot be watermarked"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def stamped(data: bytes, media_type: str, mark: str, limits: RenderLimits) -> bytes:
    """The file watermarked on every page or frame, stamped in a limited child process."""
    if media_type == PDF:
        return limits.run(stamp_pdf, data, mark)  # streams are copied undecoded: no pixels
    return limits.run(stamp_scan, data, media_type, mark, limits.max_pixels)


def stamp_pdf(data: bytes, mark: str) -> bytes:
    """The PDF with the watermark over every page: one shared Form XObject per page size."""
    out = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise Unrenderable(ENCRYPTED)
            seen = [_visible(page) for page in pdf.pages]
            _check_read(pdf, pages=len(seen))
            # The marks stay open through the save, which copies their streams from them.
            with pikepdf.open(io.BytesIO(_mark_pages(sorted(set(seen)), mark))) as marks:
                _stamp_pages(pdf, seen, marks)
                _save(pdf, out)
            _check_read(pdf, pages=len(seen))
    except pikepdf.PasswordError as error:
        raise Unrenderable(ENCRYPTED) from error
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, ValueError, KeyError, TypeError) as error:
        raise Unrenderable("this PDF cannot be watermarked: it is damaged") from error
    return out.getvalue()


def _save(pdf: pikepdf.Pdf, out: io.BytesIO) -> None:
    # Page content and images are copied as they are: nothing inflated or recompressed.
    with warnings.catch_warnings():
        # pikepdf's note on form fields the original left outside its /AcroForm: kept as they were.
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        pdf.save(
            out,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            fix_metadata_version=False,
        )


def _check_read(pdf: pikepdf.Pdf, pages: int) -> None:
    # qpdf reads past what it cannot decode, with a warning: a part of the file that inflates
    # beyond the memory allowed would be left out silently, so it is refused instead.
    if any("bad_alloc" in warning for warning in pdf.get_warnings()):
        raise DocumentTooLargeToRender(
            "this PDF cannot be watermarked: a part of it expands beyond the size allowed"
        )
    if not pages:
        raise Unrenderable("this PDF cannot be watermarked: it has no page that can be read")


def _stamp_pages(pdf: pikepdf.Pdf, seen: list[tuple[int, int]], marks: pikepdf.Pdf) -> None:
    # Each page's own content becomes a Form XObject of its own, drawn first, then the mark of its
    # visible size (one page of `marks` per size, in sorted order, shared by the pages of that
    # size). Drawn as forms, neither can leave state or an unfinished token (a string, an inline
    # image) that hides the other: readers parse a form's stream on its own.
    sizes = sorted(set(seen))
    prefix = str(pikepdf.Name.random(prefix="Mark"))  # a name no page's resources can hold
    forms, names = {}, {}
    for number, size in enumerate(sizes):
        forms[size] = pdf.copy_foreign(marks.pages[number].as_form_xobject())
        names[size] = pikepdf.Name(f"{prefix}{number}")
    own_name = pikepdf.Name(f"{prefix}Page")
    drawings: dict[bytes, pikepdf.Stream] = {}
    wrapped: set[tuple[int, int]] = set()
    for page, size in zip(pdf.pages, seen, strict=True):
        own = _own_content(pdf, page, wrapped)
        drawn = pikepdf.Dictionary()
        drawn[names[size]] = forms[size]
        if own is not None:
            drawn[own_name] = own
        page.obj.Resources = pikepdf.Dictionary(XObject=drawn)
        placed = page.calc_form_xobject_placement(
            forms[size], names[size], _shown(page), allow_expand=True
        )
        drawing = (b"%s Do\n" % own_name.unparse() if own is not None else b"") + placed
        if drawing not in drawings:
            drawings[drawing] = pdf.make_stream(drawing)
        page.obj.Contents = drawings[drawing]


def _own_content(
    pdf: pikepdf.Pdf, page: pikepdf.Page, wrapped: set[tuple[int, int]]
) -> pikepdf.Stream | None:
    # The page's content stream, made a Form XObject in place, its data untouched: pages drawn
    # from one stream get copies of the raw data, and only content split over several streams
    # (which may split a BT…ET between them) is inflated, to be joined into one.
    contents = page.obj.get(pikepdf.Name.Contents)
    if isinstance(contents, pikepdf.Array) and len(contents) == 1:
        contents = contents[0]
    if isinstance(contents, pikepdf.Array):
        parts = [part.read_bytes() for part in contents if isinstance(part, pikepdf.Stream)]
        form = pdf.make_stream(b"\n".join(parts))
    elif isinstance(contents, pikepdf.Stream):
        if contents.objgen in wrapped or not contents.is_indirect:
            form = pdf.make_stream(contents.read_raw_bytes())
            for key in (pikepdf.Name.Filter, pikepdf.Name.DecodeParms):
                if key in contents:
                    form[key] = contents[key]
        else:
            form = contents
            wrapped.add(contents.objgen)
    else:
        return None
    form.Type = pikepdf.Name.XObject
    form.Subtype = pikepdf.Name.Form
    form.BBox = page.mediabox
    form.Resources = page.obj.get(pikepdf.Name.Resources, pikepdf.Dictionary())
    return form


def _visible(page: pikepdf.Page) -> tuple[int, int]:
    # The page as a reader shows it, turned by /Rotate; whole points, so pages that differ by a
    # fraction of a point share one mark (placing it scales it by that fraction).
    box = _shown(page)
    width, height = page_size((box.width, box.height))
    if int(page.obj.get(pikepdf.Name.Rotate, 0)) % 360 in (90, 270):
        width, height = height, width
    return max(1, round(width)), max(1, round(height))


def _shown(page: pikepdf.Page) -> pikepdf.Rectangle:
    # Readers show the crop box within the media box: a crop box reaching past the media box
    # would put the foot of the mark where nothing is shown. One that misses it shows nothing
    # in pdfium; others fall back to the media box, and the mark follows them.
    media = pikepdf.Rectangle(page.mediabox)
    box = pikepdf.Rectangle(page.cropbox) & media
    return box if box.width > 0 and box.height > 0 else media


def register_pdf_font() -> None:
    """Make the CJK font known to reportlab, to be embedded as a subset; refuse without it."""
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        if not PDF_FONT_FILE.exists():
            # Fail closed: a mark in a font the reader may lack could show nothing at all.
            raise Unrenderable("no CJK font for PDF watermarks: install Debian's fonts-wqy-zenhei")
        pdfmetrics.registerFont(TTFont(PDF_FONT, str(PDF_FONT_FILE), subfontIndex=0))


# Parsed once on import (a tenth of a second), so children of a forkserver that preloads this
# module start with it; a font missing or broken here is refused when a mark needs it.
with contextlib.suppress(Exception):
    register_pdf_font()
preload(__name__)


def _mark_pages(sizes: list[tuple[int, int]], mark: str) -> bytes:
    # One page of each size holding only the mark; one document, so they share one font subset.
    register_pdf_font()
    out = io.BytesIO()
    # Started in the mark's font, so that no page refers to a Helvetica it does not embed
    # (types-reportlab has `initialFontName` as a number).
    sheet = canvas.Canvas(out, pageCompression=1, initialFontName=PDF_FONT)  # type: ignore[arg-type]
    for width, height in sizes:
        sheet.setPageSize((width, height))
        _draw_pdf_mark(sheet, width, height, mark)
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def _draw_pdf_mark(sheet: canvas.Canvas, width: float, height: float, mark: str) -> None:
    # Tiled diagonally over the whole page, so cropping cannot remove it, and once more solid at
    # the foot, where it is read.
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


def stamp_scan(data: bytes, media_type: str, mark: str, max_pixels: int) -> bytes:
    """The scan in its own format with the watermark on every frame and no original metadata."""
    kind = SCANS.get(media_type)
    with open_image(data, max_pixels) as scan:
        if kind is None or scan.format != kind:
            raise Unrenderable(f"this file is not the {media_type} it is stored as")
        dpi = _resolution(scan.info.get("dpi"))
        frames = []
        for index in range(getattr(scan, "n_frames", 1)):
            scan.seek(index)
            check_pixels(*scan.size, max_pixels)  # each frame of a TIFF has its own size
            frames.append(_marked_frame(scan, mark))
    out = io.BytesIO()
    first, *rest = frames
    extra = {"dpi": dpi} if dpi else {}
    first.save(out, kind, save_all=bool(rest), append_images=rest, **SAVE_OPTIONS[kind], **extra)
    return out.getvalue()


def _marked_frame(scan: Image.Image, mark: str) -> Image.Image:
    # Upright as its EXIF says, in sRGB, marked; then a new image, so no metadata comes along.
    upright = ImageOps.exif_transpose(scan)
    keeps_alpha = "A" in upright.getbands() or "transparency" in upright.info
    marked = draw_mark(_srgb(upright).convert("RGBA"), mark)
    clean = marked.convert("RGBA" if keeps_alpha and scan.format != "JPEG" else "RGB")
    clean.info = {}
    return clean


def _srgb(image: Image.Image) -> Image.Image:
    # The colours an ICC profile gives the pixels, kept while the profile itself is dropped.
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        converted = ImageCms.profileToProfile(image, profile, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile is ignored, as readers ignore it
    return converted if converted is not None else image


def _resolution(dpi: object) -> tuple[float, float] | None:
    # The one property kept: how large the paper was; anything odd is dropped, not repaired.
    try:
        x, y = (float(value) for value in dpi)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    return (x, y) if 0 < x <= 100_000 and 0 < y <= 100_000 else None
