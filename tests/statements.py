"""Chinese financial statements printed as PDFs, from figures the test chooses.

A test that uploads one knows every figure, so what the archive reads back, and every ratio
computed from it, can be checked by hand.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# (title, rows of (label, item code)) in the order a CAS statement prints them.
LAYOUT = (
    (
        "合并资产负债表",
        [
            ("流动资产：", None),
            ("货币资金", "cash"),
            ("应收账款", "accounts_receivable"),
            ("存货", "inventory"),
            ("流动资产合计", "current_assets"),
            ("无形资产", "intangible_assets"),
            ("资产总计", "total_assets"),
            ("流动负债合计", "current_liabilities"),
            ("负债合计", "total_liabilities"),
            ("所有者权益（或股东权益）合计", "total_equity"),
            ("负债和所有者权益（或股东权益）总计", "total_liabilities_and_equity"),
        ],
    ),
    (
        "合并利润表",
        [
            ("一、营业总收入", "total_revenue"),
            ("其中：营业收入", "revenue"),
            ("其中：营业成本", "cost_of_sales"),
            ("其中：利息费用", "interest_expense"),
            ("三、利润总额（亏损总额以“－”号填列）", "total_profit"),
            ("四、净利润（净亏损以“－”号填列）", "net_profit"),
        ],
    ),
    (
        "合并现金流量表",
        [
            ("经营活动产生的现金流量净额", "operating_cash_flow"),
            ("投资活动产生的现金流量净额", "investing_cash_flow"),
            ("筹资活动产生的现金流量净额", "financing_cash_flow"),
            ("六、期末现金及现金等价物余额", "cash_end"),
        ],
    ),
)


def printed(value: Decimal) -> str:
    """A figure as a CAS statement prints it: thousands separators, two decimals, minus sign."""
    return f"{value:,.2f}"


def statement_pdf(
    company: str, year: int, current: dict[str, Decimal], prior: dict[str, Decimal]
) -> bytes:
    """A three-page annual statement in 元 with the current and prior year's figures."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    width, height = A4
    for title, rows in LAYOUT:
        canvas.setFont(FONT, 14)
        canvas.drawCentredString(width / 2, height - 60, title)
        canvas.setFont(FONT, 9)
        canvas.drawString(50, height - 85, f"编制单位：{company}")
        canvas.drawRightString(width - 50, height - 85, "单位：元  币种：人民币")
        y = height - 110
        for text, x in (("项目", 50), ("附注", 300)):
            canvas.drawString(x, y, text)
        canvas.drawRightString(450, y, f"{year}年12月31日")
        canvas.drawRightString(545, y, f"{year - 1}年12月31日")
        for label, code in rows:
            y -= 20
            canvas.drawString(50, y, label)
            if code is None:
                continue
            for column, figures in ((450, current), (545, prior)):
                if code in figures:
                    canvas.drawRightString(column, y, printed(figures[code]))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class Table:
    """One page of a statement as printed: title, heading lines over the amount columns (each
    heading centred over the columns it spans, by index), then rows of a label and amounts
    right-aligned in the columns; an amount "$ 1,234" prints its "$" in a cell of its own."""

    title: str
    headings: Sequence[Sequence[tuple[str, tuple[int, ...]]]]
    rows: Sequence[tuple[str, ...]]
    columns: tuple[float, ...] = (330.0, 400.0, 470.0, 540.0)
    unit: str = ""


def table_pdf(tables: list[Table]) -> bytes:
    """A PDF of the statement pages, one table a page, Chinese and Latin text alike."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    width, height = A4

    def draw(x: float, y: float, text: str, size: int = 9, align: str = "left") -> None:
        # The CJK font has no "£" or "€": Latin text is set in Helvetica, as reports do.
        canvas.setFont("Helvetica" if text.isascii() or _latin(text) else FONT, size)
        {"left": canvas.drawString, "right": canvas.drawRightString,
         "centre": canvas.drawCentredString}[align](x, y, text)  # fmt: skip

    for table in tables:
        draw(width / 2, height - 60, table.title, 12, "centre")
        if table.unit:
            draw(width - 50, height - 80, table.unit, align="right")
        y = height - 100
        for line in table.headings:
            for text, spanned in line:
                left = min(table.columns[i] for i in spanned) - 50
                right = max(table.columns[i] for i in spanned)
                draw((left + right) / 2, y, text, align="centre")
            y -= 14
        for label, *amounts in table.rows:
            y -= 16
            draw(50, y, label)
            for right, printed_as in zip(table.columns, amounts, strict=False):
                if printed_as.startswith("$ "):
                    draw(right - 62, y, "$")
                draw(right, y, printed_as.removeprefix("$ "), align="right")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _latin(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True
