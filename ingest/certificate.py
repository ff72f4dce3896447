"""The disposal certificate (销毁证明) as a PDF, in Chinese and English.

Invariants: it names each item by id, type and customer with the SHA-256 of every disposed
version, never a title or content; it names the requester, both approvers and the executor with
their times; its font is embedded (a subset), so it reads the same anywhere; its bytes are hashed
once, and that hash goes into the audit event of the execution.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ingest.disposal_schemas import DisposalRead
from ingest.stamp import PDF_FONT, register_pdf_font

CAPACITIES = {"archivist": "档案管理员 Archivist", "dept_head": "部门负责人 Department head"}
OUTCOMES = {
    "disposed": "已销毁 disposed",
    "held": "保全中，未销毁 held, kept",
    "not_due": "未到期，未销毁 not due, kept",
}


def certificate_pdf(disposal: DisposalRead, department: str, zone: ZoneInfo) -> bytes:
    """The certificate of an executed disposal as PDF bytes."""
    register_pdf_font()
    text = ParagraphStyle(
        "text", fontName=PDF_FONT, bulletFontName=PDF_FONT, fontSize=8, leading=11, wordWrap="CJK"
    )
    heading = ParagraphStyle("heading", parent=text, fontSize=11, leading=15, spaceBefore=8)
    title = ParagraphStyle("title", parent=text, fontSize=16, leading=22, alignment=1)

    def when(moment: datetime | None) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M:%S}" if moment else "—"

    def table(rows: Sequence[Sequence[str]], widths: tuple[float, ...], header: bool) -> Table:
        cells = [[Paragraph(_escape(cell), text) for cell in row] for row in rows]
        found = Table(cells, colWidths=[w * mm for w in widths], repeatRows=int(header))
        shade = (-1, 0) if header else (0, -1)
        found.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), PDF_FONT),  # the cell default, or Helvetica
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), shade, colors.whitesmoke),
                ]
            )
        )
        return found

    people = [
        ("编号 Number", disposal.number),
        ("部门 Department", department),
        ("申请人 Requester", f"{disposal.requester_name} · {when(disposal.created_at)}"),
        ("理由 Reason", disposal.reason),
        *(
            (CAPACITIES[a.role], f"{a.approver_name} · {when(a.decided_at)}")
            for a in disposal.approvals
        ),
        (
            "执行人 Executed by",
            f"{disposal.executed_by_name or '—'} · {when(disposal.executed_at)}",
        ),
    ]
    items = [("#", "客户 Customer", "文件 Document", "版本 SHA-256 Versions", "结果 Outcome")]
    for number, item in enumerate(disposal.items, 1):
        hashes = "\n".join(f"v{v.version} ({v.size} B) {v.sha256}" for v in item.versions)
        outcome = OUTCOMES.get(item.outcome or "", "—")
        if item.kept_until is not None:
            until = when(item.kept_until)
            outcome += f"；存储锁定至 object locked until {until}（不可解密 undecryptable）"
        label = f"{item.doc_type} · {item.document_id}"
        items.append((str(number), item.customer_name, label, hashes or "—", outcome))
    story: list[Flowable] = [
        Paragraph("档案销毁证明 Disposal certificate", title),
        Spacer(1, 4 * mm),
        table(people, (45, 125), header=False),
        Paragraph(f"销毁清单 Items（{len(disposal.items)}）", heading),
        table(items, (8, 32, 42, 58, 30), header=True),
        Paragraph(
            "已销毁文件的数据密钥所用的密钥版本已在密钥服务中销毁，任何备份中的副本均无法解密；"
            "审计日志不予销毁。The key versions wrapping the disposed versions' data keys are "
            "destroyed in the key service, so no copy in any backup decrypts; the audit log is "
            "never disposed of.",
            text,
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,  # leaves the 170 mm the tables are laid out for
        rightMargin=20 * mm,
        title=f"Disposal certificate {disposal.number}",
        author="Dangan",
        initialFontName=PDF_FONT,  # so no page refers to a Helvetica it does not embed
    )
    footer = f"{disposal.number} · 时间 times {zone.key}"
    document.build(story, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return buffer.getvalue()


def _escape(text: str) -> str:
    # Paragraph reads a little markup; names and reasons are shown as typed, lines kept.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br/>")


def _footer(text: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def draw(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.setFont(PDF_FONT, 8)
        canvas.drawString(20 * mm, 10 * mm, f"{text} · 第 {document.page} 页 page")

    return draw
