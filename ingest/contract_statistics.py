"""The half-yearly contract statistics (合同统计报表, 003 篇2 §4: due by 10 January and 10 July):
per department, the contracts signed in the half year counted and summed by kind, status and
currency; as JSON, XLSX and a Chinese PDF.

Invariants: only contracts the caller may report on are counted (the list filter, asked for the
`report` action), so a total never includes a contract the caller may not know exists; amounts
are summed as decimals per currency, never across currencies; the report's making is audited
with its half year and size, never its figures.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html import escape

from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.contract_ledger import seen
from ingest.contract_schemas import Statistics, StatisticsRow
from ingest.rights import Rights
from ingest.stamp import PDF_FONT, register_pdf_font
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.models import Contract, Customer, Department
from storage.sheets import cell

KINDS = {"original": "正本", "copy": "副本", "amendment": "变更协议", "termination": "解除协议"}
STATUSES = {
    "draft": "草拟", "signed": "已签订", "performing": "履行中", "completed": "履行完毕",
    "terminated": "已解除", "cancelled": "作废",
}  # fmt: skip
HEADER = (
    "部门 department", "类型 kind", "状态 status", "币种 currency", "份数 count", "金额 amount",
)  # fmt: skip
TOTAL = "合计 total"
HALVES = {1: "上半年 first half", 2: "下半年 second half"}


def half_year(year: int, half: int) -> tuple[date, date, date]:
    """The half year's first and last day, and the day its report is due."""
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30), date(year, 7, 10)
    return date(year, 7, 1), date(year, 12, 31), date(year + 1, 1, 10)


def gather(
    session: Session, actor: Actor, rights: Rights, year: int, half: int, form: str
) -> Statistics:
    """The statistics of the contracts the caller may report on, signed in the half year."""
    departments = session.scalars(select(Department.id)).all()
    if not any(rights.allowed(d, "contract", "report") for d in departments):
        rights.require(None, "contract", "report")  # refused: reports on no department
    starts, ends, due = half_year(year, half)
    groups = (Department.id, Department.name, Contract.kind, Contract.status, Contract.currency)
    rows = session.execute(
        select(*groups, func.count(), func.coalesce(func.sum(Contract.amount), 0))
        .join(Customer, Customer.id == Contract.customer_id)
        .join(Department, Department.id == Customer.department_id)
        .where(seen(session, rights, "report"), Contract.signed_on.between(starts, ends))
        .group_by(*groups)
        .order_by(Department.name, Contract.currency, Contract.kind, Contract.status)
    ).all()
    found = [
        StatisticsRow(
            department_id=d,
            department_name=name,
            kind=kind,
            status=status,
            currency=currency,
            count=count,
            amount=Decimal(amount or 0).quantize(Decimal("0.01")),
        )
        for d, name, kind, status, currency, count, amount in rows
    ]
    record(
        session, actor, Action.CONTRACT_REPORT, "success", None, None,
        year=year, half=half, format=form, rows=len(found),
    )  # fmt: skip
    return Statistics(year=year, half=half, starts_on=starts, ends_on=ends, due_on=due, rows=found)


def totals(statistics: Statistics) -> list[tuple[str, str, int, Decimal]]:
    """(department, currency, count, amount) per department and currency, then per currency
    over all departments (department "")."""
    summed: dict[tuple[str, str], tuple[int, Decimal]] = {}
    for row in statistics.rows:
        for key in ((row.department_name, row.currency), ("", row.currency)):
            count, amount = summed.get(key, (0, Decimal(0)))
            summed[key] = (count + row.count, amount + row.amount)
    ordered = sorted(summed.items(), key=lambda item: (item[0][0] == "", item[0]))
    return [(dept, currency, count, amount) for (dept, currency), (count, amount) in ordered]


def title(statistics: Statistics) -> str:
    """The report's heading, in both languages."""
    return f"合同统计报表 Contract statistics {statistics.year} {HALVES[statistics.half]}"


def _lines(statistics: Statistics) -> list[tuple[str, str, str, str, int, Decimal]]:
    found: list[tuple[str, str, str, str, int, Decimal]] = [
        (r.department_name, f"{KINDS[r.kind]} {r.kind}", f"{STATUSES[r.status]} {r.status}",
         r.currency, r.count, r.amount)
        for r in statistics.rows
    ]  # fmt: skip
    for department, currency, count, amount in totals(statistics):
        found.append((department or "全部 all", TOTAL, "", currency, count, amount))
    return found


def as_xlsx(statistics: Statistics) -> bytes:
    """One sheet: a heading, the period, then a row per group and the totals; counts and
    amounts are numbers, so a spreadsheet sums them."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its sheet  # nosec B101
    sheet.title = f"{statistics.year}H{statistics.half}"
    sheet.append([title(statistics)])
    period = f"{statistics.starts_on} – {statistics.ends_on}; 报送期限 due {statistics.due_on}"
    sheet.append([period])
    sheet.append(list(HEADER))
    for department, kind, status, currency, count, amount in _lines(statistics):
        sheet.append([cell(department), cell(kind), cell(status), currency, count, amount])
        sheet.cell(sheet.max_row, 6).number_format = "#,##0.00"
    for column, width in zip("ABCDEF", (24, 22, 22, 10, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_pdf(statistics: Statistics) -> bytes:
    """The report on A4, in Chinese (with English beside), its font embedded."""
    register_pdf_font()
    text = ParagraphStyle("text", fontName=PDF_FONT, fontSize=9, leading=12, wordWrap="CJK")
    heading = ParagraphStyle("title", parent=text, fontSize=15, leading=21, alignment=1)
    rows = [HEADER] + [(d, k, s, c, str(n), f"{a:,.2f}") for d, k, s, c, n, a in _lines(statistics)]
    cells = [[Paragraph(escape(str(v), quote=False), text) for v in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in (36, 28, 30, 20, 20, 36)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), PDF_FONT),  # the table's own default is Helvetica
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    period = (
        f"统计期间 Period: {statistics.starts_on} – {statistics.ends_on}　"
        f"报送期限 Due: {statistics.due_on}"
    )
    story: list[Flowable] = [
        Paragraph(title(statistics), heading), Spacer(1, 4 * mm), Paragraph(period, text),
        Spacer(1, 4 * mm), table,
    ]  # fmt: skip
    if not statistics.rows:
        story.append(Paragraph("本期无已签订合同 No contract signed in the period", text))
    buffer = io.BytesIO()
    # Begun in the embedded font, so that no page refers to a Helvetica it does not embed.
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
        title=title(statistics), author="Dangan", initialFontName=PDF_FONT,
    )  # fmt: skip
    footer = _footer(f"合同统计报表 {statistics.year}H{statistics.half}")
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _footer(text: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def draw(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.setFont(PDF_FONT, 8)
        canvas.drawString(20 * mm, 10 * mm, f"{text} · 第 {document.page} 页 page")

    return draw
