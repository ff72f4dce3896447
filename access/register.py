"""The borrowing register (借阅登记簿): every borrowing of a period, one row each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from access.authz import Access
from access.errors import InvalidBorrowing
from access.grants import managed_departments, sees_material
from storage.auditevent import Actor, record
from storage.auditnames import Action
from storage.models import Borrowing, Customer, Department, Document, User

HEADER = [
    "编号 number",
    "借阅人 borrower",
    "部门 department",
    "客户 customer",
    "文件 documents",
    "用途 purpose",
    "方式 mode",
    "审批人 approvers",
    "借出 out",
    "应还 due",
    "归还 returned",
    "状态 status",
    "外借 external",
]


def export(
    session: Session, actor: Actor, policy: Access, since: datetime, until: datetime
) -> list[list[Any]]:
    """The register's rows of [since, until) (archivists); the export is recorded, with the
    departments it covers and its number of rows, never the rows."""
    if since.tzinfo is None or until.tzinfo is None or since >= until:
        raise InvalidBorrowing("since, until: give a time zone, and since before until")
    rows = register(session, policy, since, until)
    where = [str(d) for d in managed_departments(session, policy)]
    record(
        session,
        actor,
        Action.REGISTER_EXPORT,
        "success",
        {"departments": where},
        since=since.isoformat(),
        until=until.isoformat(),
        rows=len(rows),
    )
    return rows


def register(session: Session, policy: Access, since: datetime, until: datetime) -> list[list[Any]]:
    """Rows for borrowings requested in [since, until) in the archivist's departments, of
    material the archivist may know of."""
    where = managed_departments(session, policy)
    borrowings = session.scalars(
        select(Borrowing)
        .join(Customer, Customer.id == Borrowing.customer_id)
        .where(
            Customer.department_id.in_(where),
            Borrowing.created_at >= since,
            Borrowing.created_at < until,
        )
        .options(selectinload(Borrowing.approvals), selectinload(Borrowing.documents))
        .order_by(Borrowing.created_at)
    ).all()
    users = {u.id: u for u in session.scalars(select(User))}
    departments = {d.id: d.code for d in session.scalars(select(Department))}
    rows = []
    for b in borrowings:
        if not sees_material(session, policy, b):
            continue  # not even that it exists: the register lists what it covers
        customer = session.get_one(Customer, b.customer_id)
        titles = session.scalars(
            select(Document.title).where(Document.id.in_([d.document_id for d in b.documents]))
        ).all()
        requester = users[b.requester_id]
        approvers = [
            f"{users[a.approver_id].display_name} ({a.role}, {'同意' if a.approved else '驳回'})"
            for a in b.approvals
        ]
        rows.append(
            [
                b.number,
                requester.display_name,
                departments.get(requester.department_id) if requester.department_id else "",
                customer.name,
                "全部 whole file" if b.whole_file else list(titles),
                b.purpose,
                b.mode,
                approvers,
                _time(b.out_at),
                _time(b.due_at),
                _time(b.returned_at),
                b.status,
                "是 yes" if b.external else "",
            ]
        )
    return rows


def _time(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else ""
