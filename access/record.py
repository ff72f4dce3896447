"""The handover record (交接记录) as a printable PDF, in Chinese and English.

Invariants: the record prints the inventory exactly as the API returns it (frozen once complete,
with its SHA-256), and an unfinished handover is marked as a draft on every page.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from access.handover_schemas import HandoverRead, Held
from storage.models import Customer, Department, User

FONT = "STSong-Light"  # reportlab's built-in CID font; PDF readers supply the glyphs
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_TEXT = ParagraphStyle("text", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
_HEADING = ParagraphStyle("heading", parent=_TEXT, fontSize=11, leading=15, spaceBefore=8)
_TITLE = ParagraphStyle("title", parent=_TEXT, fontSize=16, leading=22, alignment=1)
CAPACITIES = {
    "dept_head": "部门负责人 Department head",
    "archivist": "档案管理员 Archivist",
    "successor": "接收人 Successor",
}
SECTIONS = (
    ("customers", "客户 Customers in custody", ("客户 Customer", "代码·密级 Code · secrecy")),
    ("contracts", "承办合同 Contracts in charge", ("合同 Contract", "状态 Status")),
    ("unfiled_documents", "未归档文件 Documents not yet filed", ("标题 Title", "类型 Type")),
    ("open_borrowings", "未结借阅 Open borrowings", ("编号 Number", "方式·状态 Mode · status")),
    ("originals_out", "在外原件 Paper originals out", ("文件 Document", "借阅·位置 Loan · place")),
    ("tokens", "会话与令牌 Sessions and tokens", ("名称 Name", "类型 Kind")),
)


def record_pdf(
    handover: HandoverRead,
    names: dict[uuid.UUID, str],
    zone: ZoneInfo,
) -> bytes:
    """The record as PDF bytes; `names` maps the ids of people, customers and the department."""

    def when(moment: datetime | None) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else "—"

    done = handover.status == "completed"
    story: list[Flowable] = [
        Paragraph("员工调离交接记录 Handover record", _TITLE),
        Spacer(1, 4 * mm),
        _table(
            [
                ("编号 Number", handover.number),
                ("离职员工 Departing employee", names[handover.employee_id]),
                ("接收人 Successor", names[handover.successor_id]),
                ("部门 Department", names.get(handover.department_id or handover.id, "—")),
                ("计划日期 Planned date", handover.planned_on.isoformat()),
                ("发起 Opened", f"{names[handover.opened_by_id]} · {when(handover.created_at)}"),
                ("状态 Status", handover.status),
                ("完成 Completed", when(handover.completed_at)),
            ],
            (55, 115),
            header=False,
        ),
    ]
    for field, heading, columns in SECTIONS:
        items: list[Held] = getattr(handover.inventory, field)
        story.append(Paragraph(f"{heading}（{len(items)}）", _HEADING))
        listed = [(_label(item, names), item.detail or "") for item in items]
        story.append(_table([columns, *listed], (110, 60)))
    story.append(Paragraph("确认 Confirmations", _HEADING))
    rows: list[tuple[str, ...]] = [("身份 Capacity", "姓名 Name", "时间 Time")]
    for confirmation in handover.confirmations:
        who = names[confirmation.user_id]
        rows.append((CAPACITIES[confirmation.capacity], who, when(confirmation.created_at)))
    rows += [(CAPACITIES[c], "", "—") for c in handover.awaiting]
    story.append(_table(rows, (60, 60, 50)))
    digest = (
        handover.inventory_sha256 or "（未完成，清单仍在变化 not complete: the list may change）"
    )
    story += [Paragraph("清单 SHA-256 Inventory SHA-256", _HEADING), Paragraph(digest, _TEXT)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,  # leaves the 170 mm the tables are laid out for
        rightMargin=20 * mm,
        title=f"Handover record {handover.number}",
        author="Dangan",
    )
    footer = f"{handover.number} · 时间 times {zone.key}" + ("" if done else " · 草稿 DRAFT")
    document.build(story, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return buffer.getvalue()


def names_in(session: Session, handover: HandoverRead) -> dict[uuid.UUID, str]:
    """The names of every person, customer and department the record mentions, by id."""
    people = {handover.employee_id, handover.successor_id, handover.opened_by_id}
    people |= {c.user_id for c in handover.confirmations}
    listed = vars(handover.inventory).values()
    customers = {item.customer_id for items in listed for item in items if item.customer_id}
    names: dict[uuid.UUID, str] = {}
    for query in (
        select(User.id, User.display_name).where(User.id.in_(people)),
        select(Customer.id, Customer.name).where(Customer.id.in_(customers)),
        select(Department.id, Department.name).where(Department.id == handover.department_id),
    ):
        names.update((key, name) for key, name in session.execute(query))
    return names


def _label(item: Held, names: dict[uuid.UUID, str]) -> str:
    # Documents, loans and originals name their customer after their own label.
    customer = names.get(item.customer_id) if item.customer_id else None
    return f"{item.label} · {customer}" if customer and customer != item.label else item.label


def _table(
    rows: Sequence[tuple[str, ...]], widths_mm: tuple[float, ...], header: bool = True
) -> Table:
    cells = [[Paragraph(_escape(text), _TEXT) for text in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths_mm], repeatRows=int(header))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0) if header else (0, -1), colors.whitesmoke),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    # Paragraph reads a little markup; names and titles are shown as typed.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _footer(text: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def draw(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.setFont(FONT, 8)
        canvas.drawString(20 * mm, 10 * mm, f"{text} · 第 {document.page} 页 page")

    return draw
