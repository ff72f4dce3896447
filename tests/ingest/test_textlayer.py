"""Garbage text layers: told apart from good ones in any script, and read by OCR instead."""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ingest.statements import extract_pdf
from ingest.statements.survey import survey
from ingest.words import Page, garbled
from tests.factories import CJK_FONT
from tests.statements import FONT, LAYOUT, printed

DPI = 300
FILLER_PAGES = 21  # more than a short document's pages, so only the tables' layout can lead OCR

GOOD_CHINESE = """合并资产负债表 2024年12月31日 编制单位：贵州茅台酒股份有限公司
单位：元 币种：人民币
流动资产： 货币资金 51,810,243,607.11 36,091,090,060.90 应收账款 存货 流动资产合计
中期簡明綜合財務狀況表 於二零二四年六月三十日 物業、廠房及設備 貿易應收款項 權益總額"""
GOOD_ENGLISH = """Consolidated statement of financial position as at 31 December 2025 (AED'000)
Property and equipment 1,234,567 1,100,200 Trade and other receivables — Café, naïve, résumé;
the Group’s revenue grew 12 % ✓ • total liabilities and equity 11,805,623 10,622,135"""


def _rare(count: int) -> str:
    """Ideographs a font can print but no everyday character set holds, as broken fonts give."""
    found = []
    for code in range(0x4E00, 0x9FA6):
        char = chr(code)
        if not garbled(char * 30):
            continue
        try:
            char.encode("gbk")  # STSong-Light can still write it into the PDF
        except UnicodeEncodeError:
            continue
        found.append(char)
        if len(found) == count:
            break
    return "".join(found)


NONSENSE = _rare(60)


def test_good_text_layers_are_trusted() -> None:
    assert not garbled(GOOD_CHINESE)
    assert not garbled(GOOD_ENGLISH)
    assert not garbled("")
    assert not garbled("\ue001\ue002 Contents \ue003 12 34")  # a few icons from a symbol font


def test_unmapped_and_rare_characters_are_garbage() -> None:
    assert garbled(" ".join(f"(cid:{n})(cid:{n + 7})" for n in range(30)))
    assert garbled("\ufffd" * 40 + " 2024 Annual Report")
    # The digits of a table survive a broken font; its labels come out as rare ideographs.
    rows = [f"{NONSENSE[i : i + 6]} {i},345,678 ({i}02,441)" for i in range(0, 60, 6)]
    assert garbled("\n".join(rows))
    assert garbled(GOOD_CHINESE[:40] + NONSENSE)  # a real heading does not redeem the page


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(CJK_FONT, round(size * DPI / 72))


def _pixels(points: float) -> float:
    return points * DPI / 72


def _statement_image(
    title: str, rows: Sequence[tuple[str, str | None]], figures: list[dict[str, Decimal]]
) -> Image.Image:
    """One statement page as a scanner would see it, positions as in tests.statements."""
    width, height = A4
    image = Image.new("L", (round(_pixels(width)), round(_pixels(height))), 255)
    draw = ImageDraw.Draw(image)
    draw.text((_pixels(width / 2), _pixels(60)), title, font=_font(12), fill=0, anchor="ms")
    small = _font(9)
    draw.text(
        (_pixels(50), _pixels(85)), "编制单位：示例制造有限公司", font=small, fill=0, anchor="ls"
    )
    draw.text(
        (_pixels(width - 50), _pixels(85)),
        "单位：元  币种：人民币",
        font=small,
        fill=0,
        anchor="rs",
    )
    draw.text((_pixels(50), _pixels(110)), "项目", font=small, fill=0, anchor="ls")
    for column, year in ((450, 2023), (545, 2022)):
        draw.text(
            (_pixels(column), _pixels(110)), f"{year}年12月31日", font=small, fill=0, anchor="rs"
        )
    y = 110
    for label, code in rows:
        y += 20
        draw.text((_pixels(50), _pixels(y)), label, font=small, fill=0, anchor="ls")
        for column, values in zip((450, 545), figures, strict=True):
            if code in values:
                draw.text(
                    (_pixels(column), _pixels(y)),
                    printed(values[code]),
                    font=small,
                    fill=0,
                    anchor="rs",
                )
    return image


def _broken_pdf(current: dict[str, Decimal], prior: dict[str, Decimal], notes: int = 0) -> bytes:
    """Statement pages as images under an invisible text layer of nonsense, as a broken font
    gives (the nonsense sits where the words are), after pages of nonsense prose and `notes`
    pages of tables like them under a note's heading."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    width, height = A4
    junk = itertools.cycle(NONSENSE)
    for _ in range(FILLER_PAGES):
        text = canvas.beginText(50, height - 60)
        text.setFont(FONT, 9)
        text.setTextRenderMode(3)  # invisible, as a scan's OCR layer is
        for _ in range(30):
            text.textLine("".join(itertools.islice(junk, 40)))
        canvas.drawText(text)
        canvas.showPage()
    tables: list[tuple[str, Sequence[tuple[str, str | None]]]] = [(NOTE, LAYOUT[0][1])] * notes
    for title, rows in [*tables, *LAYOUT]:
        canvas.drawImage(
            ImageReader(_statement_image(title, rows, [current, prior])), 0, 0, width, height
        )
        text = canvas.beginText()
        text.setFont(FONT, 9)
        text.setTextRenderMode(3)
        y = height - 110
        for label, code in rows:
            y -= 20
            text.setTextOrigin(50, y)
            text.textOut("".join(itertools.islice(junk, len(label))))
            for column, values in ((450, current), (545, prior)):
                if code in values:  # right-aligned in the amount's column, as the glyphs were
                    word = "".join(itertools.islice(junk, len(printed(values[code])) // 2))
                    text.setTextOrigin(column - stringWidth(word, FONT, 9), y)
                    text.textOut(word)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


NOTE = "五、合并财务报表项目注释"  # a note's heading over a table of amounts
CURRENT = {
    "cash": Decimal("1520000.00"),
    "accounts_receivable": Decimal("830450.25"),
    "inventory": Decimal("2210000.00"),
    "current_assets": Decimal("4560450.25"),
    "intangible_assets": Decimal("300000.00"),
    "total_assets": Decimal("9860450.25"),
    "current_liabilities": Decimal("3100000.00"),
    "total_liabilities": Decimal("4200000.00"),
    "total_equity": Decimal("5660450.25"),
    "total_liabilities_and_equity": Decimal("9860450.25"),
    "total_revenue": Decimal("12500000.00"),
    "revenue": Decimal("12500000.00"),
    "cost_of_sales": Decimal("8100000.00"),
    "total_profit": Decimal("1350000.00"),
    "net_profit": Decimal("1012500.00"),
    "operating_cash_flow": Decimal("1460000.00"),
    "investing_cash_flow": Decimal("-520000.00"),
    "financing_cash_flow": Decimal("-300000.00"),
    "cash_end": Decimal("1520000.00"),
}
PRIOR = {
    code: (value * Decimal("0.8")).quantize(Decimal("0.01")) for code, value in CURRENT.items()
}


def test_statement_pages_under_a_garbage_text_layer_are_read_by_ocr(ocr: None) -> None:
    from ingest.ocr import ocr_page

    data = _broken_pdf(CURRENT, PRIOR)
    pages = survey(data)
    assert pages.titled == []
    assert sorted(pages.garbled) == [FILLER_PAGES + 1, FILLER_PAGES + 2, FILLER_PAGES + 3]
    assert extract_pdf(data) == []  # without OCR, nothing can be read
    found = {s.type: s for s in extract_pdf(data, ocr=ocr_page)}
    assert set(found) == {"balance_sheet", "income_statement", "cash_flow_statement"}
    for statement in found.values():
        assert statement.pages[0] > FILLER_PAGES
        for code, figure in statement.items.items():
            if code in CURRENT:
                assert (figure.current, figure.prior) == (CURRENT[code], PRIOR[code]), code
    assert found["balance_sheet"].items["total_assets"].current == CURRENT["total_assets"]
    assert found["income_statement"].items["net_profit"].current == CURRENT["net_profit"]
    assert found["cash_flow_statement"].items["cash_end"].prior == PRIOR["cash_end"]


def test_garbled_pages_are_skimmed_for_titles_and_only_statement_pages_read(ocr: None) -> None:
    from ingest.ocr import ocr_page, skim_page

    notes = 4
    data = _broken_pdf(CURRENT, PRIOR, notes)
    statements = [FILLER_PAGES + notes + n for n in (1, 2, 3)]
    assert survey(data).garbled[:3] != statements  # by its layout a note is as table-like
    found = survey(data, skim_page)
    assert found.titled == statements
    read: list[int] = []

    def reader(data: bytes, number: int, deadline: float | None = None) -> Page:
        read.append(number)
        return ocr_page(data, number, deadline)

    kinds = {s.type: s for s in extract_pdf(data, ocr=reader, skim=skim_page)}
    assert sorted(read) == statements  # the notes' tables are not read in full
    assert set(kinds) == {"balance_sheet", "income_statement", "cash_flow_statement"}
    assert kinds["balance_sheet"].items["total_assets"].current == CURRENT["total_assets"]
