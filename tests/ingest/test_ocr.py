"""OCR of scans and image-only PDFs (Tesseract among the engines): words boxed in PDF points."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.errors import Unrenderable
from ingest.license import read_license
from ingest.ocr import ocr_image, ocr_page
from ingest.statements import extract
from ingest.statements.labels import simplified
from ingest.statements.numbers import amount
from ingest.words import Page, Word
from tests.factories import CJK_FONT, license_image, random_uscc, sample_pdf

SCAN_DPI = 300


@pytest.fixture(autouse=True, scope="module")
def _tesseract(ocr: None) -> None:
    """Every test here needs Tesseract."""


@dataclass(frozen=True)
class License:
    """A synthetic license scan and what was drawn on it, with boxes in pixels."""

    image: Image.Image
    uscc: str
    boxes: dict[str, tuple[float, float, float, float]]


@pytest.fixture(scope="module")
def license_scan() -> License:
    uscc = random_uscc()
    image, boxes = license_image("上海示例贸易有限公司", uscc)
    return License(image, uscc, boxes)


def _encoded(image: Image.Image, kind: str, dpi: int = SCAN_DPI) -> bytes:
    out = io.BytesIO()
    if kind == "PDF":
        # Bilevel, as document scanners store pages (CCITT-compressed inside the PDF).
        image.convert("1").save(out, kind, resolution=dpi)
    else:
        image.save(out, kind, dpi=(dpi, dpi))
    return out.getvalue()


def _word(page: Page, text: str) -> Word:
    # With the traditional model loaded, a label may come back as 統一社會信用代碼: same word.
    found = [word for word in page.words if simplified(word.text) == text]
    assert found, f"{text!r} not read"
    return found[0]


def _near(word: Word, box: tuple[float, float, float, float], dpi: int) -> None:
    # Tesseract boxes the ink, some Chinese characters a little taller than drawn; within 6
    # points (2 mm) is the same place, where pixels taken for points would be off fourfold.
    expected = [pixel * 72 / dpi for pixel in box]
    assert [word.x0, word.top, word.x1, word.bottom] == pytest.approx(expected, abs=6)


@pytest.mark.parametrize("kind", ["PNG", "PDF"])
def test_a_scanned_license_is_read_exactly(license_scan: License, kind: str) -> None:
    data = _encoded(license_scan.image, kind)
    page = ocr_page(data, 1) if kind == "PDF" else ocr_image(data)[0]
    assert page.source == "ocr"
    assert (page.width, page.height) == pytest.approx((2000 * 72 / 300, 1100 * 72 / 300), abs=1)

    fields = read_license([page])
    assert fields is not None
    assert fields.uscc == license_scan.uscc
    assert fields.name == "上海示例贸易有限公司"
    assert fields.founded_on is not None
    assert fields.founded_on.isoformat() == "2015-03-12"
    assert fields.valid_from == fields.founded_on
    assert fields.indefinite
    assert fields.valid_until is None

    # Chinese comes back as words, not characters, boxed where it was drawn, in points.
    _near(_word(page, "统一社会信用代码"), license_scan.boxes["统一社会信用代码"], SCAN_DPI)
    name = "上海示例贸易有限公司"
    _near(_word(page, name), license_scan.boxes[name], SCAN_DPI)


def test_each_frame_of_a_tiff_is_a_page_measured_by_its_dpi() -> None:
    font = ImageFont.truetype(CJK_FONT, 40)
    frames = []
    for label in ("资产总计", "负债合计"):
        frame = Image.new("L", (900, 200), 255)
        draw = ImageDraw.Draw(frame)
        draw.text((100, 70), label, font=font, fill=0)
        draw.text((550, 70), "297,466,784", font=font, fill=0)
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))

    pages = ocr_image(out.getvalue())

    assert [page.number for page in pages] == [1, 2]
    assert pages[0].width == pytest.approx(900 * 72 / 200)
    first, second = ({word.text for word in page.words} for page in pages)
    assert {"资产总计", "297,466,784"} <= first
    assert {"负债合计", "297,466,784"} <= second
    drawn = ImageDraw.Draw(frames[0]).textbbox((100, 70), "资产总计", font=font)
    _near(_word(pages[0], "资产总计"), drawn, 200)


def test_the_real_scanned_statement_gives_its_labels_and_figures() -> None:
    page = ocr_page(sample_pdf(), 1)

    texts = [word.text for word in page.words]
    assert "Total" in texts
    assert "assets" in {text.lower() for text in texts}
    total = _word(page, "297,466,784")
    prior = _word(page, "263,725,477")
    # The 2022 column stands left of the 2021 one on the same line, as on the page.
    assert total.x1 < prior.x0
    assert abs(total.top - prior.top) < 5
    assert (page.width, page.height) == pytest.approx((597, 843))


def test_a_page_beyond_the_end_is_refused(license_scan: License) -> None:
    with pytest.raises(Unrenderable, match="no page 2"):
        ocr_page(_encoded(license_scan.image, "PDF"), 2)


def test_a_scanned_traditional_chinese_balance_sheet_is_read_exactly() -> None:
    # Hong Kong and Taiwan reports print traditional characters; the simplified model alone
    # reads 資產總值 as noise.
    font = ImageFont.truetype(CJK_FONT, 40)
    image = Image.new("L", (2480, 1000), 255)
    draw = ImageDraw.Draw(image)
    draw.text((700, 60), "綜合財務狀況表", font=font, fill=0)
    draw.text((100, 160), "單位：人民幣千元", font=font, fill=0)
    draw.text((1500, 260), "2024年6月30日", font=font, fill=0)
    draw.text((1950, 260), "2023年12月31日", font=font, fill=0)
    rows = {
        "total_assets": ("資產總值", "342,175,227", "324,247,439"),
        "total_liabilities": ("負債總額", "168,979,405", "159,985,671"),
        "total_equity": ("權益總額", "173,195,822", "164,261,768"),
    }
    for index, (label, current, prior) in enumerate(rows.values()):
        top = 360 + index * 110
        draw.text((100, top), label, font=font, fill=0)
        draw.text((1800 - draw.textlength(current, font=font), top), current, font=font, fill=0)
        draw.text((2300 - draw.textlength(prior, font=font), top), prior, font=font, fill=0)
    [statement] = extract(ocr_image(_encoded(image, "PNG")))
    assert (statement.type, statement.unit, statement.multiplier) == ("balance_sheet", "千元", 1000)
    for code, (_, current, prior) in rows.items():
        figure = statement.items[code]
        assert (figure.current, figure.prior) == (amount(current), amount(prior)), code
