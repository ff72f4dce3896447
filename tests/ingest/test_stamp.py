"""Stamped downloads: every page and frame carries the mark, its font embedded; the rest is kept."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageCms, PngImagePlugin

from ingest import stamp
from ingest.errors import DocumentTooLargeToRender, Unrenderable
from ingest.pages import PDF, RenderLimits
from ingest.stamp import stamp_pdf, stamp_scan, stamped
from tests.factories import red_pixels, sample_pdf
from tests.hostile import content_bomb_pdf, huge_page_pdf, huge_png, object_stream_bomb_pdf

MARK = "王五 · JY20261123-ABC123 · 2026-11-23 10:00 UTC+08:00"
LIMITS = RenderLimits(timeout=30, memory_mb=1024, max_pixels=100_000_000)
# TIFF tags that only describe the pixels: size, samples, compression, strips, resolution.
PIXEL_TAGS = {256, 257, 258, 259, 262, 273, 277, 278, 279, 282, 283, 284, 296, 338}
OWNER = "Owner Name"  # ASCII, so that it can be looked for in the bytes of any format
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="%s"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
REPORT = Path(__file__).parents[1] / "data" / "statements" / "cn_a_shenzhen_energy_2016_annual.pdf"


def _drawn(page: pikepdf.Page) -> list[pikepdf.Object]:
    # The Form XObjects a page draws, in order: its own content, then the mark.
    names = [
        op.operands[0] for op in pikepdf.parse_content_stream(page) if str(op.operator) == "Do"
    ]
    return [page.resources.XObject[name] for name in names if isinstance(name, pikepdf.Name)]


def _marks(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return [_drawn(page)[-1] for page in pdf.pages]


def test_a_stamped_report_shares_one_mark_embeds_its_font_and_keeps_its_size() -> None:
    original = REPORT.read_bytes()
    started = time.monotonic()
    copy = stamp_pdf(original, MARK)
    took = time.monotonic() - started
    assert len(copy) <= 1.1 * len(original)
    assert took < 20  # seconds, on a loaded machine; the benchmark measures it properly
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert len(pdf.pages) == 310
        marks = _marks(pdf)
        # Every page of a size refers to the same object; the report has few sizes.
        assert len({mark.objgen for mark in marks}) <= 3
        fonts = {str(f.BaseFont): f for mark in marks for f in mark.Resources.Font.values()}
        assert len(fonts) == 1
        (font,) = fonts.values()
        assert str(font.BaseFont).endswith("+WenQuanYiZenHei-0")  # a subset, by its tag
        assert len(font.FontDescriptor.FontFile2.read_bytes()) > 1000  # embedded outlines
    document = pdfium.PdfDocument(copy)
    for index in range(0, 310, 7):
        assert MARK in document[index].get_textpage().get_text_range()


def _awkward_pdf() -> bytes:
    # Five pages: turned a quarter by the page tree (inherited, with the font), cropped off
    # centre, turned three quarters with a box that does not start at the origin, and cropped by
    # boxes reaching past the media box (readers show only the part within it).
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Helvetica"
        )
    )
    for number in range(5):
        page = pdf.add_blank_page(page_size=(595, 842))
        del page.obj["/Resources"]
        text = b"BT /F1 24 Tf 150 400 Td (page %d) Tj ET" % number
        page.obj.Contents = pdf.make_stream(text)
    pdf.pages[1].obj.CropBox = pikepdf.Array([100, 200, 500, 700])
    pdf.pages[2].obj.Rotate = 270
    pdf.pages[2].obj.MediaBox = pikepdf.Array([-300, -400, 295, 442])
    pdf.pages[3].obj.CropBox = pikepdf.Array([-100, -100, 695, 942])
    pdf.pages[4].obj.CropBox = pikepdf.Array([100, -200, 700, 500])
    pdf.Root.Pages.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.Root.Pages.Rotate = 90
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_turned_cropped_and_inheriting_pages_show_the_mark_upright_at_their_foot() -> None:
    copy = pdfium.PdfDocument(stamp_pdf(_awkward_pdf(), MARK))
    shown = [(842, 595), (500, 400), (842, 595), (842, 595), (500, 495)]
    assert [copy[n].get_size() for n in range(5)] == shown
    for number in range(5):
        page = copy[number]
        text = page.get_textpage().get_text_range()
        assert MARK in text
        assert f"page {number}" in text  # its own content, with the inherited font, is still there
        image = page.render(scale=1).to_pil()
        width, height = image.size
        # The solid line of the mark runs along the foot of the page as it is shown.
        assert red_pixels(image.crop((0, height - 25, width, height))) > 100
        assert red_pixels(image.crop((0, 0, width, 25))) == 0


def test_pages_differing_by_a_fraction_of_a_point_share_one_mark() -> None:
    pdf = pikepdf.new()
    for width in (595.0, 595.3, 612.0):
        pdf.add_blank_page(page_size=(width, 842))
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(stamp_pdf(out.getvalue(), MARK))) as copy:
        shared = [mark.objgen for mark in _marks(copy)]
    assert shared[0] == shared[1] != shared[2]


def _one_page(*contents: bytes) -> bytes:
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1)
    font.BaseFont = pikepdf.Name.Helvetica
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pikepdf.Array([pdf.make_stream(part) for part in contents])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "ending",
    [b"(an unclosed string", b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00", b"q q 9 0 0 9 0 0 cm", b"%"],
)
def test_a_page_whose_content_ends_unfinished_cannot_hide_the_mark(ending: bytes) -> None:
    # Read on into the next stream, such an ending would swallow a mark simply appended after it.
    copy = pdfium.PdfDocument(
        stamp_pdf(_one_page(b"BT /F1 24 Tf 100 400 Td (own) Tj ET " + ending), MARK)
    )
    text = copy[0].get_textpage().get_text_range()
    assert "own" in text
    assert MARK in text


def test_content_split_over_streams_is_drawn_whole_under_the_mark() -> None:
    split = _one_page(b"BT /F1 24 Tf 100 400 Td", b"(split) Tj ET")
    text = pdfium.PdfDocument(stamp_pdf(split, MARK))[0].get_textpage().get_text_range()
    assert "split" in text
    assert MARK in text


def test_pages_drawn_from_one_content_stream_keep_their_own_resources() -> None:
    pdf = pikepdf.new()
    shared = pdf.make_stream(b"BT /F1 24 Tf 100 400 Td (own) Tj ET")
    for face in ("/Helvetica", "/Courier"):
        page = pdf.add_blank_page(page_size=(595, 842))
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1)
        font.BaseFont = pikepdf.Name(face)
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = shared
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(stamp_pdf(out.getvalue(), MARK))) as copy:
        faces = [str(_drawn(page)[0].Resources.Font.F1.BaseFont) for page in copy.pages]
        assert faces == ["/Helvetica", "/Courier"]


def test_an_encrypted_pdf_is_refused_whether_or_not_it_needs_a_password() -> None:
    for user in ("", "secret"):
        with pikepdf.open(io.BytesIO(sample_pdf())) as pdf:
            out = io.BytesIO()
            pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=user))
        with pytest.raises(Unrenderable, match="encrypted"):
            stamp_pdf(out.getvalue(), MARK)


def test_a_damaged_pdf_is_refused_rather_than_served_unmarked() -> None:
    with pytest.raises(Unrenderable, match=r"damaged|no page"):
        stamp_pdf(b"%PDF-1.7\n" + b"\x00" * 500, MARK)


def test_without_its_font_the_pdf_mark_fails_closed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(stamp, "PDF_FONT_FILE", tmp_path / "missing.ttc")
    monkeypatch.setattr(stamp, "PDF_FONT", "NotRegisteredYet")
    with pytest.raises(Unrenderable, match="fonts-wqy-zenhei"):
        stamp_pdf(sample_pdf(), MARK)


def _refused(make: object, match: str) -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTooLargeToRender, match=match):
        make()  # type: ignore[operator]
    assert time.monotonic() - started < 20


def test_pdfs_beyond_the_limits_are_refused_in_the_child_process() -> None:
    _refused(lambda: stamped(huge_page_pdf(), PDF, MARK, LIMITS), "pages up to 14400 points")
    # qpdf must inflate an object stream to find the page: past the memory limit it is refused.
    _refused(lambda: stamped(object_stream_bomb_pdf(), PDF, MARK, LIMITS), "expands beyond")


def test_page_content_is_copied_as_it_is_never_inflated() -> None:
    # 400 MB of page content, deflated: stamped in moments, and still deflated in the copy.
    started = time.monotonic()
    copy = stamped(content_bomb_pdf(), PDF, MARK, LIMITS)
    assert time.monotonic() - started < 10
    assert len(copy) < 1.1 * len(content_bomb_pdf()) + 50_000  # the mark and its font subset
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        (page,) = pdf.pages
        own, _mark = _drawn(page)
        assert own.Filter == pikepdf.Name.FlateDecode
        assert len(own.read_raw_bytes()) < 1 << 20


def _photo(kind: str, frames: int = 1) -> bytes:
    # A grey scan as a phone or a scanner sends it: turned by EXIF, with GPS, an ICC profile, and
    # the owner's name in XMP and in the format's own text (a JPEG comment, PNG text chunks, TIFF
    # description and artist tags).
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to show
    exif[0x013B] = OWNER  # artist
    exif.get_ifd(0x8825)[2] = (31.0, 14.0, 0.0)  # GPS latitude
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    pages = [Image.new("RGB", (1200, 800), (200, 200, 200 - 20 * n)) for n in range(frames)]
    xmp = XMP % OWNER.encode()
    by_kind: dict[str, dict[str, object]] = {
        "JPEG": {"comment": OWNER.encode(), "xmp": xmp},
        "WEBP": {"xmp": xmp},
        "PNG": {"pnginfo": _png_text(xmp)},
        # Pillow writes a TIFF's tags from `tiffinfo` alone when it is given: orientation too.
        "TIFF": {"tiffinfo": {270: OWNER, 274: 6, 315: OWNER, 700: xmp}},
    }
    out = io.BytesIO()
    pages[0].save(
        out,
        kind,
        save_all=frames > 1,
        append_images=pages[1:],
        exif=exif,
        icc_profile=icc,
        dpi=(300, 300),
        **by_kind[kind],
    )
    assert OWNER.encode() in out.getvalue()
    return out.getvalue()


def _png_text(xmp: bytes) -> PngImagePlugin.PngInfo:
    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Author", OWNER)
    chunks.add_itxt("Comment", f"{OWNER} 家中扫描")
    chunks.add_itxt("XML:com.adobe.xmp", xmp.decode())
    return chunks


@pytest.mark.parametrize(
    ("kind", "media_type", "frames"),
    [
        ("JPEG", "image/jpeg", 1),
        ("PNG", "image/png", 1),
        ("WEBP", "image/webp", 1),
        ("TIFF", "image/tiff", 3),
    ],
)
def test_a_scan_is_stamped_upright_on_every_frame_in_its_format_without_its_metadata(
    kind: str, media_type: str, frames: int
) -> None:
    original = _photo(kind, frames)
    served = stamped(original, media_type, MARK, LIMITS)
    assert OWNER.encode() not in served  # in no tag, chunk or packet, whatever its name
    copy = Image.open(io.BytesIO(served))
    assert copy.format == kind
    assert getattr(copy, "n_frames", 1) == frames
    for frame in range(frames):
        copy.seek(frame)
        assert copy.size == (800, 1200)  # turned as its EXIF said, so no orientation is needed
        assert red_pixels(copy) > 1000  # the original's grey has no red: this is the mark
        assert set(copy.getexif()) <= PIXEL_TAGS  # a TIFF's own layout tags, nothing else
        for key in ("icc_profile", "exif", "comment", "xmp", "XML:com.adobe.xmp", "Author"):
            assert key not in copy.info, key
    assert copy.info.get("dpi", (300, 300)) == pytest.approx((300, 300), abs=1)


def test_a_scan_in_another_format_than_its_type_says_is_refused() -> None:
    with pytest.raises(Unrenderable, match="not the image/png"):
        stamp_scan(_photo("JPEG"), "image/png", MARK, LIMITS.max_pixels)


def test_a_scan_beyond_the_pixel_budget_is_refused_before_it_is_decoded() -> None:
    _refused(lambda: stamped(huge_png(), "image/png", MARK, LIMITS), "24000×24000 pixels")
